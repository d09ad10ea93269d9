import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { parseDuration, RetentionPolicy } from '../../src/retention/retention-policy.js';
import { StoredTokenCache } from '../../src/vault/stored-token-cache.js';

describe('retention policy', () => {
  it('reads durations and keeps the shortest TTL that applies', () => {
    expect(parseDuration('30d')).toBe(30 * 86_400);
    expect(parseDuration('90m')).toBe(5400);
    expect(parseDuration('never')).toBeUndefined();
    const config = loadConfig({ TOKEN_TTL: '365d', TOKEN_TTL_BY_KIND: 'email=30d, note=never', TOKEN_TTL_BY_TENANT: 'acme=90d,globex=7d' });
    const policy = config.retention;
    expect(policy.ttlSeconds('other', 'person')).toBe(365 * 86_400);
    expect(policy.ttlSeconds('other', 'email')).toBe(30 * 86_400);
    expect(policy.ttlSeconds('acme', 'person')).toBe(90 * 86_400);
    expect(policy.ttlSeconds('acme', 'email')).toBe(30 * 86_400);
    expect(policy.ttlSeconds('globex', 'email')).toBe(7 * 86_400);
    // `never` lifts no other rule: the default still applies.
    expect(policy.ttlSeconds('other', 'note')).toBe(365 * 86_400);
    expect(policy.shortestSeconds()).toBe(7 * 86_400);
    expect(loadConfig({}).retention.ttlSeconds('t', 'k')).toBeUndefined();
  });

  it.each([
    [{ TOKEN_TTL: '30 days' }, /^TOKEN_TTL: a duration is/],
    [{ TOKEN_TTL_BY_KIND: 'Email=30d' }, /^TOKEN_TTL_BY_KIND: entries are name=duration/],
    [{ TOKEN_TTL_BY_TENANT: 'acme=soon' }, /^TOKEN_TTL_BY_TENANT: a duration is/],
  ])('refuses %j, naming the setting and not the value', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
    expect(() => loadConfig(env)).not.toThrow(/days|Email|soon/);
  });

  it('a no-TTL policy expires nothing', () => {
    expect(RetentionPolicy.none().ttlSeconds('a', 'b')).toBeUndefined();
  });
});

describe('token cache with a maximum age', () => {
  afterEach(() => vi.useRealTimers());

  it('forgets every entry within its maximum age, even one in constant use', () => {
    vi.useFakeTimers();
    const cache = new StoredTokenCache(1000, 1000);
    const scope = StoredTokenCache.scope('t', 'email', 'x');
    cache.remember(scope, 'a@example.com', 'tok_a');
    for (let ms = 0; ms < 900; ms += 100) {
      expect(cache.get(scope, 'a@example.com')).toBe('tok_a');
      vi.advanceTimersByTime(100);
    }
    vi.advanceTimersByTime(200);
    expect(cache.get(scope, 'a@example.com')).toBeUndefined();
    cache.close();
  });
});
