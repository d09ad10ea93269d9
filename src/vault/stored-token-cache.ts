import type { JsonValue } from '../json.js';
import type { RetentionPolicy } from '../retention/retention-policy.js';

type Generation = Map<string, Map<string, string>>;

/**
 * (tenant, kind, value) -> token, for mappings the store has acknowledged. A hit means the
 * token can be returned with no HMAC and no write. Entries are added only after a durable
 * write, never before, so a hit can never hand out a token the store does not have.
 *
 * Bounded by two generations of Maps (the scheme of quick-lru): new entries go to the young
 * generation; when it holds `maxEntries`, it becomes the old one and the previous old one is
 * dropped; a hit in the old generation moves the entry back to the young one. So at most
 * 2 x maxEntries values are held, and what is in use survives.
 *
 * With a maximum age (when mappings expire), the generations also turn every maxAge / 2 and an
 * old-generation hit is not moved back: no entry outlives maxAge, so a value tokenized again
 * later is written again, which renews its expiry (see RetentionPolicy).
 *
 * Written here rather than taken from an LRU package because a lookup sits on the path of every
 * @pii field: keying by a reused scope string, then by the value itself, means a hit hashes only
 * strings V8 has hashed before, instead of a freshly concatenated key (measured: the
 * concatenated key made the cache the largest single cost of a 3,000-field query).
 */
export class StoredTokenCache {
  private young: Generation = new Map();
  private old: Generation = new Map();
  private youngCount = 0;
  /**
   * Partition (tenant, kind, value type) -> its scopes (with or without a life bound) in either
   * generation, so erasing a value visits its few scopes instead of every scope of every tenant
   * (1,000 erasures among 10,000 tenants' scopes took 7 s when each scanned them all). Rebuilt
   * when the generations turn, so it holds no more scopes than they do.
   */
  private scopesOf = new Map<string, Set<string>>();
  /** Lookups so far, for the metrics. */
  readonly stats = { hits: 0, misses: 0 };

  private readonly promote: boolean;
  private readonly timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly maxEntries: number,
    maxAgeMs?: number,
  ) {
    this.promote = maxAgeMs === undefined;
    if (maxAgeMs !== undefined) {
      // A timer rather than a clock read on every lookup: lookups are the hot path.
      this.timer = setInterval(() => this.turn(), Math.max(1, maxAgeMs / 2));
      this.timer.unref();
    }
  }

  /** Stops the age timer (the app's stop). */
  close(): void {
    clearInterval(this.timer);
  }

  /**
   * The key of one (tenant, kind, value type) partition. Callers keep the returned string and
   * pass the same instance again, so V8 hashes it once.
   */
  static scope(tenant: string, kind: string, value: JsonValue, ttl?: number): string {
    // Strings and other JSON values live in separate partitions: "42" and 42 never meet. So do
    // values written with a life bound (a policy's retention) and without: a hit of one must
    // not skip the write of the other, which sets another expiry.
    const partition = `${tenant}\0${kind}\0${typeof value === 'string' ? 's' : 'j'}`;
    return ttl === undefined ? partition : `${partition}\0${ttl}`;
  }

  get(scope: string, value: JsonValue): string | undefined {
    const key = valueKey(value);
    const hit = this.young.get(scope)?.get(key);
    if (hit !== undefined) {
      this.stats.hits++;
      return hit;
    }
    const old = this.old.get(scope);
    const promoted = old?.get(key);
    if (promoted !== undefined) {
      if (this.promote) {
        old!.delete(key);
        this.insert(scope, key, promoted);
      }
      this.stats.hits++;
    } else {
      this.stats.misses++;
    }
    return promoted;
  }

  remember(scope: string, value: JsonValue, token: string): void {
    if (this.maxEntries > 0) this.insert(scope, valueKey(value), token);
  }

  /**
   * Drops a value's entries in every partition of its tenant, kind and type (with or without a
   * life bound), so its next tokenization writes the mapping again (erasure).
   */
  forget(tenant: string, kind: string, value: JsonValue): void {
    const scopes = this.scopesOf.get(StoredTokenCache.scope(tenant, kind, value));
    if (!scopes) return;
    const key = valueKey(value);
    for (const scope of scopes) {
      if (this.young.get(scope)?.delete(key)) this.youngCount--;
      this.old.get(scope)?.delete(key);
    }
  }

  /** Drops every entry of the tenant (its secret was shredded: none of its mappings is readable). */
  forgetTenant(tenant: string): void {
    const prefix = `${tenant}\0`;
    for (const generation of [this.young, this.old]) {
      for (const [scope, byValue] of generation) {
        if (!scope.startsWith(prefix)) continue;
        if (generation === this.young) this.youngCount -= byValue.size;
        generation.delete(scope);
      }
    }
    for (const partition of this.scopesOf.keys()) if (partition.startsWith(prefix)) this.scopesOf.delete(partition);
  }

  private insert(scope: string, key: string, token: string): void {
    let byValue = this.young.get(scope);
    if (!byValue) {
      this.young.set(scope, (byValue = new Map()));
      index(this.scopesOf, scope);
    }
    if (!byValue.has(key)) this.youngCount++;
    byValue.set(key, token);
    if (this.youngCount >= this.maxEntries) this.turn();
  }

  private turn(): void {
    this.old = this.young;
    this.young = new Map();
    this.youngCount = 0;
    this.scopesOf = new Map();
    for (const scope of this.old.keys()) index(this.scopesOf, scope);
  }
}

/**
 * How long a cached "this value's mapping is stored" may be believed. Not past half the
 * shortest TTL (of the retention settings and the policies), so values in use get rewritten
 * (renewed); and not past TOKEN_CACHE_MAX_AGE,
 * which bounds how long another instance's erasure goes unnoticed here.
 */
export function cacheMaxAgeMs(retention: RetentionPolicy, maxAgeSeconds: number | undefined, policyRetentions: readonly number[] = []): number | undefined {
  const ttls = [retention.shortestSeconds(), ...policyRetentions].filter((seconds) => seconds !== undefined);
  const ttl = ttls.length > 0 ? Math.min(...ttls) : undefined;
  const limits = [ttl === undefined ? undefined : (ttl * 1000) / 2, maxAgeSeconds === undefined ? undefined : maxAgeSeconds * 1000];
  const set = limits.filter((ms) => ms !== undefined);
  return set.length > 0 ? Math.min(...set) : undefined;
}

function index(scopesOf: Map<string, Set<string>>, scope: string): void {
  // The partition is the scope's first three parts: tenants and kinds hold no NUL.
  const partition = scope.split('\0', 3).join('\0');
  let scopes = scopesOf.get(partition);
  if (!scopes) scopesOf.set(partition, (scopes = new Set()));
  scopes.add(scope);
}

function valueKey(value: JsonValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
