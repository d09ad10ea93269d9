import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { useGateway } from '../support/gateway-fixture.js';

/**
 * Hostile input at the gateway's own operations: arbitrary JSON and unicode, malformed and
 * foreign tokens, huge numbers, prototype-pollution keys, deep nesting. Every answer must be a
 * GraphQL response (no 500 without a code), no error may quote the input, and the server must
 * keep answering.
 */
const t = useGateway();

const secretish = fc.constantFrom('quinn.fuzz@example.com', '4242 4242 4242 4242', 'Jane Fuzzperson', '123-45-6789');
const tokenish = fc.oneof(
  fc.constant('tok_email_AAAAAAAAAAAAAAAAAAAAAAAA'),
  fc.stringMatching(/^tok_[a-z_]{1,12}_[A-Za-z0-9_-]{20,28}$/),
  fc.constant('tok__'),
  fc.constant('tok_email_'),
);
const text = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), secretish, tokenish, fc.constantFrom('__proto__', 'constructor', 'prototype'));
const value = fc.letrec((tie) => ({
  json: fc.oneof(
    { depthSize: 'small' },
    text,
    fc.double(),
    fc.bigInt().map((n) => Number(n)),
    fc.constantFrom(Number.MAX_SAFE_INTEGER, 1e308, -0),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('json'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(text, fc.constantFrom('__proto__', 'constructor')), tie('json'), { maxKeys: 4 }),
  ),
})).json;
const deep = fc.integer({ min: 100, max: 400 }).map((depth) => JSON.parse(`${'['.repeat(depth)}"quinn.fuzz@example.com"${']'.repeat(depth)}`));
const path = fc.oneof(fc.string(), fc.stringMatching(/^[a-z[\]*.:0-9]{1,12}$/), secretish);

const OPERATIONS = [
  { query: 'mutation($p: JSON!, $f: [String!]) { anonymize(payload: $p, fields: $f) { payload tokenized } }', vars: fc.record({ p: fc.oneof(value, deep), f: fc.option(fc.array(path, { maxLength: 3 }), { nil: undefined }) }) },
  { query: 'mutation($p: JSON!) { deanonymize(payload: $p) { payload unresolved } }', vars: fc.record({ p: fc.oneof(value, deep) }) },
  { query: 'mutation($t: String!) { anonymizeText(text: $t) { text } }', vars: fc.record({ t: text }) },
  { query: 'mutation($t: String!, $m: JSON) { deanonymizeText(text: $t, mapping: $m) { text } }', vars: fc.record({ t: text, m: value }) },
  {
    query: 'mutation($t: String!, $r: [RecognizerInput!]) { anonymizeText(text: $t, recognizers: $r) { text } }',
    vars: fc.record({ t: text, r: fc.array(fc.record({ name: fc.oneof(text, fc.constant('fuzz')), kind: fc.oneof(text, fc.constant('fuzz')), pattern: fc.oneof(text, secretish.map((s) => `${s}(`)) }), { maxLength: 3 }) }),
  },
  { query: 'mutation($p: [JSON!]!, $f: [String!]) { anonymizeBatch(payloads: $p, fields: $f) { failed items { error { code message } } } }', vars: fc.record({ p: fc.array(fc.oneof(value, deep), { maxLength: 4 }), f: fc.option(fc.array(path, { maxLength: 2 }), { nil: undefined }) }) },
  { query: 'mutation($p: [JSON!]!) { deanonymizeBatch(payloads: $p) { failed items { error { code message } } } }', vars: fc.record({ p: fc.array(fc.oneof(value, deep), { maxLength: 4 }) }) },
  { query: 'mutation($p: JSON!, $s: JSON) { validatePolicy(policy: $p, sample: $s) { valid problem { path message } sampleError { code message } } }', vars: fc.record({ p: value, s: value }) },
  { query: 'mutation($p: JSON!, $policy: String) { anonymize(payload: $p, policy: $policy) { tokenized } }', vars: fc.record({ p: value, policy: fc.oneof(text, fc.constant('JaneFuzzperson')) }) },
  { query: 'mutation($t: [String!]!) { forget(tokens: $t) { forgotten notFound } }', vars: fc.record({ t: fc.array(fc.oneof(tokenish, text), { maxLength: 4 }) }) },
  { query: 'mutation($v: [ForgetValueInput!]!) { forgetValues(values: $v) { forgotten notFound } }', vars: fc.record({ v: fc.array(fc.record({ kind: fc.oneof(text, fc.constant('email')), value }), { maxLength: 3 }) }) },
];

