import type { MappingKey, StoredMapping, TenantKeyRecord, TokenStore } from '../store/token-store.js';
import type { GatewayMetrics } from './gateway-metrics.js';

/**
 * Counts and times every token store call. The vault sends the store one batch per call (group
 * commit cuts writes into 25-item batches, reads are batched by 100), so a call here is one
 * BatchWriteItem or BatchGetItem plus its retries.
 */
export class MeteredStore implements TokenStore {
  constructor(
    private readonly inner: TokenStore,
    private readonly metrics: GatewayMetrics,
  ) {}

  async putMany(items: readonly StoredMapping[]): Promise<void> {
    await this.measure('put', items.length, () => this.inner.putMany(items));
    this.metrics.mappingsWritten.inc(items.length);
  }

  getMany(keys: readonly MappingKey[]): Promise<(StoredMapping | undefined)[]> {
    return this.measure('get', keys.length, () => this.inner.getMany(keys));
  }

  delete(keys: readonly MappingKey[]): Promise<void> {
    return this.measure('delete', keys.length, () => this.inner.delete(keys));
  }

  getTenantKey(tenant: string): Promise<TenantKeyRecord | undefined> {
    return this.measure('tenant-key-get', 1, () => this.inner.getTenantKey(tenant));
  }

  swapTenantKey(tenant: string, previousId: string | undefined, next: TenantKeyRecord): Promise<boolean> {
    return this.measure('tenant-key-swap', 1, () => this.inner.swapTenantKey(tenant, previousId, next));
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  private async measure<T>(operation: string, size: number, call: () => Promise<T>): Promise<T> {
    const stop = this.metrics.storeSeconds.startTimer({ operation });
    this.metrics.storeBatchSize.observe({ operation }, size);
    try {
      const result = await call();
      this.metrics.storeCalls.inc({ operation, outcome: 'ok' });
      return result;
    } catch (error) {
      this.metrics.storeCalls.inc({ operation, outcome: 'error' });
      throw error;
    } finally {
      stop();
    }
  }
}
