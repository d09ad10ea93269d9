import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePolicies } from '../../src/policy/policy-file.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';
import { startTestStore, type TestStore } from '../support/test-store.js';

const POLICIES = `
policies:
  invoices:
    retention: 90d
    rules:
      - { path: customer.email }
      - { path: customer.card, strategy: MASK, mask: { keepLast: 4 } }
  tickets:
    detect: true
tenants:
  acme:
    invoices:
      rules: [{ path: customer.email, strategy: HASH }]
`;
const ANONYMIZE = 'mutation($p: JSON!, $policy: String, $f: [String!]) { anonymize(payload: $p, policy: $policy, fields: $f) { payload tokenized } }';
const VALIDATE = 'mutation($policy: JSON!, $s: JSON) { validatePolicy(policy: $policy, sample: $s) { valid problem { path message } preview { payload tokenized } sampleError { code message } } }';
const invoice = { customer: { email: 'billing@example.com', card: '4242 4242 4242 4242' }, total: 120 };

let store: TestStore;
let gateway: TestGateway;
beforeAll(async () => {
  store = await startTestStore();
  gateway = await startTestGateway(store.store, { policies: parsePolicies(POLICIES, 'policies.yaml'), tokenCacheSize: 0 });
});
afterAll(async () => {
  await gateway?.close();
  await store?.close();
});

async function anonymize(variables: Record<string, unknown>, tenant?: string) {
  return (await gateway.gql(ANONYMIZE, variables, { tenant })).body;
}

describe('named policies', () => {
  it("applies the tenant's own policy, else the global one, with the policy's retention on what it stores", async () => {
    const before = Date.now();
    const globex = await anonymize({ p: invoice, policy: 'invoices' }, 'globex');
    expect(globex.data!.anonymize).toEqual({ payload: { customer: { email: expect.stringMatching(/^tok_email_/), card: '**** **** **** 4242' }, total: 120 }, tokenized: 1 });
    const items = (await store.client.send(new ScanCommand({ TableName: 'pii_tokens_test' }))).Items ?? [];
    const stored = items.find((item) => item.pk!.S === `globex#${globex.data!.anonymize.payload.customer.email}`)!;
    expect(Number(stored.expiresAt!.N)).toBeGreaterThanOrEqual(Math.ceil(before / 1000) + 90 * 86400);
    expect(Number(stored.expiresAt!.N)).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 90 * 86400);

    const acme = await anonymize({ p: invoice, policy: 'invoices' }, 'acme');
    expect(acme.data!.anonymize.payload.customer).toEqual({ email: expect.stringMatching(/^[0-9a-f]{64}$/), card: invoice.customer.card });

    const tickets = await anonymize({ p: { note: 'Call me at jane@example.com' }, policy: 'tickets' });
    expect(tickets.data!.anonymize.payload.note).toMatch(/^Call me at tok_email_\S+$/);
  });

  it('refuses an unknown policy, a policy with fields, and a bad name without quoting it', async () => {
    expect((await anonymize({ p: invoice, policy: 'payroll' })).errors![0]).toMatchObject({ message: 'policy names no policy of PII_POLICY_FILE for this tenant', extensions: { code: 'BAD_USER_INPUT' } });
    expect((await anonymize({ p: invoice, policy: 'invoices', f: ['customer.email'] })).errors![0]!.message).toBe('policy replaces fields and rules: give one or the other');
    const bad = await gateway.gql(ANONYMIZE, { p: invoice, policy: 'jane@example.com' });
    expect(bad.body.errors![0]!.message).toBe('policy is not a valid policy name');
    expect(bad.text).not.toContain('jane@');
  });

  it('applies a policy to every item of anonymizeBatch', async () => {
    const { body } = await gateway.gql('mutation($p: [JSON!]!) { anonymizeBatch(payloads: $p, policy: "invoices") { tokenized failed items { result { payload } } } }', { p: [invoice, invoice] }, { tenant: 'globex' });
    expect(body.data!.anonymizeBatch).toMatchObject({ tokenized: 2, failed: 0 });
    expect(body.data!.anonymizeBatch.items[1].result.payload.customer.card).toBe('**** **** **** 4242');
  });
});

describe('validatePolicy', () => {
  it('previews a valid policy on a sample with the real tokens, storing nothing', async () => {
    const policy = { rules: [{ path: 'customer.email' }, { path: 'customer.card', strategy: 'FORMAT_PRESERVING', formatPreserving: { keepLast: 4, luhn: true } }], retention: '30d' };
    store.resetCounts();
    const { body } = await gateway.gql(VALIDATE, { policy, s: { customer: { email: 'preview.only@example.com', card: '4242 4242 4242 4242' } } });
    const result = body.data!.validatePolicy;
    expect(result).toMatchObject({ valid: true, problem: null, sampleError: null, preview: { tokenized: 1 } });
    expect(result.preview.payload.customer.card).toMatch(/^\d{4} \d{4} \d{4} 4242$/);
    expect(store.count('BatchWriteItem')).toBe(0);
    // The same token anonymize gives; it resolves only once anonymize has stored it.
    const token = result.preview.payload.customer.email;
    const resolve = async () => (await gateway.gql('mutation($p: JSON!) { deanonymize(payload: $p) { resolved } }', { p: [token] })).body.data!.deanonymize.resolved;
    expect(await resolve()).toBe(0);
    expect((await anonymize({ p: { e: 'preview.only@example.com' }, f: ['e:email'] })).data!.anonymize.payload.e).toBe(token);
    expect(await resolve()).toBe(1);
  });

  it('names the first problem by its place in the policy, quoting no value', async () => {
    const cases: [unknown, string, RegExp][] = [
      [{ rules: [{ path: 'a' }, { path: 'b', strategy: 'MASK', mask: { char: 'jane@example.com' } }] }, 'rules[1]', /mask\.char must be exactly one character/],
      [{ rules: [{ path: 'a', strategy: 'jane@example.com' }] }, 'rules[0].strategy', /does not exist in "PiiStrategy" enum/],
      [{ rules: [{ path: 'a' }], retention: 'a while' }, 'retention', /a duration is/],
      [{ detect: true, rules: [{ path: 'a' }] }, 'detect', /cannot be combined with rules/],
      [{}, '', /needs rules, or detect: true/],
      [{ rules: [{ path: 'a' }], 'jane@example.com': 1 }, '', /has a setting other than rules, detect and retention/],
      [{ rules: [{ path: 'a', 'jane@example.com': 1 }] }, 'rules[0]', /A field is not defined by type "PiiRule"/],
      [{ rules: [{ path: 'a', strategy: 'TEXT', text: { kinds: ['email', 'phones'] } }] }, 'rules[0].text.kinds[1]', /^is not a kind the detectors find$/],
    ];
    for (const [policy, path, message] of cases) {
      const { body, text } = await gateway.gql(VALIDATE, { policy, s: invoice });
      expect(body.data!.validatePolicy).toMatchObject({ valid: false, problem: { path, message: expect.stringMatching(message) }, preview: null });
      expect(text).not.toContain('jane@');
    }
  });

  it('reports a sample the valid policy cannot transform', async () => {
    const { body } = await gateway.gql(VALIDATE, { policy: { rules: [{ path: 'born', strategy: 'GENERALIZE', generalize: { to: 'YEAR' } }] }, s: { born: 'soon' } });
    expect(body.data!.validatePolicy).toMatchObject({ valid: true, preview: null, sampleError: { code: 'BAD_USER_INPUT' } });
  });
});
