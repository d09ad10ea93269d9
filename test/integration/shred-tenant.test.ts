import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { createCipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rotateKeys } from '../../src/rotation/rotate-keys.js';
import { OriginalCipher } from '../../src/tokens/original-cipher.js';
import { TenantKeyring } from '../../src/tokens/tenant-keys.js';
import { TenantSecrets } from '../../src/vault/tenant-secrets.js';
import { FaultyStore } from '../support/faulty-store.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';
import { startTestStore, type TestStore } from '../support/test-store.js';

const ANONYMIZE = 'mutation($p: JSON!) { anonymize(payload: $p, fields: ["emails[*]:email"]) { payload } }';
const DEANONYMIZE = 'mutation($p: JSON!) { deanonymize(payload: $p) { resolved unresolved } }';
const SHRED = 'mutation($t: String!, $r: String!) { shredTenant(confirmTenant: $t, reason: $r) { tenant state keyRetiredAt deletionStartsAt scanned deleted kept finishedAt failure } }';
const PROGRESS = '{ tenantShredding { tenant state scanned deleted kept finishedAt failure } }';
const TABLE = 'pii_tokens_test';
/** Seconds an instance keeps a tenant's key record here: short, so the fleet delay is seen. */
const KEY_CACHE_AGE = 0.3;

