import type { PortTokenStore } from './port-token-store.js';
import { startStoreThread, type StoreThreadSettings } from './store-thread.js';

export interface DynaliteThreadOptions {
  /** Where LevelDB keeps the files. */
  path: string;
  /** The token store the thread runs for the gateway's requests. */
  store: StoreThreadSettings;
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
 * Starts the embedded dynalite (persisted under `path`) in a worker thread of this process, with
 * the request path's token store beside it, and waits for its loopback endpoint. `npm start`
 * uses it: the store still starts by itself, and on two cores its CPU does not compete with the
 * gateway's event loop.
 */
export async function startDynaliteThread(options: DynaliteThreadOptions): Promise<DynaliteThread> {
  const thread = await startStoreThread<{ endpoint: string }>('dynalite-worker', { path: options.path, store: options.store }, options.onError);
  return { endpoint: thread.ready.endpoint, store: thread.store, close: () => thread.close() };
}
