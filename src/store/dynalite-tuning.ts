import { createRequire } from 'node:module';
import { withSyncReads } from './dynalite-sync-reads.js';
import { withTableCache } from './dynalite-table-cache.js';

let installed: boolean | undefined;

/**
 * Makes the embedded dynalite cheaper to run without changing what it answers: table
 * descriptions kept in memory (dynalite-table-cache.ts) and items read synchronously
 * (dynalite-sync-reads.ts). Both wrap the store dynalite's `db.create` makes, and each changes
 * only what it finds as expected; otherwise dynalite runs as it comes. Measured with
 * `npm run bench:load` (BENCHMARKS.md). Call before dynalite() creates its store; once per
 * thread is enough.
 */
export function tuneDynalite(): boolean {
  if (installed !== undefined) return installed;
  const db = createRequire(import.meta.url)('dynalite/db') as { create?: (options: unknown) => unknown };
  const create = db.create;
  installed = typeof create === 'function';
  if (installed) db.create = (options) => withSyncReads(withTableCache(create!(options)));
  return installed;
}
