import { once } from 'node:events';
import { MessageChannel } from 'node:worker_threads';
import { startWorker } from '../threads/start-worker.js';
import { PortTokenStore } from './port-token-store.js';

export interface DynaliteThreadOptions {
  /** Where LevelDB keeps the files. */
  path: string;
  /** The token store the thread runs for the gateway's requests. */
  store: { table: string; region: string; timeoutMs: number; deadlineMs: number };
  onError?: (error: Error) => void;
}

export interface DynaliteThread {
  /** Its loopback HTTP endpoint, for other DynamoDB clients (startup's table check, maintenance, the AWS CLI). */
  endpoint: string;
  /** The token table, served by the thread (see PortTokenStore); usable once the table exists. */
  store: PortTokenStore;
  close(): Promise<void>;
}

/**
 * Starts the embedded dynalite (persisted under `path`) in a worker thread of this process and
 * waits for its loopback endpoint. `npm start` uses it: the store still starts by itself, and
 * on two cores its CPU no longer competes with the gateway's event loop.
 */
export async function startDynaliteThread(options: DynaliteThreadOptions): Promise<DynaliteThread> {
  const channel = new MessageChannel();
  const worker = startWorker(import.meta.url, 'dynalite-worker', { path: options.path, store: options.store, port: channel.port2 }, [channel.port2]);
  const [message] = (await Promise.race([once(worker, 'message'), once(worker, 'error').then(([error]) => Promise.reject(error))])) as [{ endpoint: string }];
  // An answer can take the store's whole deadline; past it (and a second more) nothing will come.
  const store = new PortTokenStore(channel.port1, options.store.deadlineMs + 1000);
  // Once running, a crash of the store thread (dynalite finishing an abandoned request after
  // LevelDB closed, say) must not take the gateway down: store calls then fail with
  // STORE_UNAVAILABLE and /readyz reports it; the error is logged.
  let closing = false;
  let exited = false;
  worker.on('error', (error) => {
    if (!closing) options.onError?.(error);
  });
  worker.once('exit', () => {
    exited = true;
    store.stop();
  });
  return {
    endpoint: message.endpoint,
    store,
    async close() {
      closing = true;
      store.stop();
      if (exited) return;
      worker.postMessage('close');
      await Promise.race([once(worker, 'message'), once(worker, 'exit')]);
      await worker.terminate();
    },
  };
}
