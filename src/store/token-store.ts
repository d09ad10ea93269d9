/**
 * The largest original (its JSON text, in UTF-8 bytes) a mapping may hold. A DynamoDB item is at
 * most 400 KB; this leaves room for the key, the other attributes and the encryption's overhead.
 */
export const MAX_ORIGINAL_BYTES = 256 * 1024;

/** One stored mapping: the encrypted original behind a tenant's token. */
export interface StoredMapping {
  tenant: string;
  token: string;
  kind: string;
  /** The original's JSON text, encrypted by the tokens layer; the store never sees plaintext. */
  ciphertext: Uint8Array;
  /** Epoch milliseconds. */
  createdAt: number;
  /** Epoch seconds (DynamoDB's TTL format); a mapping past it is treated as gone. */
  expiresAt?: number;
}

/**
 * A tenant's key record: the random secret that, with a master key, keys the tenant's originals
 * (destroying it makes them unreadable: crypto-shredding), or the mark that it was destroyed.
 */
export interface TenantKeyRecord {
  /** Random and new with every record, so writers can compare and swap. */
  id: string;
  /** 32 random bytes; absent once the tenant is shredded. */
  secret?: Uint8Array;
  /** Whether originals sealed before tenant keys existed (without one) may still be read. */
  legacyReadable: boolean;
  /** Epoch ms of the last shredding. */
  shreddedAt?: number;
}

export interface MappingKey {
  tenant: string;
  token: string;
}

/**
 * Where mappings live. Implementations batch as the backend allows and retry what the backend
 * leaves unprocessed; a request they cannot complete fails with StoreUnavailableError.
 */
export interface TokenStore {
  /** Resolves only once every item is durably stored. */
  putMany(items: readonly StoredMapping[]): Promise<void>;
  /** One entry per key, in order; undefined where there is no live mapping. */
  getMany(keys: readonly MappingKey[]): Promise<(StoredMapping | undefined)[]>;
  delete(keys: readonly MappingKey[]): Promise<void>;
  /** The tenant's key record, or undefined when it has none yet. */
  getTenantKey(tenant: string): Promise<TenantKeyRecord | undefined>;
  /** Stores `next` only if the tenant's record still has `previousId` (undefined: none); resolves to whether it did. */
  swapTenantKey(tenant: string, previousId: string | undefined, next: TenantKeyRecord): Promise<boolean>;
  /** Resolves when the store answers and its table is usable; for the readiness check. */
  ping(): Promise<void>;
}

/** The store could not be reached or did not accept the work in time. Carries no item data. */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
}

/**
 * For logs: why a store call failed. A StoreUnavailableError's message is the gateway's own text
 * (the SDK's messages, which can quote request data, never get into it); other errors give their
 * class name only.
 */
export function storeFailureReason(error: unknown): string {
  if (error instanceof StoreUnavailableError) return error.message;
  return error instanceof Error ? error.name : typeof error;
}
