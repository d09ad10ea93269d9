import { once } from 'node:events';
import { MessageChannel } from 'node:worker_threads';
import { startWorker } from '../threads/start-worker.js';
import { PortTokenStore } from './port-token-store.js';

/** What every store thread gets: the table and the limits of its DynamoDB client. */
export interface StoreThreadSettings {
  table: string;
  region: string;
  timeoutMs: number;
  deadlineMs: number;
}

export interface StoreThread<Ready> {
  /** What the worker said once it served calls. */
  ready: Ready;
  /** The token table, its calls run by the thread. */
  store: PortTokenStore;
  close(): Promise<void>;
}

/**
 * Starts `<worker>.ts` of this folder in a worker thread that runs a DynamoTokenStore and serves
 * it over a MessagePort (serveTokenStore), and waits for its first message. A crash of the thread
 * later must not take the gateway down: its calls then fail with StoreUnavailableError (so
 * STORE_UNAVAILABLE, and /readyz reports it) and the error is logged.
 */
export async function startStoreThread<Ready>(
  worker: 'dynalite-worker' | 'store-client-worker',
  data: Record<string, unknown> & { store: StoreThreadSettings },
  onError?: (error: Error) => void,
): Promise<StoreThread<Ready>> {
  const channel = new MessageChannel();
  const thread = startWorker(import.meta.url, worker, { ...data, port: channel.port2 }, [channel.port2]);
  const [ready] = (await Promise.race([once(thread, 'message'), once(thread, 'error').then(([error]) => Promise.reject(error))])) as [Ready];
  // An answer can take the store's whole deadline; past it (and a second more) nothing will come.
  const store = new PortTokenStore(channel.port1, data.store.deadlineMs + 1000);
  let closing = false;
  let exited = false;
  thread.on('error', (error) => {
    if (!closing) onError?.(error);
  });
  thread.once('exit', () => {
    exited = true;
    store.stop();
  });
  return {
    ready,
    store,
    async close() {
      closing = true;
      store.stop();
      if (exited) return;
      thread.postMessage('close');
      await Promise.race([once(thread, 'message'), once(thread, 'exit')]);
      await thread.terminate();
    },
  };
}
