import { describe, expect, it } from 'vitest';
import { bearerAuthenticate, VERIFIED_TOKEN_TTL_MS } from '../../src/auth/bearer-authenticate.js';

const claims = { tenant: 'tenant', subject: 'sub', scope: 'scope' };
const headers = (token: string) => new Map([['authorization', `Bearer ${token}`]]);

describe('bearer authentication', () => {
  it('verifies a token once, then trusts it until it expires or for the cache time, whichever is first', async () => {
    let now = 1_700_000_000_000;
    const verified: string[] = [];
    const verify = async (token: string) => {
      verified.push(token);
      return { tenant: 'acme', sub: token, exp: token === 'short' ? now / 1000 + 2 : now / 1000 + 3600 };
    };
    const authenticate = bearerAuthenticate(verify, claims, undefined, () => now);
    await authenticate(headers('short'));
    await authenticate(headers('long'));
    await authenticate(headers('short'));
    await authenticate(headers('long'));
    expect(verified).toEqual(['short', 'long']);
    now += 3000; // past the short token's expiry
    await authenticate(headers('short'));
    await authenticate(headers('long'));
    expect(verified).toEqual(['short', 'long', 'short']);
    now += VERIFIED_TOKEN_TTL_MS; // past the cache time
    await authenticate(headers('long'));
    expect(verified).toEqual(['short', 'long', 'short', 'long']);
  });

  it('does not remember a token that failed', async () => {
    let calls = 0;
    const authenticate = bearerAuthenticate(async () => {
      calls++;
      throw new Error('bad');
    }, claims);
    await expect(authenticate(headers('x'))).rejects.toThrow();
    await expect(authenticate(headers('x'))).rejects.toThrow();
    expect(calls).toBe(2);
  });
});
