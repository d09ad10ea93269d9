import { parentPort, type MessagePort } from 'node:worker_threads';
import { serveTokenStore } from './serve-token-store.js';
import type { TokenStore } from './token-store.js';

/**
 * The worker side of store-thread.ts: serves `store` over `port`, tells the gateway it is
 * `ready`, and on the gateway's close message stops serving, runs `close` and says so.
 */
export function runStoreThread(port: MessagePort, store: TokenStore, ready: object, close: () => void | Promise<void>): void {
  serveTokenStore(port, store);
  parentPort!.postMessage(ready);
  parentPort!.once('message', async () => {
    port.close();
    await close();
    parentPort!.postMessage({ closed: true });
  });
}
