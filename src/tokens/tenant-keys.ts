import { hkdfSync } from 'node:crypto';

/**
 * Per-tenant key material derived from the master key with HKDF-SHA256.
 *
 * Two separate keys per tenant: one keys the token MAC, the other encrypts originals. Keeping
 * them apart means the encryption key can be rotated later without changing any token.
 */
export interface TenantKeys {
  macKey: Buffer;
  encryptionKey: Buffer;
}

const SALT = Buffer.from('pii-gateway/hkdf-salt/v1');

export class TenantKeyring {
  private readonly byTenant = new Map<string, TenantKeys>();

  constructor(private readonly masterKey: Buffer) {
    if (masterKey.length !== 32) throw new Error('the master key must be 32 bytes');
  }

  keysFor(tenant: string): TenantKeys {
    let keys = this.byTenant.get(tenant);
    if (!keys) {
      keys = { macKey: this.derive('token-mac', tenant), encryptionKey: this.derive('originals-aes-256-gcm', tenant) };
      this.byTenant.set(tenant, keys);
    }
    return keys;
  }

  private derive(purpose: string, tenant: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.masterKey, SALT, `${purpose}\0${tenant}`, 32));
  }
}
