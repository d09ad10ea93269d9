import { workerData, type MessagePort } from 'node:worker_threads';
import { createDynamoClient } from './dynamo-client.js';
import { DynamoTokenStore } from './dynamo-token-store.js';
import type { StoreThreadSettings } from './store-thread.js';
import { runStoreThread } from './store-thread-worker.js';

/**
 * The request path's DynamoDB client in a thread of its own (STORE_CLIENT_THREAD): building,
 * signing and parsing every store call, and the HTTPS work, run beside the gateway's event loop.
 */
const { port, store, endpoint } = workerData as { port: MessagePort; store: StoreThreadSettings; endpoint?: string };
const client = createDynamoClient({ region: store.region, endpoint, timeoutMs: store.timeoutMs });
runStoreThread(port, new DynamoTokenStore(client, store.table, { deadlineMs: store.deadlineMs }), { ready: true }, () => client.destroy());
