type Callback = (error: unknown, value?: unknown) => void;

/** The parts of dynalite's LevelDB handle this changes (dynalite 4: db/index.js wraps it with callbacks). */
interface DynaliteLevel {
  status: string;
  supports?: { getSync?: boolean };
  get(key: string, callback?: Callback): unknown;
  getSync(key: string): unknown;
}

/** Reads served synchronously; for the test. */
export const syncReadStats = { reads: 0 };

/**
 * dynalite reads every item with an asynchronous LevelDB get: a snapshot, a job on libuv's pool
 * and a promise each, so a BatchGetItem of 20 keys is 20 jobs, and every PutItem reads its item
 * first too. Under load those jobs contend with the store's thread for LevelDB's lock on two
 * cores: in a profile of deanonymize at 200 req/s, the get call itself was 38% of the store
 * thread's busy time. Reads are served with LevelDB's synchronous get instead (classic-level and
 * memory-level 3 have it): from the memtable, the block cache or the OS's page cache, a few µs
 * each, on the thread dynalite runs on, which under `npm start` is a thread of its own
 * (dynalite-thread.ts), so nothing else waits for it.
 *
 * Measured with `npm run bench:load` (interleaved runs, 2026-11-26): deanonymize alone at
 * 200 req/s from 6.25–6.30 to 5.61–5.76 ms of CPU per request, the store's thread from 30–31% to
 * 25% of a core; the mixed load at 500 req/s from 2.54–2.70 to 2.35–2.53 ms per request.
 *
 * The callback still comes on a later turn, as from the asynchronous get. A call without a
 * callback, a database that is not open, or a read that throws goes to dynalite's own get, which
 * answers as it always did.
 */
export function withSyncReads(store: unknown): unknown {
  const level = (store as { db?: Partial<DynaliteLevel> } | undefined)?.db;
  if (typeof level?.get !== 'function' || typeof level.getSync !== 'function' || level.supports?.getSync !== true) return store;
  const db = level as DynaliteLevel;
  const get = db.get;
  db.get = function (this: unknown, key: string, callback?: Callback) {
    if (typeof callback !== 'function' || db.status !== 'open') return get.call(this, key, callback);
    let value: unknown;
    try {
      value = db.getSync(key);
    } catch {
      return get.call(this, key, callback);
    }
    syncReadStats.reads++;
    setImmediate(callback, null, value);
    return undefined;
  };
  return store;
}
