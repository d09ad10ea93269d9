import type { JsonValue } from '../json.js';
import pLimit from 'p-limit';
import { chunk, DEFAULT_STORE_CONCURRENCY, MAX_BATCH_WRITE } from '../store/batch-limits.js';
import type { MappingKey, StoredMapping, TokenStore } from '../store/token-store.js';
import { RetentionPolicy } from '../retention/retention-policy.js';
import type { OriginalCipher, TenantSecret } from '../tokens/original-cipher.js';
import type { PendingMapping } from './pending-mapping.js';
import type { StoredTokenCache } from './stored-token-cache.js';
import type { TenantSecrets } from './tenant-secrets.js';

/**
 * Process-wide: encrypts pending mappings and writes them in store batches. Concurrent
 * requests that hand out the same new token share one in-flight write instead of racing,
 * and the cache learns a token only after the store acknowledged it.
 *
 * Group commit: the writes of every request that flushes in the same event-loop turn are cut
 * into shared 25-item batches, so under load a few new values per request fill whole batches
 * instead of costing one store call each. Each batch is its own store call, at most
 * `concurrency` of a group in flight at once; a request waits for the batches carrying its
 * mappings and fails only if one of those fails.
 *
 * Erasure goes through here too, because it must be ordered with the writes of the same
 * tokens: a write already in flight lands before the delete, and a write that starts during
 * the erasure waits for it, so neither the store nor the cache keeps a mapping the erasure
 * missed, and the cache never remembers a token whose mapping was just deleted.
 */
export class MappingWriter {
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly erasing = new Map<string, Promise<void>>();
  private next: { items: StoredMapping[]; batches: Promise<Promise<void>[]> } | undefined;
  /** Store calls not settled yet: a request that failed on one batch leaves the others running. */
  private readonly calls = new Set<Promise<void>>();

  constructor(
    private readonly store: TokenStore,
    private readonly cipher: OriginalCipher,
    private readonly cache: StoredTokenCache,
    private readonly secrets: TenantSecrets,
    private readonly retention: RetentionPolicy = RetentionPolicy.none(),
    private readonly now: () => number = Date.now,
    private readonly concurrency: number = DEFAULT_STORE_CONCURRENCY,
  ) {}

  async write(pending: Iterable<PendingMapping>): Promise<void> {
    const mappings = [...pending];
    if (this.erasing.size > 0) {
      const erasures = mappings.map((m) => this.erasing.get(flightKey(m))).filter((erasure) => erasure !== undefined);
      if (erasures.length > 0) await Promise.allSettled(erasures);
    }
    const waitFor: Promise<void>[] = [];
    const fresh: PendingMapping[] = [];
    for (const mapping of mappings) {
      const existing = this.inFlight.get(flightKey(mapping));
      if (existing) waitFor.push(existing);
      else fresh.push(mapping);
    }
    if (fresh.length > 0) {
      // A cached secret resolves within this turn, so the mappings still join this turn's batches.
      const written = this.secretsFor(fresh).then((secrets) => this.enqueue(fresh.map((mapping) => this.encrypt(mapping, secrets.get(mapping.tenant)!))));
      const settled = written.then(
        () => {
          for (const m of fresh) this.cache.remember(m.scope, m.value, m.token);
        },
      ).finally(() => {
        for (const m of fresh) this.inFlight.delete(flightKey(m));
      });
      for (const m of fresh) this.inFlight.set(flightKey(m), settled);
      waitFor.push(settled);
    }
    await Promise.all(waitFor);
  }

  /** Deletes mappings from the store and their values from the token cache. */
  async erase(mappings: readonly ErasedMapping[]): Promise<void> {
    const forgetCached = () => {
      for (const { tenant, cached } of mappings) if (cached) this.cache.forget(tenant, cached.kind, cached.value);
    };
    const inFlight = mappings.map((m) => this.inFlight.get(flightKey(m))).filter((write) => write !== undefined);
    const erasure = (async () => {
      forgetCached();
      await Promise.allSettled(inFlight);
      // The writes just awaited may have taught the cache these values again.
      forgetCached();
      await this.store.delete(mappings.map(({ tenant, token }) => ({ tenant, token })));
    })();
    for (const m of mappings) this.erasing.set(flightKey(m), erasure);
    try {
      await erasure;
    } finally {
      for (const m of mappings) if (this.erasing.get(flightKey(m)) === erasure) this.erasing.delete(flightKey(m));
    }
  }

  /** Adds items to the batches that leave at the end of this event-loop turn; resolves when theirs are stored. */
  private enqueue(items: StoredMapping[]): Promise<void> {
    if (!this.next) {
      const group = { items: [] as StoredMapping[], batches: Promise.resolve([] as Promise<void>[]) };
      group.batches = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        this.next = undefined;
        // In turn: a request with 20,000 new values makes 800 batches; sent at once, the last
        // waited in the connection pool and the store past their deadline (STORE_UNAVAILABLE
        // from a healthy store). Per group, so later turns' writes do not queue behind them.
        const inTurn = pLimit(this.concurrency);
        return chunk(group.items, MAX_BATCH_WRITE).map((batch) => this.track(inTurn(() => this.store.putMany(batch))));
      });
      this.next = group;
    }
    const first = Math.floor(this.next.items.length / MAX_BATCH_WRITE);
    this.next.items.push(...items);
    const last = Math.floor((this.next.items.length - 1) / MAX_BATCH_WRITE);
    return this.next.batches.then((batches) => Promise.all(batches.slice(first, last + 1))).then(() => undefined);
  }

  /** Resolves once every store write begun so far has settled (shutdown, before the store closes). */
  async settle(): Promise<void> {
    while (this.calls.size > 0 || this.next) {
      await Promise.allSettled([...this.calls, ...(this.next ? [this.next.batches] : [])]);
    }
  }

  private track(call: Promise<void>): Promise<void> {
    this.calls.add(call);
    const done = () => this.calls.delete(call);
    call.then(done, done);
    return call;
  }

  private async secretsFor(mappings: readonly PendingMapping[]): Promise<Map<string, TenantSecret>> {
    const tenants = [...new Set(mappings.map((m) => m.tenant))];
    const secrets = await Promise.all(tenants.map((tenant) => this.secrets.forWrite(tenant)));
    return new Map(tenants.map((tenant, i) => [tenant, secrets[i]!]));
  }

  private encrypt(mapping: PendingMapping, secret: TenantSecret): StoredMapping {
    const now = this.now();
    const configured = this.retention.ttlSeconds(mapping.tenant, mapping.kind);
    const ttl = configured === undefined ? mapping.ttl : mapping.ttl === undefined ? configured : Math.min(configured, mapping.ttl);
    return {
      tenant: mapping.tenant,
      token: mapping.token,
      kind: mapping.kind,
      ciphertext: this.cipher.encrypt(mapping.tenant, mapping.token, mapping.json, secret),
      createdAt: now,
      // Rounded up: a mapping is kept at least its TTL (to the second).
      ...(ttl !== undefined ? { expiresAt: Math.ceil(now / 1000) + ttl } : {}),
    };
  }
}

/** A mapping to erase and, where the value is known, its entry in the token cache. */
export interface ErasedMapping extends MappingKey {
  cached?: { kind: string; value: JsonValue };
}

function flightKey(mapping: MappingKey): string {
  return `${mapping.tenant}\0${mapping.token}`;
}
