import { createHmac } from 'node:crypto';
import type { JsonValue } from '../json.js';
import { MAC_BYTES, type TokenFormat } from './token-format.js';
import type { TenantKeyring } from './tenant-keys.js';

/**
 * Computes tokens: HMAC-SHA256 under the tenant's MAC key over the kind and the value's JSON
 * text, truncated to MAC_BYTES. Synchronous and pure, so field resolvers never wait for it.
 * The JSON text (not the bare string) is what is keyed, so the number 42 and the string "42"
 * get different tokens and each restores to its own type.
 */
export class Tokenizer {
  constructor(
    readonly format: TokenFormat,
    private readonly keyring: TenantKeyring,
  ) {}

  tokenFor(tenant: string, kind: string, value: JsonValue): string {
    return this.tokenForJson(tenant, kind, JSON.stringify(value));
  }

  tokenForJson(tenant: string, kind: string, json: string): string {
    const mac = createHmac('sha256', this.keyring.keysFor(tenant).macKey)
      .update(kind)
      .update('\0')
      .update(json)
      .digest();
    return this.format.format(kind, mac.subarray(0, MAC_BYTES));
  }
}
