import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, UnsecuredJWT, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthenticate } from '../../src/auth/create-authenticate.js';
import { loadDevelopmentKey } from '../../src/auth/development-key.js';
import { ConfigError, loadConfig, type AuthConfig } from '../../src/config.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';
import { startTestStore, type TestStore } from '../support/test-store.js';

const ANONYMIZE = 'mutation { anonymize(payload: {e: "ann@example.com"}, fields: ["e:email"]) { payload } }';
const ISSUER = 'https://issuer.test';
type SigningKey = Parameters<SignJWT['sign']>[0];
const AUDIENCE = 'pii-gateway';

let store: TestStore;
let keys: Awaited<ReturnType<typeof generateKeyPair>>;
let otherKeys: Awaited<ReturnType<typeof generateKeyPair>>;
let dir: string;
beforeAll(async () => {
  store = await startTestStore();
  keys = await generateKeyPair('RS256', { extractable: true });
  otherKeys = await generateKeyPair('RS256', { extractable: true });
  dir = await mkdtemp(path.join(tmpdir(), 'pii-auth-'));
  await writeFile(path.join(dir, 'jwks.json'), JSON.stringify({ keys: [{ ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'RS256' }] }));
  await writeFile(path.join(dir, 'key.pem'), await exportSPKI(keys.publicKey));
});
afterAll(() => store.close());

function jwtConfig(env: Record<string, string>): AuthConfig {
  return loadConfig({ AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE, ...env }).auth;
}

async function sign(claims: JWTPayload, options: { key?: SigningKey; kid?: string; issuer?: string; audience?: string; expires?: string | number } = {}) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? 'k1' })
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? AUDIENCE)
    .setSubject('alice')
    .setIssuedAt()
    .setExpirationTime(options.expires ?? '5m')
    .sign(options.key ?? (keys.privateKey as SigningKey));
}

async function post(gateway: TestGateway, token: string | undefined, query = ANONYMIZE) {
  const { status, text } = await gateway.post(JSON.stringify({ query }), token === undefined ? {} : { authorization: token.startsWith('Bearer') || token.startsWith('Basic') ? token : `Bearer ${token}` });
  return { status, text, body: JSON.parse(text) };
}

