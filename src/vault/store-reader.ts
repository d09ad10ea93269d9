import DataLoader from 'dataloader';
import { MAX_BATCH_GET } from '../store/batch-limits.js';
import type { MappingKey, StoredMapping, TokenStore } from '../store/token-store.js';

/**
 * Process-wide reads: the lookups of every request in one event-loop turn share BatchGetItem
 * calls of up to 100 keys (each request's own DataLoader batches within the request first).
 * Nothing is cached here: every read asks the store, so a deleted or expired mapping is gone.
 */
export class StoreReader {
  private readonly loader: DataLoader<MappingKey, StoredMapping | undefined, string>;

  constructor(store: TokenStore) {
    this.loader = new DataLoader((keys) => store.getMany(keys), {
      cache: false,
      maxBatchSize: MAX_BATCH_GET,
      batchScheduleFn: (run) => setImmediate(run),
    });
  }

  /** One entry per key, in order; rejects when the store fails. */
  getMany(keys: readonly MappingKey[]): Promise<(StoredMapping | undefined)[]> {
    return Promise.all(keys.map((key) => this.loader.load(key)));
  }
}
