import { randomBytes } from 'node:crypto';
import { StoreUnavailableError, type TenantKeyRecord, type TokenStore } from '../store/token-store.js';
import type { TenantReadKeys, TenantSecret } from '../tokens/original-cipher.js';

interface Entry {
  record: TenantKeyRecord | undefined;
  loadedAt: number;
}

/** A blob naming a secret this instance does not hold re-reads the record at most this often. */
const REFRESH_INTERVAL_MS = 1000;
/** Compare-and-swap rounds before giving up on a record other writers keep changing. */
const SWAP_ATTEMPTS = 5;

export const DEFAULT_TENANT_KEY_CACHE_MAX_AGE_SECONDS = 60;

/**
 * Process-wide: each tenant's key record (src/store/token-store.ts), read from the store and
 * cached for at most `maxAgeMs`, created by the tenant's first write. The record holds the random
 * secret that originals are sealed with (besides a master key), so shredding a tenant is
 * replacing its record with one that has no secret: every instance stops reading and writing
 * under the old secret once its cache entry ages out, and this one at once.
 *
 * Records change only by compare-and-swap on their id, so two instances creating a tenant's
 * first record agree on one, and a shredding is never undone by a stale writer.
 */
export class TenantSecrets {
  private readonly cache = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<Entry>>();
  private readonly creating = new Map<string, Promise<TenantSecret | undefined>>();
  /** Bumped by shredding: a load that started before must not cache what it read. */
  private readonly epochs = new Map<string, number>();

  constructor(
    private readonly store: Pick<TokenStore, 'getTenantKey' | 'swapTenantKey'>,
    readonly maxAgeMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The secret new originals of the tenant are sealed with; created when the tenant has none (new, or shredded). */
  async forWrite(tenant: string): Promise<TenantSecret> {
    for (let attempt = 0; attempt < SWAP_ATTEMPTS; attempt++) {
      const { record } = await this.entry(tenant);
      if (record?.secret) return { id: record.id, secret: record.secret };
      // One creation per tenant at a time on this instance: the first writes of a new tenant
      // arrive together, and all but one swap would fail.
      const creating = this.creating.get(tenant);
      if (creating) {
        await creating.catch(() => undefined);
        continue;
      }
      const created = this.create(tenant, record);
      this.creating.set(tenant, created);
      try {
        const secret = await created;
        if (secret) return secret;
      } finally {
        if (this.creating.get(tenant) === created) this.creating.delete(tenant);
      }
    }
    throw new StoreUnavailableError('the tenant key record kept changing under concurrent writers');
  }

  /** A new secret in place of `record` (none, or shredded); undefined when another writer changed the record first. */
  private async create(tenant: string, record: TenantKeyRecord | undefined): Promise<TenantSecret | undefined> {
    const next: TenantKeyRecord = {
      id: newRecordId(),
      secret: randomBytes(32),
      // A tenant never shredded keeps reading what was sealed before tenant secrets existed.
      legacyReadable: record === undefined,
      ...(record?.shreddedAt !== undefined ? { shreddedAt: record.shreddedAt } : {}),
    };
    const epoch = this.epochOf(tenant);
    if (await this.store.swapTenantKey(tenant, record?.id, next)) {
      if (this.epochOf(tenant) === epoch) this.cache.set(tenant, { record: next, loadedAt: this.now() });
      return { id: next.id, secret: next.secret! };
    }
    // Another writer created or changed the record first: read it again.
    this.cache.delete(tenant);
    return undefined;
  }

  /**
   * What the tenant's originals can be read with now. `named`: the secret ids the blobs to read
   * name; one this instance does not hold (created elsewhere, or shredded) has the record read
   * again from the store, at most once a second.
   */
  async forRead(tenant: string, named: readonly (string | undefined)[] = []): Promise<TenantReadKeys> {
    const keys = readKeys((await this.entry(tenant)).record);
    if (!named.some((id) => id !== undefined && id !== keys.secret?.id)) return keys;
    const cached = this.cache.get(tenant);
    if (!cached || this.now() - cached.loadedAt < REFRESH_INTERVAL_MS) return keys;
    this.cache.delete(tenant);
    return readKeys((await this.entry(tenant)).record);
  }

  /** The record as the store has it now, bypassing the cache. */
  async current(tenant: string): Promise<TenantKeyRecord | undefined> {
    return this.store.getTenantKey(tenant);
  }

  /** Destroys the tenant's secret: a record without one takes its place. Resolves to the time of the shredding. */
  async shred(tenant: string): Promise<number> {
    for (let attempt = 0; attempt < SWAP_ATTEMPTS; attempt++) {
      this.forget(tenant);
      const record = await this.store.getTenantKey(tenant);
      const at = this.now();
      if (await this.store.swapTenantKey(tenant, record?.id, { id: newRecordId(), legacyReadable: false, shreddedAt: at })) {
        this.forget(tenant);
        return at;
      }
    }
    throw new StoreUnavailableError('the tenant key record kept changing under concurrent writers');
  }

  private forget(tenant: string): void {
    this.epochs.set(tenant, this.epochOf(tenant) + 1);
    this.cache.delete(tenant);
    this.loading.delete(tenant);
  }

  private epochOf(tenant: string): number {
    return this.epochs.get(tenant) ?? 0;
  }

  private entry(tenant: string): Promise<Entry> {
    const cached = this.cache.get(tenant);
    if (cached && this.now() - cached.loadedAt < this.maxAgeMs) return Promise.resolve(cached);
    let loading = this.loading.get(tenant);
    if (!loading) {
      const epoch = this.epochOf(tenant);
      const load: Promise<Entry> = this.store
        .getTenantKey(tenant)
        .then((record) => {
          const entry = { record, loadedAt: this.now() };
          if (this.epochOf(tenant) === epoch) this.cache.set(tenant, entry);
          return entry;
        })
        .finally(() => {
          if (this.loading.get(tenant) === load) this.loading.delete(tenant);
        });
      this.loading.set(tenant, (loading = load));
    }
    return loading;
  }
}

function readKeys(record: TenantKeyRecord | undefined): TenantReadKeys {
  if (!record) return { legacyReadable: true };
  return { legacyReadable: record.legacyReadable, ...(record.secret ? { secret: { id: record.id, secret: record.secret } } : {}) };
}

function newRecordId(): string {
  return randomBytes(9).toString('base64url');
}
