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
  /** Resolves when the store answers and its table is usable; for the readiness check. */
  ping(): Promise<void>;
}

/** The store could not be reached or did not accept the work in time. Carries no item data. */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
}
