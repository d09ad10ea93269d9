import { LRUCache } from 'lru-cache';

/**
 * (tenant, kind, value) -> token, for mappings the store has acknowledged. A hit means the
 * token can be returned with no HMAC and no write. Entries are added only after a durable
 * write, never before, so a hit can never hand out a token the store does not have.
 * Bounded: values live here in memory only, for as long as the LRU keeps them.
 */
export class StoredTokenCache {
  private readonly lru: LRUCache<string, string> | undefined;

  constructor(maxEntries: number) {
    this.lru = maxEntries > 0 ? new LRUCache({ max: maxEntries }) : undefined;
  }

  get(tenant: string, kind: string, json: string): string | undefined {
    return this.lru?.get(cacheKey(tenant, kind, json));
  }

  remember(tenant: string, kind: string, json: string, token: string): void {
    this.lru?.set(cacheKey(tenant, kind, json), token);
  }

  clear(): void {
    this.lru?.clear();
  }
}

function cacheKey(tenant: string, kind: string, json: string): string {
  return `${tenant}\0${kind}\0${json}`;
}
