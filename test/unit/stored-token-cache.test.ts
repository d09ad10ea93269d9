import { describe, expect, it } from 'vitest';
import { RetentionPolicy } from '../../src/retention/retention-policy.js';
import { cacheMaxAgeMs, StoredTokenCache } from '../../src/vault/stored-token-cache.js';

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

  it('forgets a value in either generation, and only that value', () => {
    const cache = new StoredTokenCache(2);
    const s = scope('acme', 'k', 'x');
    cache.remember(s, 'a', 't_a');
    cache.remember(s, 'b', 't_b'); // young full -> old: a, b
    cache.remember(s, 'c', 't_c'); // young: c
    cache.forget('acme', 'k', 'a');
    cache.forget('acme', 'k', 'c');
    cache.forget('globex', 'k', 'b'); // another tenant's partition: no effect
    expect(['a', 'b', 'c'].map((v) => cache.get(s, v))).toEqual([undefined, 't_b', undefined]);
  });

  it('forgets a value in the partitions with a life bound too, and nowhere else', () => {
    const cache = new StoredTokenCache(100);
    const plain = StoredTokenCache.scope('acme', 'email', 'a@example.com');
    const bounded = StoredTokenCache.scope('acme', 'email', 'a@example.com', 86400);
    const otherKind = StoredTokenCache.scope('acme', 'email_work', 'a@example.com');
    for (const s of [plain, bounded, otherKind]) cache.remember(s, 'a@example.com', 't');
    cache.forget('acme', 'email', 'a@example.com');
    expect([plain, bounded, otherKind].map((s) => cache.get(s, 'a@example.com'))).toEqual([undefined, undefined, 't']);
  });

  it('counts a forgotten entry out of its generation', () => {
    const cache = new StoredTokenCache(2);
    const s = scope('acme', 'k', 'x');
    cache.remember(s, 'a', 't_a');
    cache.forget('acme', 'k', 'a'); // young holds nothing again
    for (const v of ['b', 'c']) cache.remember(s, v, `t_${v}`); // young full -> old: b, c
    cache.remember(s, 'd', 't_d'); // a miscount would have turned twice and dropped b
    expect(cache.get(s, 'b')).toBe('t_b');
  });

  it('remembers nothing with a size of 0', () => {
    const cache = new StoredTokenCache(0);
    cache.remember(scope('acme', 'k', 'v'), 'v', 't');
    expect(cache.get(scope('acme', 'k', 'v'), 'v')).toBeUndefined();
  });

  it('is believed no longer than half the shortest TTL and TOKEN_CACHE_MAX_AGE', () => {
    expect(cacheMaxAgeMs(RetentionPolicy.none(), undefined)).toBeUndefined();
    expect(cacheMaxAgeMs(RetentionPolicy.none(), 300)).toBe(300_000);
    expect(cacheMaxAgeMs(new RetentionPolicy(3600, new Map(), new Map()), undefined)).toBe(1_800_000);
    expect(cacheMaxAgeMs(new RetentionPolicy(3600, new Map(), new Map()), 300)).toBe(300_000);
    expect(cacheMaxAgeMs(new RetentionPolicy(60, new Map(), new Map()), 300)).toBe(30_000);
  });
});
