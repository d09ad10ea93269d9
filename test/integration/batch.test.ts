import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultyStore } from '../support/faulty-store.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';
import { startTestStore, type TestStore } from '../support/test-store.js';

const ANONYMIZE_BATCH = `mutation($p: [JSON!]!, $f: [String!], $r: [PiiRule!]) {
  anonymizeBatch(payloads: $p, fields: $f, rules: $r) { tokenized failed items { result { payload tokenized kinds { kind count } } error { code message } } } }`;
const DEANONYMIZE_BATCH = `mutation($p: [JSON!]!, $r: [PiiRule!]) {
  deanonymizeBatch(payloads: $p, rules: $r, reason: "batch test") { resolved unresolved failed items { result { payload resolved unresolved } error { code message } } } }`;
const FORGET_VALUES = 'mutation($v: [ForgetValueInput!]!) { forgetValues(values: $v) { forgotten notFound } }';

let store: TestStore;
let faulty: FaultyStore;
let gateway: TestGateway;
beforeAll(async () => {
  store = await startTestStore();
  faulty = new FaultyStore(store.store);
  gateway = await startTestGateway(faulty, { maxBatchItems: 50, tokenCacheSize: 0 });
});
afterAll(async () => {
  await gateway?.close();
  await store?.close();
});

const people = Array.from({ length: 40 }, (_, i) => ({ email: `batch.${i}@example.com`, born: `19${50 + i}-03-09` }));

describe('anonymizeBatch', () => {
  it('answers per item, a failing item costs only itself and stores nothing, and all items share write batches', async () => {
    const payloads = people.map((person, i) => (i === 7 ? { ...person, born: 'not a date' } : person));
    store.resetCounts();
    const { body } = await gateway.gql(ANONYMIZE_BATCH, { p: payloads, r: [{ path: 'email' }, { path: 'born', strategy: 'GENERALIZE', generalize: { to: 'YEAR' } }] });
    expect(body.errors).toBeUndefined();
    const result = body.data!.anonymizeBatch;
    expect(result).toMatchObject({ tokenized: 39, failed: 1 });
    expect(result.items).toHaveLength(40);
    expect(result.items[7]).toEqual({
      result: null,
      error: { code: 'BAD_USER_INPUT', message: 'rules[1]: a value at this path cannot be transformed by GENERALIZE (the value is not a date)' },
    });
    expect(result.items[0]).toEqual({ result: { payload: { email: expect.stringMatching(/^tok_email_/), born: '1950' }, tokenized: 1, kinds: [{ kind: 'email', count: 1 }] }, error: null });
    // 39 new mappings: two BatchWriteItem calls of at most 25, not one per item.
    expect(store.count('BatchWriteItem')).toBe(2);
    // The failed item's email, tokenized before its date failed, was never stored.
    const erased = await gateway.gql(FORGET_VALUES, { v: [{ kind: 'email', value: people[7]!.email }, { kind: 'email', value: people[8]!.email }] });
    expect(erased.body.data!.forgetValues).toEqual({ forgotten: 1, notFound: 1 });
  });

  it('counts only the items that succeeded in the audit line', async () => {
    const from = gateway.logs.lines.length;
    await gateway.gql(ANONYMIZE_BATCH, { p: [{ email: 'ok.audit@example.com' }, { email: { nested: 'x' } }], r: [{ path: 'email', strategy: 'MASK' }] });
    await gateway.gql(ANONYMIZE_BATCH, { p: [{ email: 'a.audit@example.com' }, { email: 'b.audit@example.com' }], f: ['email'] });
    const lines = gateway.logs.lines.slice(from).map((line) => JSON.parse(line)).filter((line) => line.msg === 'operation');
    expect(lines.map((line) => line.tokenized)).toEqual([{}, { email: 2 }]);
    expect(gateway.logs.lines.slice(from).join('\n')).not.toContain('audit@example.com');
  });

  it('refuses more than MAX_BATCH_ITEMS payloads and a bad rule for the whole call', async () => {
    const tooMany = await gateway.gql(ANONYMIZE_BATCH, { p: Array.from({ length: 51 }, () => ({})), f: ['email'] });
    expect(tooMany.body.errors![0]).toMatchObject({ message: 'payloads takes at most 50 items per call (MAX_BATCH_ITEMS)', extensions: { code: 'BAD_USER_INPUT' } });
    const badRule = await gateway.gql(ANONYMIZE_BATCH, { p: [{}], f: ['email[x'] });
    expect(badRule.body.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
  });

  it('fails whole with STORE_UNAVAILABLE and no token when the store cannot write', async () => {
    faulty.failWrites = true;
    try {
      const { body, status } = await gateway.gql(ANONYMIZE_BATCH, { p: [{ email: 'down.1@example.com' }, { email: 'down.2@example.com' }], f: ['email'] });
      expect(status).toBe(503);
      expect(body.errors![0]!.extensions!.code).toBe('STORE_UNAVAILABLE');
      expect(JSON.stringify(body)).not.toMatch(/tok_email_/);
    } finally {
      faulty.failWrites = false;
    }
  });
});

describe('deanonymizeBatch', () => {
  it('restores every item in shared reads, with per-item errors', async () => {
    const anonymized = await gateway.gql(ANONYMIZE_BATCH, { p: people, r: [{ path: 'email' }, { path: 'born', strategy: 'FORMAT_PRESERVING' }] });
    const payloads = anonymized.body.data!.anonymizeBatch.items.map((item: any) => item.result.payload);
    payloads[3] = { ...payloads[3], born: '12' }; // too short to be an FF1 output: cannot be decrypted
    payloads.push({ email: 'tok_email_AAAAAAAAAAAAAAAAAAAAAAAA' }); // unknown token: unresolved, not an error
    store.resetCounts();
    const { body } = await gateway.gql(DEANONYMIZE_BATCH, { p: payloads, r: [{ path: 'born', strategy: 'FORMAT_PRESERVING' }] });
    expect(body.errors).toBeUndefined();
    const result = body.data!.deanonymizeBatch;
    expect(result).toMatchObject({ failed: 1, unresolved: 1 });
    expect(result.items[3]).toEqual({ result: null, error: { code: 'BAD_USER_INPUT', message: expect.stringMatching(/^rules\[0\]: a value at this path cannot be decrypted/) } });
    expect(result.items[0].result).toEqual({ payload: people[0], resolved: 2, unresolved: 0 });
    expect(result.items.filter((item: any) => item.result?.resolved === 2).map((item: any) => item.result.payload)).toEqual(people.filter((_, i) => i !== 3));
    expect(result.items[40].result).toEqual({ payload: { email: 'tok_email_AAAAAAAAAAAAAAAAAAAAAAAA' }, resolved: 0, unresolved: 1 });
    // 40 email tokens (the FPE dates need no store): one BatchGetItem for all items.
    expect(store.count('BatchGetItem')).toBe(1);
  });

  it('needs pii:deanonymize', async () => {
    const response = await gateway.post(JSON.stringify({ query: DEANONYMIZE_BATCH, variables: { p: [{}] } }), { 'x-test-scopes': 'pii:anonymize' });
    expect(JSON.parse(response.text).errors[0].extensions.code).toBe('FORBIDDEN');
  });
});
