import DataLoader from 'dataloader';
import pLimit, { type LimitFunction } from 'p-limit';
import { DEFAULT_STORE_CONCURRENCY, MAX_BATCH_GET } from '../store/batch-limits.js';
import type { MappingKey, StoredMapping, TokenStore } from '../store/token-store.js';

/**
 * Process-wide reads: the lookups of every request in one event-loop turn share BatchGetItem
 * calls of up to 100 keys (each request's own DataLoader batches within the request first).
 * Nothing is cached here: every read asks the store, so a deleted or expired mapping is gone.
 */
export class StoreReader {
  private readonly loader: DataLoader<MappingKey, StoredMapping | undefined, string>;
  /** The limit of the turn being gathered; the batches of one turn share it (see MappingWriter). */
  private gathering: LimitFunction | undefined;
  /** The limit of the batch being sent: DataLoader calls the batch function inside `run`. */
  private sending: LimitFunction;

  constructor(store: TokenStore, concurrency: number = DEFAULT_STORE_CONCURRENCY) {
    this.sending = pLimit(concurrency);
    this.loader = new DataLoader((keys) => this.sending(() => store.getMany(keys)), {
      cache: false,
      maxBatchSize: MAX_BATCH_GET,
      // Each 100 keys are a batch with its own schedule; those of one turn are sent
      // `concurrency` at a time, and the next turn's do not wait behind them.
      batchScheduleFn: (run) => {
        if (!this.gathering) {
          const turn = pLimit(concurrency);
          this.gathering = turn;
          setImmediate(() => {
            if (this.gathering === turn) this.gathering = undefined;
          });
        }
        const turn = this.gathering;
        setImmediate(() => {
          this.sending = turn;
          run();
        });
      },
    });
  }

  /** One entry per key, in order; rejects when the store fails. */
  getMany(keys: readonly MappingKey[]): Promise<(StoredMapping | undefined)[]> {
    return Promise.all(keys.map((key) => this.loader.load(key)));
  }
}
