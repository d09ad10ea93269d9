import { hkdfSync } from 'node:crypto';
import { MasterKeyRing, type MasterKey } from './master-key-ring.js';

/**
 * Per-tenant key material derived from the master keys with HKDF-SHA256.
 *
 * Separate keys per tenant and purpose: one keys the token MAC, and one each for FPE, HASH and
 * NOISE, all from the ring's token key; originals are encrypted under keys derived from any
 * key of the ring (see encryptionKey), so those rotate without changing any token.
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
  /** `<master key id>\0<tenant>` -> that tenant's encryption key under that master key. */
  private readonly encryption = new Map<string, Buffer>();

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

  /** The tenant's key for originals under one master key of the ring. */
  encryptionKey(tenant: string, master: MasterKey): Buffer {
    const id = `${master.id}\0${tenant}`;
    let key = this.encryption.get(id);
    if (!key) this.encryption.set(id, (key = derive(master, 'originals-aes-256-gcm', tenant)));
    return key;
  }
}

function derive(master: MasterKey, purpose: string, tenant: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master.key, SALT, `${purpose}\0${tenant}`, 32));
}
