type TableCallback = (error: unknown, table?: { TableStatus?: string }) => void;

/** The parts of dynalite's internal store this reaches into (dynalite 4: db/index.js). */
interface DynaliteStore {
  getTable(name: string, checkStatus: boolean | TableCallback, callback?: TableCallback): void;
  tableDb: Record<'put' | 'del', (key: string, ...rest: unknown[]) => unknown>;
}

/** Table descriptions read from LevelDB, and served from memory instead; for the test. */
export const tableCacheStats = { reads: 0, hits: 0 };

/**
 * dynalite reads a table's description from LevelDB (a round trip through libuv's pool and a
 * JSON decode) before every item it gets or puts: a BatchGetItem of 20 keys is 40 LevelDB reads,
 * and most of the busy time of the embedded store's thread under load. The description changes
 * only when the table's record is written (CreateTable, UpdateTable, DeleteTable), so an ACTIVE
 * one is kept in memory and dropped at every such write.
 *
 * Measured with `npm run bench:load` (interleaved runs): deanonymize alone at 200 req/s went from
 * 7.0 to 5.9–6.4 ms of CPU per request, the store's thread from 40% to 27–32% of a core, p99 from
 * 199–202 to 63–110 ms; the mixed load at 500 req/s from 2.82–2.90 to 2.63–2.72 ms per request.
 *
 * This reaches into dynalite's internals (the store's `getTable` and `tableDb`), so it changes a
 * store only when those are as expected; otherwise the store runs as it comes.
 */
export function withTableCache(store: unknown): unknown {
  const candidate = store as Partial<DynaliteStore> | undefined;
  if (typeof candidate?.getTable !== 'function' || typeof candidate.tableDb?.put !== 'function' || typeof candidate.tableDb.del !== 'function') return store;
  const dynalite = candidate as DynaliteStore;
  const read = dynalite.getTable.bind(dynalite);
  const cache = new Map<string, { TableStatus?: string }>();
  // Bumped by every write of a table record: a read that started before one is not cached.
  let writes = 0;
  for (const method of ['put', 'del'] as const) {
    const write = dynalite.tableDb[method];
    dynalite.tableDb[method] = function (this: unknown, key: string, ...rest: unknown[]) {
      writes++;
      cache.delete(key);
      return write.call(this, key, ...rest);
    };
  }
  dynalite.getTable = (name, checkStatus, callback) => {
    const done = (typeof checkStatus === 'function' ? checkStatus : callback)!;
    const hit = cache.get(name);
    if (hit) {
      tableCacheStats.hits++;
      // Asynchronous like the LevelDB read it replaces: dynalite's callers expect that.
      setImmediate(done, null, hit);
      return;
    }
    tableCacheStats.reads++;
    const started = writes;
    read(name, typeof checkStatus === 'function' ? false : checkStatus, (error, table) => {
      if (!error && table?.TableStatus === 'ACTIVE' && writes === started) cache.set(name, table);
      done(error, table);
    });
  };
  return store;
}