describe('bearer JWTs from a local JWKS file', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway(store.store, { authenticate: await createAuthenticate(jwtConfig({ AUTH_JWKS_FILE: path.join(dir, 'jwks.json') }), dir, 'dev') });
  });
  afterAll(() => gateway.close());

  it('accepts a valid token and takes tenant and scopes from it', async () => {
    const acme = await post(gateway, await sign({ tenant: 'acme', scope: 'pii:anonymize' }));
    const globex = await post(gateway, await sign({ tenant: 'globex', scope: ['pii:anonymize'] }));
    expect(acme.status).toBe(200);
    expect(acme.body.data.anonymize.payload.e).toMatch(/^tok_email_/);
    expect(globex.body.data.anonymize.payload.e).not.toBe(acme.body.data.anonymize.payload.e);
    const audit = gateway.logs.lines.map((l) => JSON.parse(l)).filter((l) => l.audit).at(-1);
    expect(audit).toMatchObject({ tenant: 'globex', subject: 'alice' });
  });

  it('honours reveal_requires_reason: no reason, no originals', async () => {
    const token = await sign({ tenant: 'acme', scope: 'pii:reveal pii:deanonymize', reveal_requires_reason: true });
    const query = '{ patient(id: "p2") { email } }';
    const silent = await gateway.post(JSON.stringify({ query }), { authorization: `Bearer ${token}` });
    expect(JSON.parse(silent.text).data.patient.email).toMatch(/^tok_email_/);
    const withReason = await gateway.post(JSON.stringify({ query }), { authorization: `Bearer ${token}`, 'x-pii-reason': 'ticket 1' });
    expect(JSON.parse(withReason.text).data.patient.email).toContain('@');
    const deanonymize = 'mutation($p: JSON!) { deanonymize(payload: $p) { resolved } }';
    const refused = await gateway.post(JSON.stringify({ query: deanonymize, variables: { p: 'x' } }), { authorization: `Bearer ${token}` });
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.text).errors[0].message).toMatch(/requires a reason/);
  });

  it('refuses a missing scope with FORBIDDEN (403)', async () => {
    const { status, body } = await post(gateway, await sign({ tenant: 'acme', scope: 'pii:deanonymize' }));
    expect(status).toBe(403);
    expect(body.errors[0]).toMatchObject({ message: 'This operation needs the pii:anonymize scope', extensions: { code: 'FORBIDDEN' } });
  });

  it.each([
    ['no token', async () => undefined, /A bearer token is required/],
    ['a non-bearer header', async () => 'Basic YWxhZGRpbjpvcGVuc2VzYW1l', /must be "Bearer <jwt>"/],
    ['garbage', async () => 'not.a.jwt', /malformed/],
    ['an expired token', async () => sign({ tenant: 'acme', scope: 'pii:anonymize' }, { expires: Math.floor(Date.now() / 1000) - 120 }), /expired/],
    ['another issuer', async () => sign({ tenant: 'acme' }, { issuer: 'https://evil.test' }), /"iss" claim is not accepted/],
    ['another audience', async () => sign({ tenant: 'acme' }, { audience: 'someone-else' }), /"aud" claim is not accepted/],
    ['a foreign signature', async () => sign({ tenant: 'acme' }, { key: otherKeys.privateKey as SigningKey }), /signature is not valid/],
    ['an unknown key id', async () => sign({ tenant: 'acme' }, { key: otherKeys.privateKey as SigningKey, kid: 'k2' }), /unknown key/],
    ['alg none', async () => new UnsecuredJWT({ tenant: 'acme', scope: 'pii:anonymize' }).setIssuer(ISSUER).setAudience(AUDIENCE).encode(), /algorithm that is not accepted/],
    ['HS256 without a configured secret', async () => new SignJWT({ tenant: 'acme' }).setProtectedHeader({ alg: 'HS256' }).setIssuer(ISSUER).setAudience(AUDIENCE).sign(new TextEncoder().encode('x'.repeat(32))), /algorithm that is not accepted/],
    ['no tenant claim', async () => sign({ scope: 'pii:anonymize' }), /no valid "tenant" claim/],
  ])('refuses %s with UNAUTHENTICATED (401), quoting nothing of it', async (_, token, message) => {
    const jwt = await token();
    const { status, body, text } = await post(gateway, jwt);
    expect(status).toBe(401);
    expect(body).toEqual({ errors: [{ message: expect.stringMatching(message), extensions: { code: 'UNAUTHENTICATED' } }] });
    if (jwt) expect(text).not.toContain(jwt.replace(/^(Bearer|Basic) /, '').slice(0, 20));
    expect(text).not.toMatch(/at .*\.(ts|js):\d+/);
  });

  it('accepts a PEM public key file as well', async () => {
    const pem = await startTestGateway(store.store, {
      authenticate: await createAuthenticate(jwtConfig({ AUTH_JWKS_FILE: path.join(dir, 'key.pem'), AUTH_ALGORITHMS: 'RS256' }), dir, 'dev'),
    });
    try {
      expect((await post(pem, await sign({ tenant: 'acme', scope: 'pii:anonymize' }))).status).toBe(200);
    } finally {
      await pem.close();
    }
  });
});

describe('a bad AUTH_JWKS_FILE', () => {
  it('stops startup naming the file and the problem, never quoting what the file holds', async () => {
    const { exportPKCS8 } = await import('jose');
    const privatePem = await exportPKCS8(keys.privateKey);
    await writeFile(path.join(dir, 'private.pem'), privatePem);
    await writeFile(path.join(dir, 'notes.txt'), 'secret-hunter2 is not a key');
    const attempt = (file: string) => createAuthenticate(jwtConfig({ AUTH_JWKS_FILE: path.join(dir, file), AUTH_ALGORITHMS: 'RS256' }), dir, 'dev');
    await expect(attempt('missing.json')).rejects.toThrow(/^AUTH_JWKS_FILE \S+missing\.json cannot be read \(ENOENT\)$/);
    await expect(attempt('private.pem')).rejects.toThrow(/^AUTH_JWKS_FILE \S+private\.pem holds a private key; give the public key \(or the JWKS\) only$/);
    const garbage = await attempt('notes.txt').catch((error: Error) => error);
    expect((garbage as Error).message).toMatch(/^AUTH_JWKS_FILE \S+notes\.txt is neither a JWKS document .* nor a PEM public key for RS256$/);
    expect((garbage as Error).message).not.toContain('hunter2');
    expect(garbage).toBeInstanceOf(ConfigError);
  });
});

