import { describe, expect, it } from 'vitest';
import { identityFromClaims } from '../../src/auth/identity-from-claims.js';

const claims = { tenant: 'tenant', subject: 'sub', scope: 'scope' };

describe('claims to identity', () => {
  it('reads tenant, subject and scopes as a string or an array', () => {
    expect(identityFromClaims({ tenant: 'acme', sub: 'alice', scope: 'pii:anonymize  pii:deanonymize' }, claims)).toEqual({
      tenant: 'acme',
      subject: 'alice',
      scopes: new Set(['pii:anonymize', 'pii:deanonymize']),
    });
    expect(identityFromClaims({ tenant: 'acme', scope: ['pii:anonymize', 7] }, claims).scopes).toEqual(new Set(['pii:anonymize']));
    expect(identityFromClaims({ tenant: 'acme' }, claims)).toMatchObject({ subject: 'unknown', scopes: new Set() });
  });

  it('uses the configured claim names', () => {
    const custom = { tenant: 'https://example.com/org', subject: 'email', scope: 'permissions' };
    expect(identityFromClaims({ 'https://example.com/org': 'globex', email: 'a@b.c', permissions: ['pii:anonymize'] }, custom)).toMatchObject({ tenant: 'globex', subject: 'a@b.c' });
  });

  it('never grants the development wildcard from a token', () => {
    expect(identityFromClaims({ tenant: 'acme', scope: '* pii:anonymize' }, claims).scopes).toEqual(new Set(['pii:anonymize']));
  });

  it.each([{}, { tenant: '' }, { tenant: 'a#b' }, { tenant: 42 }, { tenant: 'x'.repeat(65) }])('refuses %j without a valid tenant', (payload) => {
    expect(() => identityFromClaims(payload, claims)).toThrow(/no valid "tenant" claim/);
  });
});
