import { Worker, type Transferable } from 'node:worker_threads';

/**
 * Starts `<name>.js` from the folder of `from` (a module's import.meta.url) in a worker thread.
 * Built output has the .js. Under tsx (npm start, the tests) the caller is the .ts source and a
 * worker does not inherit tsx's loader, so the worker registers it first and loads the .ts.
 */
export function startWorker(from: string, name: string, workerData?: unknown, transferList: Transferable[] = []): Worker {
  if (from.endsWith('.ts')) {
    const source = new URL(`./${name}.ts`, from).href;
    return new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(source)}); });`, { eval: true, workerData, transferList });
  }
  return new Worker(new URL(`./${name}.js`, from), { workerData, transferList });
}