describe('bearer JWTs from a JWKS URL', () => {
  let jwksServer: Server;
  let fetched = 0;
  let gateway: TestGateway;
  beforeAll(async () => {
    const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'RS256' }] });
    jwksServer = createServer((_, response) => {
      fetched++;
      response.setHeader('content-type', 'application/json');
      response.end(jwks);
    }).listen(0, '127.0.0.1');
    await once(jwksServer, 'listening');
    const url = `http://127.0.0.1:${(jwksServer.address() as { port: number }).port}/.well-known/jwks.json`;
    gateway = await startTestGateway(store.store, { authenticate: await createAuthenticate(jwtConfig({ AUTH_JWKS_URL: url }), dir, 'dev') });
  });
  afterAll(async () => {
    await gateway.close();
    jwksServer.close();
  });

  it('fetches the keys once and verifies every request against them', async () => {
    for (let i = 0; i < 5; i++) expect((await post(gateway, await sign({ tenant: 'acme', scope: 'pii:anonymize' }))).status).toBe(200);
    expect(fetched).toBe(1);
  });
});

describe('development mode', () => {
  let gateway: TestGateway;
  let devDir: string;
  beforeAll(async () => {
    devDir = await mkdtemp(path.join(tmpdir(), 'pii-dev-auth-'));
    gateway = await startTestGateway(store.store, { authenticate: await createAuthenticate({ kind: 'development', claims: { tenant: 'tenant', subject: 'sub', scope: 'scope' } }, devDir, 'dev') });
  });
  afterAll(() => gateway.close());

  it('serves requests without a token as the development tenant with every scope', async () => {
    expect((await post(gateway, undefined)).status).toBe(200);
    expect(gateway.logs.lines.map((l) => JSON.parse(l)).filter((l) => l.audit).at(-1)).toMatchObject({ tenant: 'dev', subject: 'development' });
  });

  it('verifies development tokens for real: tenant and scopes from the token', async () => {
    const key = await loadDevelopmentKey(devDir);
    const limited = await key.sign({ tenant: 'acme', scope: 'pii:deanonymize' }, { subject: 'bob', expiresIn: '5m' });
    expect((await post(gateway, limited)).status).toBe(403);
    const full = await key.sign({ tenant: 'acme', scope: 'pii:anonymize' }, { subject: 'bob', expiresIn: '5m' });
    expect((await post(gateway, full)).status).toBe(200);
    expect(gateway.logs.lines.map((l) => JSON.parse(l)).filter((l) => l.audit).at(-1)).toMatchObject({ tenant: 'acme', subject: 'bob' });
    expect((await post(gateway, await sign({ tenant: 'acme', scope: 'pii:anonymize' }))).status).toBe(401);
  });

  it('says a development token has expired, past the 30 s of clock tolerance', async () => {
    const key = await loadDevelopmentKey(devDir);
    const expired = await post(gateway, await key.sign({ tenant: 'acme', scope: 'pii:anonymize' }, { subject: 'bob', expiresIn: '2 minutes ago' }));
    expect(expired.status).toBe(401);
    expect(expired.body.errors[0]).toMatchObject({ message: 'The development token has expired; `npm run token` signs a new one', extensions: { code: 'UNAUTHENTICATED' } });
    const recent = await post(gateway, await key.sign({ tenant: 'acme', scope: 'pii:anonymize' }, { subject: 'bob', expiresIn: '10 seconds ago' }));
    expect(recent.status).toBe(200);
  });
});
