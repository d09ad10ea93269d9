import pLimit, { type LimitFunction } from 'p-limit';
import type { MappingKey, StoredMapping, TenantKeyRecord, TokenStore } from './token-store.js';

/** Store calls in flight at once by default (STORE_CONCURRENCY). */
export const DEFAULT_STORE_CONCURRENCY = 16;

/**
 * At most `concurrency` store calls in flight; the others wait their turn, and a call's deadline
 * starts only when it is sent. A request that brings 20,000 new values makes 800 batch writes:
 * sent all at once they queued in the store's connection pool and in the store, and the last
 * ones passed their deadline before the store saw them (STORE_UNAVAILABLE for a healthy store);
 * in turn, each has its whole deadline. Outside the circuit breaker, so calls waiting here when
 * it opens fail at once instead of each trying the dead store.
 */
export class ConcurrencyLimitedStore implements TokenStore {
  private readonly limit: LimitFunction;

  constructor(
    private readonly inner: TokenStore,
    concurrency = DEFAULT_STORE_CONCURRENCY,
  ) {
    this.limit = pLimit(concurrency);
  }

  /** Calls waiting for a turn. */
  get waiting(): number {
    return this.limit.pendingCount;
  }

  putMany(items: readonly StoredMapping[]): Promise<void> {
    return this.limit(() => this.inner.putMany(items));
  }

  getMany(keys: readonly MappingKey[]): Promise<(StoredMapping | undefined)[]> {
    return this.limit(() => this.inner.getMany(keys));
  }

  delete(keys: readonly MappingKey[]): Promise<void> {
    return this.limit(() => this.inner.delete(keys));
  }

  getTenantKey(tenant: string): Promise<TenantKeyRecord | undefined> {
    return this.limit(() => this.inner.getTenantKey(tenant));
  }

  swapTenantKey(tenant: string, previousId: string | undefined, next: TenantKeyRecord): Promise<boolean> {
    return this.limit(() => this.inner.swapTenantKey(tenant, previousId, next));
  }

  /** Not in turn: readiness asks whether the store answers, not how busy this instance is. */
  ping(): Promise<void> {
    return this.inner.ping();
  }
}
