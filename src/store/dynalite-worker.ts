import { parentPort, workerData } from 'node:worker_threads';
import { startEmbeddedDynalite } from './embedded-dynalite.js';

/**
 * The embedded dynalite in its own thread (see dynalite-thread.ts): LevelDB, dynalite's request
 * handling and its JSON work then run beside the gateway's event loop instead of on it.
 */
const dynalite = await startEmbeddedDynalite(workerData as { path?: string });
parentPort!.postMessage({ endpoint: dynalite.endpoint });
parentPort!.once('message', async () => {
  await dynalite.close();
  parentPort!.postMessage({ closed: true });
});
