import { forEachLimited } from '../store/batch-limits.js';
import type { MappingKey, StoredMapping } from '../store/token-store.js';
import type { OriginalCipher } from '../tokens/original-cipher.js';
import type { TenantSecrets } from '../vault/tenant-secrets.js';

/** What key rotation needs of a store: to walk every mapping and swap one ciphertext safely. */
export interface RotatableStore {
  scanPage(cursor: string | undefined, limit: number): Promise<{ mappings: StoredMapping[]; cursor?: string }>;
  replaceCiphertext(mapping: MappingKey, previous: Uint8Array, next: Uint8Array): Promise<boolean>;
}

/** Where a rotation stands: saved after every page, so a stopped run resumes where it was. */
export interface RotationState {
  /** The master key id everything is being re-encrypted under. */
  targetKey: string;
  /** The scan position after the last finished page; absent before the first and after the last. */
  cursor?: string;
  done: boolean;
  /** Mappings looked at. */
  scanned: number;
  /** Re-encrypted under the target key. */
  reencrypted: number;
  /** Already under the target key. */
  current: number;
  /** Deleted or rewritten by the gateway between the scan and the swap: left as they are. */
  changedMeanwhile: number;
  /** Expired: not worth re-encrypting, DynamoDB's TTL deletes them. */
  expired: number;
  /**
   * Cannot be re-encrypted, counted by why: the id of a master key no longer in the ring,
   * "shredded tenant or damaged", or "unknown format".
   */
  unreadable: Record<string, number>;
}

export interface RotationOptions {
  store: RotatableStore;
  cipher: OriginalCipher;
  /** The tenants' secrets: what a mapping is read with, and the secret it is sealed with again. */
  secrets: TenantSecrets;
  /** A state to resume (same target key, not done), or undefined to start from the beginning. */
  resume?: RotationState | undefined;
  pageSize?: number;
  /** Swaps in flight at once. */
  concurrency?: number;
  /** Called after every page with the state to save. */
  onPage?: (state: RotationState) => void | Promise<void>;
  /** Stops after the page in progress (the state says where to resume). */
  signal?: AbortSignal;
  now?: () => number;
}

/** Counts by name without a prototype: a key id may be `constructor`. */
function counters(from: Record<string, number> = {}): Record<string, number> {
  return Object.assign(Object.create(null) as Record<string, number>, from);
}

export function freshRotationState(targetKey: string): RotationState {
  return { targetKey, done: false, scanned: 0, reencrypted: 0, current: 0, changedMeanwhile: 0, expired: 0, unreadable: counters() };
}

/**
 * Re-encrypts every stored original that is not sealed in the current layout under the ring's
 * current master key, page by page: older master keys, and sealings from before tenant secrets
 * (which then become shreddable with their tenant). Each swap is conditional on the ciphertext
 * it read, so a mapping erased meanwhile is never recreated and one the gateway rewrote (under
 * the current key anyway) is not touched.
 * Tokens are not involved: only ciphertexts change.
 */
export async function rotateKeys(options: RotationOptions): Promise<RotationState> {
  const { store, cipher, secrets } = options;
  const target = cipher.currentKey.id;
  const now = options.now ?? Date.now;
  const state = options.resume && options.resume.targetKey === target && !options.resume.done ? { ...options.resume, unreadable: counters(options.resume.unreadable) } : freshRotationState(target);
  do {
    if (options.signal?.aborted) break;
    const page = await store.scanPage(state.cursor, options.pageSize ?? 100);
    await forEachLimited(page.mappings, options.concurrency ?? 8, async (mapping) => {
      state.scanned++;
      if (cipher.isCurrent(mapping.ciphertext, target)) {
        state.current++;
        return;
      }
      if (mapping.expiresAt !== undefined && mapping.expiresAt * 1000 <= now()) {
        state.expired++;
        return;
      }
      const plaintext = cipher.decrypt(mapping.tenant, mapping.token, mapping.ciphertext, await secrets.forRead(mapping.tenant, [cipher.secretIdOf(mapping.ciphertext)]));
      if (plaintext === undefined) {
        const keyId = cipher.keyIdOf(mapping.ciphertext);
        const label = keyId === undefined ? 'unknown format' : cipher.hasKey(keyId) ? 'shredded tenant or damaged' : keyId;
        state.unreadable[label] = (state.unreadable[label] ?? 0) + 1;
        return;
      }
      const next = cipher.encrypt(mapping.tenant, mapping.token, plaintext, await secrets.forWrite(mapping.tenant));
      const swapped = await store.replaceCiphertext(mapping, mapping.ciphertext, next);
      if (swapped) state.reencrypted++;
      else state.changedMeanwhile++;
    });
    if (page.cursor) state.cursor = page.cursor;
    else {
      delete state.cursor;
      state.done = true;
    }
    await options.onPage?.(state);
  } while (!state.done);
  return state;
}
