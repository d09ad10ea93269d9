import { hkdfSync } from 'node:crypto';
import { MasterKeyRing, type MasterKey } from './master-key-ring.js';
import type { TenantSecret } from './original-cipher.js';

/**
 * Per-tenant key material derived from the master keys with HKDF-SHA256.
 *
 * Separate keys per tenant and purpose: one keys the token MAC, and one each for FPE, HASH and
 * NOISE, all from the ring's token key; originals are encrypted under keys derived from any
 * key of the ring and the tenant's secret (see encryptionKey), so those rotate without changing
 * any token.
 */
export interface TenantKeys extends StrategyKeys {
  macKey: Buffer;
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
  readonly ring: MasterKeyRing;
  private readonly byTenant = new Map<string, TenantKeys>();
  /** `<master key id>\0<tenant>` -> that tenant's legacy encryption key under that master key. */
  private readonly encryption = new Map<string, Buffer>();
  /**
   * `<master key id>\0<tenant>` -> the key under that master key and the tenant's live secret.
   * One entry per tenant and master key: a new secret replaces it, so a shredded secret's key
   * does not linger here.
   */
  private readonly withSecret = new Map<string, { secret: TenantSecret; key: Buffer }>();

  /** A single key is a ring of one. */
  constructor(masterKeys: MasterKeyRing | Buffer) {
    this.ring = masterKeys instanceof MasterKeyRing ? masterKeys : MasterKeyRing.single(masterKeys);
  }

  keysFor(tenant: string): TenantKeys {
    let keys = this.byTenant.get(tenant);
    if (!keys) {
      const root = this.ring.tokenKey;
      keys = {
        macKey: derive(root, 'token-mac', tenant),
        fpe: derive(root, 'fpe-ff1-aes-256', tenant),
        hash: derive(root, 'hash-hmac-sha256', tenant),
        noise: derive(root, 'noise-seed', tenant),
      };
      this.byTenant.set(tenant, keys);
    }
    return keys;
  }

  /**
   * The tenant's key for originals under one master key of the ring: with the tenant's secret
   * (layout v3), or without (legacy v1/v2 sealings, read only).
   */
  encryptionKey(tenant: string, master: MasterKey, secret?: TenantSecret): Buffer {
    const id = `${master.id}\0${tenant}`;
    if (secret) {
      const known = this.withSecret.get(id);
      if (known && known.secret.id === secret.id && (known.secret.secret === secret.secret || Buffer.compare(known.secret.secret, secret.secret) === 0)) return known.key;
      // Both secrets in the input key material: neither the master key nor the secret alone opens anything.
      const key = Buffer.from(hkdfSync('sha256', Buffer.concat([master.key, secret.secret]), SALT, `originals-aes-256-gcm/v3\0${tenant}`, 32));
      this.withSecret.set(id, { secret, key });
      return key;
    }
    let key = this.encryption.get(id);
    if (!key) this.encryption.set(id, (key = derive(master, 'originals-aes-256-gcm', tenant)));
    return key;
  }
}

function derive(master: MasterKey, purpose: string, tenant: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master.key, SALT, `${purpose}\0${tenant}`, 32));
}
