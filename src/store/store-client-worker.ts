import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { createDynamoClient } from './dynamo-client.js';
import { DynamoTokenStore } from './dynamo-token-store.js';
import { serveTokenStore } from './serve-token-store.js';
import type { StoreThreadSettings } from './store-thread.js';

/**
 * The request path's DynamoDB client in a thread of its own (STORE_CLIENT_THREAD): building,
 * signing and parsing every store call, and the HTTPS work, run beside the gateway's event loop.
 */
const { port, store, endpoint } = workerData as { port: MessagePort; store: StoreThreadSettings; endpoint?: string };
const client = createDynamoClient({ region: store.region, endpoint, timeoutMs: store.timeoutMs });
serveTokenStore(port, new DynamoTokenStore(client, store.table, { deadlineMs: store.deadlineMs }));
parentPort!.postMessage({ ready: true });
parentPort!.once('message', () => {
  port.close();
  client.destroy();
  parentPort!.postMessage({ closed: true });
});