/** Every `message` (and a problem's `path`) anywhere in a response: errors, per-item errors and policy problems. */
function messages(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(messages);
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, child]) => ((key === 'message' || key === 'path') && typeof child === 'string' ? [child] : messages(child)));
}

describe('fuzzing the gateway’s own operations', () => {
  it('answers everything with a GraphQL response, never quoting input, and stays up', async () => {
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: OPERATIONS.length - 1 }).chain((i) => OPERATIONS[i]!.vars.map((vars) => ({ query: OPERATIONS[i]!.query, vars }))), async ({ query, vars }) => {
        const { status, text: body } = await t.gateway.post(JSON.stringify({ query, variables: vars }), { 'x-test-tenant': Math.random() < 0.5 ? 'acme' : 'globex' });
        statuses.add(status);
        expect([200, 400, 413, 503]).toContain(status);
        const parsed = JSON.parse(body) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
        for (const error of parsed.errors ?? []) {
          expect(error.extensions?.code).toBeTruthy();
          expect(error.extensions?.code).not.toBe('INTERNAL_SERVER_ERROR');
        }
        for (const message of messages(parsed)) {
          for (const secret of ['quinn.fuzz@example.com', 'Jane Fuzzperson', 'JaneFuzzperson', '123-45-6789']) expect(message).not.toContain(secret);
        }
      }),
      { numRuns: 500 },
    );
    expect(statuses.has(200)).toBe(true);
    const alive = await t.gateway.gql('{ patient(id: "p1") { name } }');
    expect(alive.status).toBe(200);
    for (const secret of ['quinn.fuzz@example.com', 'Jane Fuzzperson', '123-45-6789', '4242 4242 4242 4242']) expect(t.gateway.logs.text()).not.toContain(secret);
  });

  it('treats `constructor`, a valid kind that is also an Object.prototype member, as any other kind', async () => {
    // Found by the fuzz test above (a recognizer of kind "constructor" once answered INTERNAL_SERVER_ERROR).
    const recognizers = [{ name: 'prototype', kind: 'constructor', pattern: 'PRJ-[0-9]{4}' }];
    const text = 'Ship PRJ-1234 to quinn.fuzz@example.com';
    for (const mode of ['TOKENS', 'PLACEHOLDERS']) {
      const { body } = await t.gateway.gql('mutation($t: String!, $r: [RecognizerInput!], $m: TextMode) { anonymizeText(text: $t, recognizers: $r, mode: $m) { text mapping spans { kind } } }', { t: text, r: recognizers, m: mode });
      expect(body.errors).toBeUndefined();
      const out = body.data!.anonymizeText;
      expect(out.spans.map((s: { kind: string }) => s.kind).sort()).toEqual(['constructor', 'email']);
      expect(out.text).not.toContain('PRJ-1234');
      const back = await t.gateway.gql('mutation($t: String!, $m: JSON) { deanonymizeText(text: $t, mapping: $m) { text } }', { t: out.text, m: out.mapping });
      expect(back.body.data!.deanonymizeText.text).toBe(text);
    }
    const { body } = await t.gateway.gql('mutation($p: JSON!) { anonymize(payload: $p, fields: ["code:constructor"]) { payload kinds { kind count } } }', { p: { code: 'PRJ-1234' } });
    expect(body.errors).toBeUndefined();
    expect(body.data!.anonymize.payload.code).toMatch(/^tok_constructor_/);
    expect(body.data!.anonymize.kinds).toEqual([{ kind: 'constructor', count: 1 }]);
    const forgotten = await t.gateway.gql('mutation($v: [ForgetValueInput!]!) { forgetValues(values: $v) { forgotten notFound } }', { v: [{ kind: 'constructor', value: 'PRJ-1234' }] });
    expect(forgotten.body.errors).toBeUndefined();
    expect(forgotten.body.data!.forgetValues).toEqual({ forgotten: 1, notFound: 0 });
  });
});
