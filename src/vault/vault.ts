import DataLoader from 'dataloader';
import type { JsonValue } from '../json.js';
import { ErrorCode, GatewayError } from '../errors/gateway-error.js';
import { MAX_BATCH_GET } from '../store/batch-limits.js';
import { MAX_ORIGINAL_BYTES, type StoredMapping } from '../store/token-store.js';
import type { OriginalCipher, TenantReadKeys } from '../tokens/original-cipher.js';
import type { Tokenizer } from '../tokens/tokenizer.js';
import type { ErasedMapping, MappingWriter } from './mapping-writer.js';
import type { PendingMapping } from './pending-mapping.js';
import { StoredTokenCache } from './stored-token-cache.js';
import type { StoreReader } from './store-reader.js';
import type { TenantSecrets } from './tenant-secrets.js';

export interface VaultParts {
  tokenizer: Tokenizer;
  cipher: OriginalCipher;
  reader: StoreReader;
  cache: StoredTokenCache;
  writer: MappingWriter;
  secrets: TenantSecrets;
}

/** Process-wide: hands each request its own RequestVault over shared keys, cache and store. */
export class Vault {
  constructor(readonly parts: VaultParts) {}

  forRequest(tenant: string): RequestVault {
    return new RequestVault(tenant, this.parts);
  }
}

interface Scope {
  kind: string;
  key: string;
  count: number;
}

/** What a token resolved to: its original and kind. */
export interface Resolved {
  value: JsonValue;
  kind: string;
}

/** A mapping to forget: by its token, or by kind and value (the token is recomputed). */
export type ForgetTarget = { token: string } | { kind: string; value: JsonValue };

/** What an erasure found: the mappings that existed, per kind, and how many did not. */
export interface ForgetOutcome {
  forgotten: Map<string, number>;
  notFound: number;
}

/**
 * One request's view of the token vault, for one tenant.
 *
 * `tokenize` is synchronous: the token is an HMAC, and a mapping the store does not have yet is
 * only queued. `flush` writes the queue in batches; the server calls it before any response
 * leaves (invariant 1). Reads go through a DataLoader, so every token asked for in the same
 * tick shares BatchGetItem requests of up to 100 keys.
 */
export class RequestVault {
  private readonly pending = new Map<string, PendingMapping>();
  private readonly loader: DataLoader<string, Resolved | undefined>;
  /** Per kind and value type: the cache partition key and how many values were tokenized. */
  private readonly scopes = new Map<string, Scope>();

  constructor(
    readonly tenant: string,
    private readonly parts: VaultParts,
  ) {
    this.loader = new DataLoader((tokens) => this.load(tokens), { maxBatchSize: MAX_BATCH_GET });
  }

  get tokenFormat() {
    return this.parts.tokenizer.format;
  }

  /**
   * The value's token; its mapping is queued unless the cache knows it is stored. `ttl`
   * (seconds) bounds the mapping's life further than the retention settings do (a policy's
   * retention); values written with a bound are cached apart from those written without.
   */
  tokenize(kind: string, value: JsonValue, ttl?: number): string {
    const scope = this.scopeOf(kind, value, ttl);
    scope.count++;
    const known = this.parts.cache.get(scope.key, value);
    if (known !== undefined) return known;
    const json = JSON.stringify(value);
    if (json.length > MAX_ORIGINAL_BYTES / 3 && Buffer.byteLength(json) > MAX_ORIGINAL_BYTES) {
      // Refused here, as the caller's error: the store would refuse the item, and a store error
      // would answer STORE_UNAVAILABLE and count towards opening the circuit for everyone.
      throw new GatewayError(ErrorCode.PAYLOAD_TOO_LARGE, `a value to tokenize exceeds ${MAX_ORIGINAL_BYTES} bytes, the most the token store keeps`);
    }
    const token = this.parts.tokenizer.tokenForJson(this.tenant, kind, json);
    if (!this.pending.has(token)) this.pending.set(token, { tenant: this.tenant, token, kind, json, value, scope: scope.key, ...(ttl !== undefined ? { ttl } : {}) });
    return token;
  }

  /** The value's token, computed only: nothing queued, stored or counted (validatePolicy's preview). */
  previewToken(kind: string, value: JsonValue): string {
    return this.parts.tokenizer.tokenFor(this.tenant, kind, value);
  }

