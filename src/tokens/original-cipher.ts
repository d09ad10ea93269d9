import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { TenantKeyring } from './tenant-keys.js';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM encryption of originals under the tenant's encryption key. The associated data
 * binds tenant and token, so a ciphertext copied into another tenant's or another token's item
 * fails to decrypt instead of revealing something.
 *
 * Layout: version (1 byte) | IV (12) | ciphertext | tag (16).
 */
export class OriginalCipher {
  constructor(private readonly keyring: TenantKeyring) {}

  encrypt(tenant: string, token: string, plaintext: string): Uint8Array {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keyring.keysFor(tenant).encryptionKey, iv);
    cipher.setAAD(associatedData(tenant, token));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.of(VERSION), iv, body, cipher.getAuthTag()]);
  }

  /** The plaintext, or undefined when the blob is not a valid encryption for (tenant, token). */
  decrypt(tenant: string, token: string, blob: Uint8Array): string | undefined {
    if (blob.length < 1 + IV_BYTES + TAG_BYTES || blob[0] !== VERSION) return undefined;
    const bytes = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
    try {
      const decipher = createDecipheriv(
        'aes-256-gcm',
        this.keyring.keysFor(tenant).encryptionKey,
        bytes.subarray(1, 1 + IV_BYTES),
      );
      decipher.setAAD(associatedData(tenant, token));
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
      return Buffer.concat([decipher.update(bytes.subarray(1 + IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      return undefined;
    }
  }
}

function associatedData(tenant: string, token: string): Buffer {
  return Buffer.from(`${tenant}\0${token}`, 'utf8');
}