const master = randomBytes(32);
let store: TestStore;
let a: TestGateway;
let b: TestGateway;
const gateways: TestGateway[] = [];
const emails = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}.${i}@example.com`);

async function gateway(options: Parameters<typeof startTestGateway>[1] = {}, real = store.store): Promise<TestGateway> {
  const started = await startTestGateway(real, { masterKey: master, tenantKeyCacheMaxAge: KEY_CACHE_AGE, ...options });
  gateways.push(started);
  return started;
}

async function anonymize(on: TestGateway, tenant: string, values: string[]): Promise<string[]> {
  const { body } = await on.gql(ANONYMIZE, { p: { emails: values } }, { tenant });
  expect(body.errors).toBeUndefined();
  return body.data!.anonymize.payload.emails;
}

async function resolve(on: TestGateway, tenant: string, tokens: string[]): Promise<{ resolved: number; unresolved: number }> {
  const { body } = await on.gql(DEANONYMIZE, { p: tokens }, { tenant });
  expect(body.errors).toBeUndefined();
  return body.data!.deanonymize;
}

async function call(on: TestGateway, query: string, variables: Record<string, unknown>, tenant: string, scopes = 'pii:shred') {
  const { text } = await on.post(JSON.stringify({ query, variables }), { 'x-test-tenant': tenant, 'x-test-scopes': scopes });
  return JSON.parse(text) as { data?: Record<string, any> | null; errors?: { message: string; extensions?: { code?: string } }[] };
}

async function untilDone(on: TestGateway, tenant: string) {
  for (let i = 0; i < 200; i++) {
    const progress = (await call(on, PROGRESS, {}, tenant)).data!.tenantShredding;
    if (progress.state === 'DONE' || progress.state === 'FAILED') return progress;
    await sleep(50);
  }
  throw new Error('the shredding did not finish');
}

/** The stored mapping items of a tenant (not its key record). */
async function itemsOf(tenant: string) {
  const items = (await store.client.send(new ScanCommand({ TableName: TABLE }))).Items ?? [];
  return items.filter((item) => item.tenant?.S === tenant && item.ct);
}

/** A mapping as a gateway before tenant secrets stored it (v1: under the token key, no secret). */
function legacyMapping(tenant: string, token: string, value: string) {
  const key = Buffer.from(hkdfSync('sha256', master, Buffer.from('pii-gateway/hkdf-salt/v1'), `originals-aes-256-gcm\0${tenant}`, 32));
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(`${tenant}\0${token}`));
  const body = Buffer.concat([cipher.update(JSON.stringify(value)), cipher.final()]);
  return { tenant, token, kind: 'email', ciphertext: Buffer.concat([Buffer.of(1), iv, body, cipher.getAuthTag()]), createdAt: Date.now() };
}

beforeAll(async () => {
  store = await startTestStore();
  a = await gateway();
  b = await gateway();
});
afterAll(async () => {
  for (const started of gateways) await started.close();
  await store?.close();
});

describe('tenant shredding', () => {
  it("makes every original of the tenant unreadable at once, on other instances within the key cache age, then deletes the tenant's items", async () => {
    const acme = await anonymize(a, 'acme', emails('acme', 150));
    const globex = await anonymize(a, 'globex', emails('globex', 20));
    // Five mappings from before tenant secrets existed: still readable, and shredded with the rest.
    const legacy = emails('legacy', 5).map((value, i) => legacyMapping('acme', `tok_email_legacy${String(i).padStart(18, '0')}`, value));
    await store.store.putMany(legacy);
    const all = [...acme, ...legacy.map((m) => m.token)];
    expect(await resolve(a, 'acme', all)).toEqual({ resolved: 155, unresolved: 0 });
    expect(await resolve(b, 'acme', all)).toEqual({ resolved: 155, unresolved: 0 });

    const shredded = await call(a, SHRED, { t: 'acme', r: 'offboarding ticket 4711' }, 'acme');
    expect(shredded.errors).toBeUndefined();
    expect(shredded.data!.shredTenant).toMatchObject({ tenant: 'acme', state: 'WAITING', deleted: 0, finishedAt: null, failure: null });
    const { keyRetiredAt, deletionStartsAt } = shredded.data!.shredTenant;
    expect(Date.parse(deletionStartsAt) - Date.parse(keyRetiredAt)).toBe(KEY_CACHE_AGE * 1000);

    // This instance: at once. Its token cache forgot the tenant too.
    expect(await resolve(a, 'acme', all)).toEqual({ resolved: 0, unresolved: 155 });
    // Another instance: once its cached key record is older than TENANT_KEY_CACHE_MAX_AGE.
    await sleep(KEY_CACHE_AGE * 1000 + 50);
    expect(await resolve(b, 'acme', all)).toEqual({ resolved: 0, unresolved: 155 });
    // Other tenants are untouched.
    expect(await resolve(b, 'globex', globex)).toEqual({ resolved: 20, unresolved: 0 });

    const done = await untilDone(a, 'acme');
    expect(done).toMatchObject({ state: 'DONE', deleted: 155, kept: 0, failure: null });
    expect(done.scanned).toBeGreaterThanOrEqual(175);
    expect(await itemsOf('acme')).toHaveLength(0);
    expect(await itemsOf('globex')).toHaveLength(20);
    expect(await resolve(a, 'globex', globex)).toEqual({ resolved: 20, unresolved: 0 });

    const audit = a.logs.lines.map((line) => JSON.parse(line)).find((line) => line.event === 'shred-tenant');
    expect(audit).toMatchObject({ audit: true, tenant: 'acme', subject: 'test', reason: 'offboarding ticket 4711' });
    expect(a.logs.text()).not.toContain('acme.1@example.com');
    const metrics = await (await fetch(a.url.replace('/graphql', '/metrics'))).text();
    expect(metrics).toMatch(/pii_gateway_shredded_mappings_deleted_total 155\b/);
  });

  it('lets the tenant start again: the same tokens, new mappings under a new secret, which the deletion keeps', async () => {
    const before = await anonymize(a, 'initech', emails('initech', 30));
    const shredded = await call(a, SHRED, { t: 'initech', r: 'reset' }, 'initech');
    expect(shredded.data!.shredTenant.state).toBe('WAITING');
    // Written while the deletion waits: a new secret is created for the tenant.
    const again = await anonymize(a, 'initech', emails('initech', 3));
    expect(again).toEqual(before.slice(0, 3));
    const done = await untilDone(a, 'initech');
    expect(done).toMatchObject({ state: 'DONE', deleted: 27, kept: 3 });
    expect(await resolve(a, 'initech', before)).toEqual({ resolved: 3, unresolved: 27 });
    expect(await resolve(b, 'initech', again)).toEqual({ resolved: 3, unresolved: 0 });
  });

  it('runs two shredTenant calls at once one after the other, the later one taking over', async () => {
    const tokens = await anonymize(a, 'soylent', emails('soylent', 5));
    const [first, second] = await Promise.all([call(a, SHRED, { t: 'soylent', r: 'one' }, 'soylent'), call(a, SHRED, { t: 'soylent', r: 'two' }, 'soylent')]);
    expect([first.errors, second.errors]).toEqual([undefined, undefined]);
    const retired = [first, second].map((r) => Date.parse(r.data!.shredTenant.keyRetiredAt)).sort();
    expect(retired[1]! >= retired[0]!).toBe(true);
    expect(await untilDone(a, 'soylent')).toMatchObject({ state: 'DONE', deleted: 5 });
    expect(await resolve(a, 'soylent', tokens)).toEqual({ resolved: 0, unresolved: 5 });
    const audits = a.logs.lines.map((line) => JSON.parse(line)).filter((line) => line.event === 'shred-tenant' && line.tenant === 'soylent');
    expect(audits.map((line) => line.reason).sort()).toEqual(['one', 'two']);
  });

  it("agrees on one secret when two instances write a new tenant's first values at once", async () => {
    const values = emails('hooli', 40);
    const [fromA, fromB] = await Promise.all([anonymize(a, 'hooli', values.slice(0, 20)), anonymize(b, 'hooli', values.slice(20))]);
    const tokens = [...fromA, ...fromB];
    expect(await resolve(a, 'hooli', tokens)).toEqual({ resolved: 40, unresolved: 0 });
    expect(await resolve(b, 'hooli', tokens)).toEqual({ resolved: 40, unresolved: 0 });
    // On one instance, a new tenant's first writes arriving together create its secret once.
    const swaps = async () => Number(/^pii_gateway_store_requests_total\{operation="tenant-key-swap",outcome="ok"\} (\d+)$/m.exec(await (await fetch(b.url.replace('/graphql', '/metrics'))).text())?.[1] ?? 0);
    const before = await swaps();
    await Promise.all(Array.from({ length: 10 }, (_, i) => anonymize(b, 'pied-piper', [`first.${i}@example.com`])));
    expect(await swaps()).toBe(before + 1);
  });

  it('needs the pii:shred scope and the caller’s own tenant typed out, and says so without quoting it', async () => {
    const tokens = await anonymize(a, 'umbrella', emails('umbrella', 2));
    const refused = await call(a, SHRED, { t: 'umbrella', r: 'x' }, 'umbrella', 'pii:anonymize pii:deanonymize pii:forget');
    expect(refused.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    expect((await call(a, PROGRESS, {}, 'umbrella', 'pii:anonymize')).errors![0]!.extensions!.code).toBe('FORBIDDEN');
    const wrong = await call(a, SHRED, { t: 'umbrela-typo', r: 'x' }, 'umbrella');
    expect(wrong.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(wrong.errors![0]!.message).not.toContain('umbrela-typo');
    const noReason = await call(a, SHRED, { t: 'umbrella', r: '  ' }, 'umbrella');
    expect(noReason.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect((await call(a, PROGRESS, {}, 'umbrella')).data!.tenantShredding).toBeNull();
    expect(await resolve(a, 'umbrella', tokens)).toEqual({ resolved: 2, unresolved: 0 });
  });

  it('fails with STORE_UNAVAILABLE and destroys nothing when the store refuses the write', async () => {
    const faulty = new FaultyStore(store.store);
    const flaky = await gateway({ maintenance: store.store }, faulty as never);
    const tokens = await anonymize(flaky, 'wayne', emails('wayne', 4));
    faulty.failWrites = true;
    const failed = await call(flaky, SHRED, { t: 'wayne', r: 'x' }, 'wayne');
    expect(failed.errors![0]!.extensions!.code).toBe('STORE_UNAVAILABLE');
    faulty.failWrites = false;
    expect(await resolve(flaky, 'wayne', tokens)).toEqual({ resolved: 4, unresolved: 0 });
    expect(await resolve(b, 'wayne', tokens)).toEqual({ resolved: 4, unresolved: 0 });
  });

  it('rotate-keys moves sealings from before tenant secrets under the tenant’s secret, so they are shredded too', async () => {
    const legacy = emails('stark', 6).map((value, i) => legacyMapping('stark', `tok_email_stark${String(i).padStart(19, '0')}`, value));
    await store.store.putMany(legacy);
    const cipher = new OriginalCipher(new TenantKeyring(master));
    await rotateKeys({ store: store.store, cipher, secrets: new TenantSecrets(store.store, 60_000) });
    const record = await store.store.getTenantKey('stark');
    const stored = await store.store.getMany(legacy);
    expect(stored.map((m) => cipher.secretIdOf(m!.ciphertext))).toEqual(legacy.map(() => record!.id));
    expect(await resolve(a, 'stark', legacy.map((m) => m.token))).toEqual({ resolved: 6, unresolved: 0 });
  });
});
