import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MappingKey, StoredMapping, TenantKeyRecord, TokenStore } from '../../src/store/token-store.js';
import { parsePolicies } from '../../src/policy/policy-file.js';
import { FaultyStore } from '../support/faulty-store.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';
import { startTestStore, type TestStore } from '../support/test-store.js';

const ANONYMIZE = 'mutation($p: JSON!) { anonymize(payload: $p, fields: ["e:email", "n:person", "id:member_id"]) { payload } }';
const DEANONYMIZE = 'mutation($p: JSON!) { deanonymize(payload: $p) { payload resolved unresolved } }';
const FORGET = 'mutation($t: [String!]!, $r: String) { forget(tokens: $t, reason: $r) { forgotten notFound kinds { kind count } } }';
const FORGET_VALUES = 'mutation($v: [ForgetValueInput!]!) { forgetValues(values: $v) { forgotten notFound kinds { kind count } } }';

/** The real store, with writes or deletes held back while held: to order a write against an erasure. */
class HeldWrites implements TokenStore {
  private gate: Promise<void> | undefined;
  private open: (() => void) | undefined;
  private holding: 'puts' | 'deletes' = 'puts';
  constructor(private readonly real: TokenStore) {}
  hold(what: 'puts' | 'deletes' = 'puts'): void {
    this.holding = what;
    this.gate = new Promise((resolve) => (this.open = resolve));
  }
  release(): void {
    this.open?.();
    this.gate = undefined;
  }
  async putMany(items: readonly StoredMapping[]) {
    if (this.holding === 'puts') await this.gate;
    return this.real.putMany(items);
  }
  getMany(keys: readonly MappingKey[]) {
    return this.real.getMany(keys);
  }
  async delete(keys: readonly MappingKey[]) {
    if (this.holding === 'deletes') await this.gate;
    return this.real.delete(keys);
  }
  getTenantKey(tenant: string) {
    return this.real.getTenantKey(tenant);
  }
  swapTenantKey(tenant: string, previousId: string | undefined, next: TenantKeyRecord) {
    return this.real.swapTenantKey(tenant, previousId, next);
  }
  ping() {
    return this.real.ping();
  }
}

let store: TestStore;
let faulty: FaultyStore;
let held: HeldWrites;
let gateway: TestGateway;
beforeAll(async () => {
  store = await startTestStore();
  held = new HeldWrites(store.store);
  faulty = new FaultyStore(held);
  gateway = await startTestGateway(faulty, { policies: parsePolicies('policies:\n  short:\n    retention: 1d\n    rules: [{ path: e, kind: email }]\n', 'policies.yaml') });
});
afterAll(async () => {
  await gateway?.close();
  await store?.close();
});

async function anonymize(p: Record<string, unknown>, tenant?: string): Promise<Record<string, string>> {
  const { body } = await gateway.gql(ANONYMIZE, { p }, { tenant });
  expect(body.errors).toBeUndefined();
  return body.data!.anonymize.payload;
}

async function deanonymize(p: unknown, tenant?: string) {
  return (await gateway.gql(DEANONYMIZE, { p }, { tenant })).body.data!.deanonymize;
}

