import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { MasterKey } from './master-key-ring.js';
import type { TenantKeyring } from './tenant-keys.js';

/**
 * Sealed under the ring's token key (before key rings: the only master key). Carries no key
 * id: the token key never leaves the ring, so its id may change (PII_MASTER_KEY's key becoming
 * the first entry of PII_MASTER_KEYS) without making anything unreadable.
 */
const V1 = 1;
/** Sealed under another key of the ring, which it names. */
const V2 = 2;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM encryption of originals under the tenant's encryption key of the ring's current
 * master key. The associated data binds tenant, token and key id, so a ciphertext copied into
 * another tenant's or another token's item, or relabelled with another key id, fails to decrypt
 * instead of revealing something.
 *
 * Layout v1, under the token key: 1 | IV (12) | ciphertext | tag (16), AAD tenant and token.
 * Layout v2, under any other key: 2 | key id length (1 byte) | key id (ASCII) | IV (12) |
 * ciphertext | tag (16), AAD tenant, token and key id.
 */
export class OriginalCipher {
  constructor(private readonly keyring: TenantKeyring) {}

  encrypt(tenant: string, token: string, plaintext: string): Uint8Array {
    const { current, tokenKey } = this.keyring.ring;
    const underTokenKey = current === tokenKey;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keyring.encryptionKey(tenant, current), iv);
    cipher.setAAD(associatedData(tenant, token, underTokenKey ? undefined : current.id));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const header = underTokenKey ? Buffer.of(V1) : Buffer.concat([Buffer.of(V2, current.id.length), Buffer.from(current.id, 'ascii')]);
    return Buffer.concat([header, iv, body, cipher.getAuthTag()]);
  }

  /** The plaintext, or undefined when the blob is not a valid encryption for (tenant, token) under a key of the ring. */
  decrypt(tenant: string, token: string, blob: Uint8Array): string | undefined {
    const sealed = this.parse(blob);
    if (!sealed) return undefined;
    const master = this.keyring.ring.get(sealed.keyId);
    if (!master) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.keyring.encryptionKey(tenant, master), sealed.iv);
      decipher.setAAD(associatedData(tenant, token, sealed.version === V1 ? undefined : master.id));
      decipher.setAuthTag(sealed.tag);
      return Buffer.concat([decipher.update(sealed.body), decipher.final()]).toString('utf8');
    } catch {
      return undefined;
    }
  }

  /** Which master key sealed the blob (by its header; not verified), or undefined for a blob that is no ciphertext of this gateway. */
  keyIdOf(blob: Uint8Array): string | undefined {
    return this.parse(blob)?.keyId;
  }

  /** The ring's key for new encryptions. */
  get currentKey(): MasterKey {
    return this.keyring.ring.current;
  }

  private parse(blob: Uint8Array): { version: number; keyId: string; iv: Buffer; body: Buffer; tag: Buffer } | undefined {
    const bytes = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
    let at: number;
    let keyId: string;
    if (bytes[0] === V1) {
      at = 1;
      keyId = this.keyring.ring.tokenKey.id;
    } else if (bytes[0] === V2 && bytes.length > 2) {
      at = 2 + bytes[1]!;
      keyId = bytes.toString('ascii', 2, at);
    } else {
      return undefined;
    }
    if (bytes.length < at + IV_BYTES + TAG_BYTES) return undefined;
    return {
      version: bytes[0]!,
      keyId,
      iv: bytes.subarray(at, at + IV_BYTES),
      body: bytes.subarray(at + IV_BYTES, bytes.length - TAG_BYTES),
      tag: bytes.subarray(bytes.length - TAG_BYTES),
    };
  }
}

function associatedData(tenant: string, token: string, keyId: string | undefined): Buffer {
  return Buffer.from(keyId === undefined ? `${tenant}\0${token}` : `${tenant}\0${token}\0${keyId}`, 'utf8');
}