  /** Values tokenized in this request so far, per kind. */
  tokenizedCounts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const { kind, count } of this.scopes.values()) counts.set(kind, (counts.get(kind) ?? 0) + count);
    return counts;
  }

  private scopeOf(kind: string, value: JsonValue, ttl: number | undefined): Scope {
    const type = typeof value === 'string' ? '' : '\0json';
    const lookup = ttl === undefined ? `${kind}${type}` : `${kind}${type}\0${ttl}`;
    let scope = this.scopes.get(lookup);
    if (!scope) this.scopes.set(lookup, (scope = { kind, key: StoredTokenCache.scope(this.tenant, kind, value, ttl), count: 0 }));
    return scope;
  }

  /** Writes every queued mapping; resolves once the store acknowledged all of them. */
  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = [...this.pending.values()];
    this.pending.clear();
    try {
      await this.parts.writer.write(batch);
    } catch (error) {
      // Put them back: a retried flush must still cover every token handed out.
      for (const mapping of batch) this.pending.set(mapping.token, mapping);
      throw error;
    }
  }

  /**
   * Marks the queue and the counts; the returned function drops what was queued and counted
   * since, for one item of a batch that failed: its values are neither stored nor audited.
   */
  checkpoint(): () => void {
    const queued = this.pending.size;
    const counts = new Map([...this.scopes.values()].map((scope) => [scope, scope.count]));
    return () => {
      let index = 0;
      // Insertion order: what came after the mark is what this item queued.
      for (const token of this.pending.keys()) if (index++ >= queued) this.pending.delete(token);
      for (const scope of this.scopes.values()) scope.count = counts.get(scope) ?? 0;
    };
  }

  /** Drops the queue: for a request that failed to flush and returns no token at all. */
  discardPending(): void {
    this.pending.clear();
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /** Resolves tokens of this tenant; undefined for any that do not resolve. */
  resolveMany(tokens: readonly string[]): Promise<(Resolved | undefined)[]> {
    return Promise.all(tokens.map((token) => this.loader.load(token)));
  }

  /**
   * Deletes the mappings of this tenant behind the targets; afterwards their tokens resolve no
   * more. Every target's key is deleted, found or not, so a mapping written by a concurrent
   * request just before is erased too. A value tokenized again later gets the same token and
   * a new mapping (tokens are deterministic).
   */
  async forget(targets: readonly ForgetTarget[]): Promise<ForgetOutcome> {
    const byToken = new Map<string, { kind: string; value: JsonValue } | undefined>();
    for (const target of targets) {
      if ('token' in target) {
        if (!byToken.has(target.token)) byToken.set(target.token, undefined);
      } else {
        byToken.set(this.parts.tokenizer.tokenFor(this.tenant, target.kind, target.value), target);
      }
    }
    const tokens = [...byToken.keys()];
    const stored = await this.parts.reader.getMany(tokens.map((token) => ({ tenant: this.tenant, token })));
    const keys = await this.readKeys(stored);
    const outcome: ForgetOutcome = { forgotten: new Map(), notFound: 0 };
    const erased = tokens.map((token, i): ErasedMapping => {
      const mapping = stored[i];
      if (mapping) outcome.forgotten.set(mapping.kind, (outcome.forgotten.get(mapping.kind) ?? 0) + 1);
      else outcome.notFound++;
      // The value's cache entry must go too, or this instance would hand the token out again
      // without writing a mapping; a token alone names its value only through the store.
      let original = byToken.get(token);
      const json = !original && mapping ? this.parts.cipher.decrypt(this.tenant, token, mapping.ciphertext, keys) : undefined;
      if (json !== undefined) original = { kind: mapping!.kind, value: JSON.parse(json) as JsonValue };
      return {
        tenant: this.tenant,
        token,
        ...(original ? { cached: original } : {}),
      };
    });
    await this.parts.writer.erase(erased);
    return outcome;
  }

  private async load(tokens: readonly string[]): Promise<(Resolved | undefined)[]> {
    const results: (Resolved | undefined)[] = new Array(tokens.length);
    const toFetch: number[] = [];
    tokens.forEach((token, i) => {
      const queued = this.pending.get(token);
      if (queued) results[i] = { value: JSON.parse(queued.json) as JsonValue, kind: queued.kind };
      else toFetch.push(i);
    });
    if (toFetch.length === 0) return results;
    const stored = await this.parts.reader.getMany(toFetch.map((i) => ({ tenant: this.tenant, token: tokens[i]! })));
    const keys = await this.readKeys(stored);
    toFetch.forEach((i, n) => {
      const mapping = stored[n];
      const json = mapping && this.parts.cipher.decrypt(this.tenant, tokens[i]!, mapping.ciphertext, keys);
      results[i] = json === undefined || !mapping ? undefined : { value: JSON.parse(json) as JsonValue, kind: mapping.kind };
    });
    return results;
  }

  /** The tenant's keys for these mappings. */
  private readKeys(mappings: readonly (StoredMapping | undefined)[]): Promise<TenantReadKeys> {
    return this.parts.secrets.forRead(
      this.tenant,
      mappings.map((mapping) => mapping && this.parts.cipher.secretIdOf(mapping.ciphertext)),
    );
  }
}