describe('forget (erasure by token)', () => {
  it('deletes the mappings, so the tokens never resolve again, and leaves the others', async () => {
    const tokens = await anonymize({ e: 'erase.me@example.com', n: 'Erika Mustermann', id: 'M-1001' });
    const { body } = await gateway.gql(FORGET, { t: [tokens.e, tokens.n, tokens.e], r: 'DSR-2026-17' });
    // The repeated token counts once.
    expect(body.data!.forget).toEqual({ forgotten: 2, notFound: 0, kinds: [{ kind: 'email', count: 1 }, { kind: 'person', count: 1 }] });
    expect(await deanonymize(tokens)).toEqual({ payload: { ...tokens, id: 'M-1001' }, resolved: 1, unresolved: 2 });
    // Idempotent: a second erasure finds nothing.
    expect((await gateway.gql(FORGET, { t: [tokens.e] })).body.data!.forget).toMatchObject({ forgotten: 0, notFound: 1 });
  });

  it('re-tokenizing a forgotten value gives the same token and writes its mapping again', async () => {
    const first = await anonymize({ e: 'comes.back@example.com' });
    await anonymize({ e: 'comes.back@example.com' }); // now in the token cache
    await gateway.gql(FORGET, { t: [first.e] });
    store.resetCounts();
    const again = await anonymize({ e: 'comes.back@example.com' });
    expect(again.e).toBe(first.e);
    // Not served from the cache: a cached token would have no mapping behind it.
    expect(store.count('BatchWriteItem')).toBe(1);
    expect(await deanonymize(again)).toMatchObject({ payload: { e: 'comes.back@example.com' }, resolved: 1 });
  });

  it('also clears what a policy with a retention cached, so that path writes again too', async () => {
    const POLICY = 'mutation($p: JSON!) { anonymize(payload: $p, policy: "short") { payload } }';
    const first = (await gateway.gql(POLICY, { p: { e: 'policy.cached@example.com' } })).body.data!.anonymize.payload;
    await gateway.gql(POLICY, { p: { e: 'policy.cached@example.com' } }); // now cached, in the policy's partition
    await gateway.gql(FORGET, { t: [first.e] });
    store.resetCounts();
    expect((await gateway.gql(POLICY, { p: { e: 'policy.cached@example.com' } })).body.data!.anonymize.payload.e).toBe(first.e);
    expect(store.count('BatchWriteItem')).toBe(1);
    expect(await deanonymize(first)).toMatchObject({ resolved: 1 });
  });

  it("cannot touch another tenant's mappings", async () => {
    const acme = await anonymize({ e: 'shared@example.com' }, 'acme');
    const { body } = await gateway.gql(FORGET, { t: [acme.e] }, { tenant: 'globex' });
    expect(body.data!.forget).toMatchObject({ forgotten: 0, notFound: 1 });
    expect(await deanonymize(acme, 'acme')).toMatchObject({ resolved: 1 });
  });

  it('needs the pii:forget scope', async () => {
    const tokens = await anonymize({ e: 'scoped@example.com' });
    const query = JSON.stringify({ query: FORGET, variables: { t: [tokens.e] } });
    const refused = JSON.parse((await gateway.post(query, { 'x-test-scopes': 'pii:anonymize pii:deanonymize' })).text);
    expect(refused.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(refused.errors[0].message).toContain('pii:forget');
    expect(await deanonymize(tokens)).toMatchObject({ resolved: 1 });
    const allowed = JSON.parse((await gateway.post(query, { 'x-test-scopes': 'pii:forget' })).text);
    expect(allowed.data.forget.forgotten).toBe(1);
  });

  it('refuses a string that is not a token without quoting it, and too many at once', async () => {
    const { body } = await gateway.gql(FORGET, { t: ['tok_email_AAAAAAAAAAAAAAAAAAAAAAAA', 'jane.doe@example.com'] });
    expect(body.errors![0]).toMatchObject({ message: 'tokens[1] is not a token of this gateway', extensions: { code: 'BAD_USER_INPUT' } });
    const tooMany = await gateway.gql(FORGET, { t: Array.from({ length: 1001 }, () => 'tok_email_AAAAAAAAAAAAAAAAAAAAAAAA') });
    expect(tooMany.body.errors![0]).toMatchObject({ message: 'tokens takes at most 1000 entries per call', extensions: { code: 'BAD_USER_INPUT' } });
    expect(gateway.logs.text()).not.toContain('jane.doe');
  });

  it('audits who erased how many of which kinds and why, never a value or token', async () => {
    const tokens = await anonymize({ e: 'audited.erasure@example.com', n: 'Audrey Eraser' });
    const from = gateway.logs.lines.length;
    await gateway.gql(FORGET, { t: [tokens.e, tokens.n], r: 'ticket 4711' });
    const lines = gateway.logs.lines.slice(from).map((line) => JSON.parse(line));
    expect(lines.find((line) => line.event === 'forget')).toMatchObject({
      audit: true,
      tenant: 'acme',
      subject: 'test',
      kinds: { email: 1, person: 1 },
      notFound: 0,
      reason: 'ticket 4711',
    });
    const text = gateway.logs.lines.slice(from).join('\n');
    for (const secret of ['audited.erasure', 'Audrey', tokens.e, tokens.n]) expect(text).not.toContain(secret);
    const metrics = await (await fetch(gateway.url.replace('/graphql', '/metrics'))).text();
    expect(metrics).toMatch(/pii_gateway_mappings_forgotten_total\{kind="email"\} [1-9]/);
  });

  it('fails with STORE_UNAVAILABLE when the store cannot delete, and the retry completes the erasure', async () => {
    const tokens = await anonymize({ e: 'retry.erasure@example.com' });
    faulty.failWrites = true;
    const failed = await gateway.gql(FORGET, { t: [tokens.e] });
    faulty.failWrites = false;
    expect(failed.body.errors![0]!.extensions!.code).toBe('STORE_UNAVAILABLE');
    expect(failed.body.errors![0]!.message).toContain('erasure may be incomplete');
    expect((await gateway.gql(FORGET, { t: [tokens.e] })).body.data!.forget.forgotten).toBe(1);
    expect(await deanonymize(tokens)).toMatchObject({ unresolved: 1 });
  });
});

describe('forgetValues (erasure by value)', () => {
  it('recomputes the tokens from kind and value, for strings and other JSON values', async () => {
    const tokens = await anonymize({ e: 'by.value@example.com', n: 'Valerie Value', id: 4711 as unknown as string });
    const { body } = await gateway.gql(FORGET_VALUES, {
      v: [
        { kind: 'email', value: 'by.value@example.com' },
        { kind: 'member_id', value: 4711 },
        // The string "4711" is another value than the number: never tokenized, so not found.
        { kind: 'member_id', value: '4711' },
        // Right value, wrong kind: another token.
        { kind: 'email', value: 'Valerie Value' },
      ],
    });
    expect(body.data!.forgetValues).toEqual({ forgotten: 2, notFound: 2, kinds: [{ kind: 'email', count: 1 }, { kind: 'member_id', count: 1 }] });
    expect(await deanonymize(tokens)).toEqual({ payload: { ...tokens, n: 'Valerie Value' }, resolved: 1, unresolved: 2 });
  });

  it('names a bad kind by its position', async () => {
    const { body } = await gateway.gql(FORGET_VALUES, { v: [{ kind: 'email', value: 'x@example.com' }, { kind: 'Not A Kind', value: 'y' }] });
    expect(body.errors![0]).toMatchObject({ message: expect.stringMatching(/^values\[1\]\.kind must be/), extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('is ordered after a write of the same value already in flight, and the cache forgets it', async () => {
    const value = 'in.flight@example.com';
    held.hold();
    const writing = anonymize({ e: value });
    // Let the anonymize reach the store, where its write waits.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const forgetting = gateway.gql(FORGET_VALUES, { v: [{ kind: 'email', value }] });
    await new Promise((resolve) => setTimeout(resolve, 100));
    held.release();
    const [tokens, forgotten] = await Promise.all([writing, forgetting]);
    // The erasure read the store before the write landed, but deleted after it.
    expect(forgotten.body.data!.forgetValues).toMatchObject({ notFound: 1 });
    expect(await deanonymize(tokens)).toMatchObject({ unresolved: 1 });
    store.resetCounts();
    expect((await anonymize({ e: value })).e).toBe(tokens.e);
    expect(store.count('BatchWriteItem')).toBe(1);
  });

  it('makes a write of the same value that starts during the erasure wait for it, so the new token resolves', async () => {
    const value = 'during.erasure@example.com';
    const first = await anonymize({ e: value });
    held.hold('deletes');
    const forgetting = gateway.gql(FORGET_VALUES, { v: [{ kind: 'email', value }] });
    // Let the erasure reach its delete, where it waits.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const writing = anonymize({ e: value });
    await new Promise((resolve) => setTimeout(resolve, 100));
    held.release();
    const [forgotten, again] = await Promise.all([forgetting, writing]);
    expect(forgotten.body.data!.forgetValues).toMatchObject({ forgotten: 1 });
    expect(again.e).toBe(first.e);
    // Written after the delete: the token the second request returned resolves.
    expect(await deanonymize(again)).toMatchObject({ resolved: 1, unresolved: 0 });
  });
});
