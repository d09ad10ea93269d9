import { once } from 'node:events';
import { startWorker } from '../threads/start-worker.js';

export interface DynaliteThread {
  endpoint: string;
  close(): Promise<void>;
}

/**
 * Starts the embedded dynalite (persisted under `path`) in a worker thread of this process and
 * waits for its loopback endpoint. `npm start` uses it: the store still starts by itself, and
 * on two cores its CPU no longer competes with the gateway's event loop.
 */
export async function startDynaliteThread(options: { path: string; onError?: (error: Error) => void }): Promise<DynaliteThread> {
  const worker = startWorker(import.meta.url, 'dynalite-worker', { path: options.path });
  const [message] = (await Promise.race([once(worker, 'message'), once(worker, 'error').then(([error]) => Promise.reject(error))])) as [{ endpoint: string }];
  // Once running, a crash of the store thread (dynalite finishing an abandoned request after
  // LevelDB closed, say) must not take the gateway down: store calls then fail with
  // STORE_UNAVAILABLE and /readyz reports it; the error is logged.
  let closing = false;
  let exited = false;
  worker.on('error', (error) => {
    if (!closing) options.onError?.(error);
  });
  worker.once('exit', () => (exited = true));
  return {
    endpoint: message.endpoint,
    async close() {
      closing = true;
      if (exited) return;
      worker.postMessage('close');
      await Promise.race([once(worker, 'message'), once(worker, 'exit')]);
      await worker.terminate();
    },
  };
}
