import { createHmac } from 'node:crypto';
import { holdsText, StrategyOptionError, type FieldTransform, type StrategyTarget } from '../field-transform.js';

export interface HashOptions {
  encoding: 'HEX' | 'BASE64URL';
  length?: number | null;
}

const FULL_LENGTH = { HEX: 64, BASE64URL: 43 } as const;

/**
 * HASH: HMAC-SHA256 of kind and value under the tenant's hash key. The same value hashes the
 * same for a tenant (distinct counts and joins work) and differently for every other tenant;
 * without the key nobody can test a guess.
 */
export function hash(given: Partial<HashOptions> | undefined, target: StrategyTarget): FieldTransform {
  if (!holdsText(target)) throw new StrategyOptionError(`HASH needs a String or ID field, not ${target.type}`);
  const encoding = given?.encoding ?? 'HEX';
  if (!(encoding in FULL_LENGTH)) throw new StrategyOptionError('hash.encoding must be HEX or BASE64URL');
  const full = FULL_LENGTH[encoding];
  const length = given?.length ?? full;
  if (!Number.isInteger(length) || length < 8 || length > full) {
    throw new StrategyOptionError(`hash.length must be a whole number from 8 to ${full} for ${encoding}`);
  }
  const digest = encoding === 'HEX' ? 'hex' : 'base64url';
  return (value, kind, context) =>
    createHmac('sha256', context.keys.hash)
      .update(`${kind}\0`)
      .update(typeof value === 'string' ? value : JSON.stringify(value))
      .digest(digest)
      .slice(0, length);
}
