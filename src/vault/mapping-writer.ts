import type { StoredMapping, TokenStore } from '../store/token-store.js';
import type { OriginalCipher } from '../tokens/original-cipher.js';
import type { PendingMapping } from './pending-mapping.js';
import type { StoredTokenCache } from './stored-token-cache.js';

/**
 * Process-wide: encrypts pending mappings and writes them in store batches. Concurrent
 * requests that hand out the same new token share one in-flight write instead of racing,
 * and the cache learns a token only after the store acknowledged it.
 */
export class MappingWriter {
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(
    private readonly store: TokenStore,
    private readonly cipher: OriginalCipher,
    private readonly cache: StoredTokenCache,
    private readonly now: () => number = Date.now,
  ) {}

  async write(pending: Iterable<PendingMapping>): Promise<void> {
    const waitFor: Promise<void>[] = [];
    const fresh: PendingMapping[] = [];
    for (const mapping of pending) {
      const existing = this.inFlight.get(flightKey(mapping));
      if (existing) waitFor.push(existing);
      else fresh.push(mapping);
    }
    if (fresh.length > 0) {
      const written = this.store.putMany(fresh.map((mapping) => this.encrypt(mapping)));
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

  private encrypt(mapping: PendingMapping): StoredMapping {
    return {
      tenant: mapping.tenant,
      token: mapping.token,
      kind: mapping.kind,
      ciphertext: this.cipher.encrypt(mapping.tenant, mapping.token, mapping.json),
      createdAt: this.now(),
    };
  }
}

function flightKey(mapping: PendingMapping): string {
  return `${mapping.tenant}\0${mapping.token}`;
}
