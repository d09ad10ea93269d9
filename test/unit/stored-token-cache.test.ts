import { describe, expect, it } from 'vitest';
import { StoredTokenCache } from '../../src/vault/stored-token-cache.js';

const scope = (tenant: string, kind: string, value: string | number) => StoredTokenCache.scope(tenant, kind, value);

describe('stored token cache', () => {
  it('keeps tenants, kinds and JSON types apart', () => {
    const cache = new StoredTokenCache(100);
    cache.remember(scope('acme', 'id', '42'), '42', 'tok_string');
    cache.remember(scope('acme', 'id', 42), 42, 'tok_number');
    expect(cache.get(scope('acme', 'id', '42'), '42')).toBe('tok_string');
    expect(cache.get(scope('acme', 'id', 42), 42)).toBe('tok_number');
    expect(cache.get(scope('globex', 'id', '42'), '42')).toBeUndefined();
    expect(cache.get(scope('acme', 'ref', '42'), '42')).toBeUndefined();
  });

  it('holds at most two generations and keeps what is in use', () => {
    const cache = new StoredTokenCache(3);
    const s = scope('acme', 'k', 'x');
    for (const v of ['a', 'b', 'c']) cache.remember(s, v, `t_${v}`); // young full -> becomes old
    expect(cache.get(s, 'a')).toBe('t_a'); // promoted back into the young generation
    for (const v of ['d', 'e']) cache.remember(s, v, `t_${v}`); // young full again: old (b, c) dropped
    expect(cache.get(s, 'b')).toBeUndefined();
    expect(cache.get(s, 'c')).toBeUndefined();
    expect(['a', 'd', 'e'].map((v) => cache.get(s, v))).toEqual(['t_a', 't_d', 't_e']);
  });

  it('remembers nothing with a size of 0', () => {
    const cache = new StoredTokenCache(0);
    cache.remember(scope('acme', 'k', 'v'), 'v', 't');
    expect(cache.get(scope('acme', 'k', 'v'), 'v')).toBeUndefined();
  });
});
