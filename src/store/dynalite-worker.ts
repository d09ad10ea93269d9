import type { RequestListener } from 'node:http';
import { workerData, type MessagePort } from 'node:worker_threads';
import { DynaliteDirectClient } from './dynalite-direct-client.js';
import { DynamoTokenStore } from './dynamo-token-store.js';
import { startEmbeddedDynalite } from './embedded-dynalite.js';
import type { DynaliteThreadOptions } from './dynalite-thread.js';
import { runStoreThread } from './store-thread-worker.js';

/**
 * The embedded dynalite in its own thread (see dynalite-thread.ts), with the token store that
 * serves the gateway's request path over `port`: LevelDB, dynalite's request handling and the
 * store's own work then run beside the gateway's event loop instead of on it. That store calls
 * dynalite in-process (dynalite-direct-client.ts); the loopback endpoint serves every other client.
 */
const { path, port, store } = workerData as Pick<DynaliteThreadOptions, 'path' | 'store'> & { port: MessagePort };
const dynalite = await startEmbeddedDynalite({ path });
const client = new DynaliteDirectClient(dynalite.server.listeners('request')[0] as RequestListener);
runStoreThread(port, new DynamoTokenStore(client, store.table, { deadlineMs: store.deadlineMs }), { endpoint: dynalite.endpoint }, () => dynalite.close());
