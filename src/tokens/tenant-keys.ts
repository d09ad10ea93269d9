import { hkdfSync } from 'node:crypto';

/**
 * Per-tenant key material derived from the master key with HKDF-SHA256.
 *
 * Separate keys per tenant and purpose: one keys the token MAC, one encrypts originals (so it
 * can be rotated without changing any token), and one each for FPE, HASH and NOISE.
 */
export interface TenantKeys extends StrategyKeys {
  macKey: Buffer;
  encryptionKey: Buffer;
}

/** Keys of the transformation strategies, one per purpose so none can stand in for another. */
export interface StrategyKeys {
  /** FF1 (AES-256) for FORMAT_PRESERVING. */
  fpe: Buffer;
  /** HMAC-SHA256 for HASH; not the token MAC key, so a hash never equals a token's MAC. */
  hash: Buffer;
  /** Seeds NOISE per value. */
  noise: Buffer;
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
      keys = {
        macKey: this.derive('token-mac', tenant),
        encryptionKey: this.derive('originals-aes-256-gcm', tenant),
        fpe: this.derive('fpe-ff1-aes-256', tenant),
        hash: this.derive('hash-hmac-sha256', tenant),
        noise: this.derive('noise-seed', tenant),
      };
      this.byTenant.set(tenant, keys);
    }
    return keys;
  }

  private derive(purpose: string, tenant: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.masterKey, SALT, `${purpose}\0${tenant}`, 32));
  }
}
