import type { RequestListener } from 'node:http';
import { workerData, type MessagePort } from 'node:worker_threads';
import { DynaliteDirectHandler } from './dynalite-direct-handler.js';
import { createDynamoClient } from './dynamo-client.js';
import { DynamoTokenStore } from './dynamo-token-store.js';
import { startEmbeddedDynalite } from './embedded-dynalite.js';
import type { DynaliteThreadOptions } from './dynalite-thread.js';
import { runStoreThread } from './store-thread-worker.js';

/**
 * The embedded dynalite in its own thread (see dynalite-thread.ts), with the gateway's
 * DynamoDB client for it: LevelDB, dynalite's request handling and the SDK's work on every
 * store call then run beside the gateway's event loop instead of on it. The gateway's request
 * path calls the token store over `port`; the loopback endpoint serves every other client.
 */
const { path, port, store } = workerData as Pick<DynaliteThreadOptions, 'path' | 'store'> & { port: MessagePort };
const dynalite = await startEmbeddedDynalite({ path });
const client = createDynamoClient({
  region: store.region,
  endpoint: dynalite.endpoint,
  timeoutMs: store.timeoutMs,
  requestHandler: new DynaliteDirectHandler(dynalite.server.listeners('request')[0] as RequestListener),
});
runStoreThread(port, new DynamoTokenStore(client, store.table, { deadlineMs: store.deadlineMs }), { endpoint: dynalite.endpoint }, async () => {
  client.destroy();
  await dynalite.close();
});
