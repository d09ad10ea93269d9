import { StoreUnavailableError, type MappingKey, type StoredMapping, type TenantKeyRecord, type TokenStore } from '../../src/store/token-store.js';

/**
 * A fault injector in front of a real store: while `failing` is set, the chosen operations
 * fail the way an unreachable store does. Everything else passes through to the real store.
 */
export class FaultyStore implements TokenStore {
  failWrites = false;
  failReads = false;

  constructor(private readonly real: TokenStore) {}

  async putMany(items: readonly StoredMapping[]): Promise<void> {
    if (this.failWrites) throw new StoreUnavailableError('injected write failure');
    return this.real.putMany(items);
  }

  async getMany(keys: readonly MappingKey[]): Promise<(StoredMapping | undefined)[]> {
    if (this.failReads) throw new StoreUnavailableError('injected read failure');
    return this.real.getMany(keys);
  }

  async delete(keys: readonly MappingKey[]): Promise<void> {
    // A delete is a write to the store (BatchWriteItem).
    if (this.failWrites) throw new StoreUnavailableError('injected write failure');
    return this.real.delete(keys);
  }

  async getTenantKey(tenant: string): Promise<TenantKeyRecord | undefined> {
    if (this.failReads) throw new StoreUnavailableError('injected read failure');
    return this.real.getTenantKey(tenant);
  }

  async swapTenantKey(tenant: string, previousId: string | undefined, next: TenantKeyRecord): Promise<boolean> {
    if (this.failWrites) throw new StoreUnavailableError('injected write failure');
    return this.real.swapTenantKey(tenant, previousId, next);
  }

  async ping(): Promise<void> {
    if (this.failReads) throw new StoreUnavailableError('injected read failure');
    return this.real.ping();
  }
}
