/** One master key of the ring, named so ciphertexts can say which key sealed them. */
export interface MasterKey {
  id: string;
  key: Buffer;
}

export class MasterKeyError extends Error {
  override name = 'MasterKeyError';
}

const KEY_ID = /^[A-Za-z0-9._-]{1,32}$/;

/**
 * The versioned master keys. The **first** key is the token key: tokens, and the FPE, HASH and
 * NOISE keys, derive from it alone, so it stays in the ring for good and tokens never change.
 * The **last** key is the current one: new originals are encrypted under it. Every key in the
 * ring decrypts what it sealed, so rotating means appending a key, re-encrypting (`npm run
 * rotate-keys`), and then dropping the old encryption-only keys.
 */
export class MasterKeyRing {
  readonly tokenKey: MasterKey;
  readonly current: MasterKey;
  private readonly byId: Map<string, MasterKey>;

  constructor(keys: readonly MasterKey[]) {
    if (keys.length === 0) throw new MasterKeyError('the master key ring is empty');
    this.byId = new Map();
    for (const key of keys) {
      if (!KEY_ID.test(key.id)) throw new MasterKeyError(`master key ids are 1-32 letters, digits, ".", "_" or "-"`);
      if (key.key.length !== 32) throw new MasterKeyError(`master key "${key.id}" must be 32 bytes`);
      if (this.byId.has(key.id)) throw new MasterKeyError(`master key id "${key.id}" appears twice`);
      this.byId.set(key.id, key);
    }
    this.tokenKey = keys[0]!;
    this.current = keys[keys.length - 1]!;
  }

  /** A ring of one key (PII_MASTER_KEY, the development key file): token key and current key at once. */
  static single(key: Buffer): MasterKeyRing {
    return new MasterKeyRing([{ id: 'master', key }]);
  }

  get(id: string): MasterKey | undefined {
    return this.byId.get(id);
  }

  get ids(): string[] {
    return [...this.byId.keys()];
  }
}

/**
 * `PII_MASTER_KEYS`: `id:base64` entries separated by commas or whitespace, oldest first, e.g.
 * `2025:<base64>,2026:<base64>`. Errors name the entry by position or id, never a key.
 */
export function parseMasterKeyRing(text: string, setting = 'PII_MASTER_KEYS'): MasterKeyRing {
  const entries = text.split(/[\s,]+/).filter(Boolean);
  const keys = entries.map((entry, index) => {
    const at = entry.indexOf(':');
    if (at <= 0) throw new MasterKeyError(`${setting}: entry ${index + 1} must be id:base64`);
    const id = entry.slice(0, at);
    return { id, key: decodeKey(entry.slice(at + 1), `${setting}: key "${KEY_ID.test(id) ? id : `entry ${index + 1}`}"`) };
  });
  try {
    return new MasterKeyRing(keys);
  } catch (error) {
    throw new MasterKeyError(`${setting}: ${(error as Error).message}`);
  }
}

/** 32 bytes from strict base64, or a MasterKeyError saying where. */
export function decodeKey(base64: string, where: string): Buffer {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== 32 || key.toString('base64') !== base64.replace(/\s/g, '')) {
    throw new MasterKeyError(`${where} must hold base64 of exactly 32 bytes`);
  }
  return key;
}
