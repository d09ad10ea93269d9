import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { useGateway } from '../support/gateway-fixture.js';

const ANONYMIZE = 'mutation($p: JSON!, $f: [String!]) { anonymize(payload: $p, fields: $f) { payload tokenized kinds { kind count } unmatchedFields } }';
const DEANONYMIZE = 'mutation($p: JSON!) { deanonymize(payload: $p) { payload resolved unresolved kinds { kind count } } }';

const t = useGateway();
beforeEach(() => t.store.resetCounts());

async function anonymize(payload: unknown, fields?: string[], tenant?: string) {
  const response = await t.gateway.gql(ANONYMIZE, { p: payload, f: fields }, { tenant });
  expect(response.body.errors).toBeUndefined();
  return response.body.data!.anonymize;
}

async function deanonymize(payload: unknown, tenant?: string) {
  const response = await t.gateway.gql(DEANONYMIZE, { p: payload }, { tenant });
  expect(response.body.errors).toBeUndefined();
  return response.body.data!.deanonymize;
}

describe('anonymize with fields', () => {
  it('tokenizes values at dot paths with [*] and [n], any JSON type, and reports counts', async () => {
    const payload = {
      visit: { id: 'V-1', room: 12 },
      patients: [
        { email: 'ann@example.com', age: 41, vip: true, name: 'Ann' },
        { email: 'bob@example.com', age: 35, vip: false, name: null },
      ],
      codes: [['a', 'b'], ['c']],
    };
    const result = await anonymize(payload, ['patients[*].email', 'patients[*].age', 'patients[0].vip', 'patients[*].name:person', 'visit.id', 'codes[*][1]', 'nothing.here']);
    const out = result.payload;
    expect(out.patients[0].email).toMatch(/^tok_email_/);
    expect(out.patients[0].age).toMatch(/^tok_age_/);
    expect(out.patients[0].vip).toMatch(/^tok_vip_/);
    expect(out.patients[1].vip).toBe(false);
    expect(out.patients[0].name).toMatch(/^tok_person_/);
    expect(out.patients[1].name).toBeNull();
    expect(out.visit).toEqual({ id: expect.stringMatching(/^tok_id_/), room: 12 });
    expect(out.codes).toEqual([['a', expect.stringMatching(/^tok_codes_/)], ['c']]);
    expect(result.tokenized).toBe(8);
    expect(result.kinds).toEqual([
      { kind: 'age', count: 2 },
      { kind: 'codes', count: 1 },
      { kind: 'email', count: 2 },
      { kind: 'id', count: 1 },
      { kind: 'person', count: 1 },
      { kind: 'vip', count: 1 },
    ]);
    expect(result.unmatchedFields).toEqual(['nothing.here']);

    const back = await deanonymize(out);
    expect(back.payload).toEqual(payload);
    expect(back.resolved).toBe(8);
  });

  it('tokenizes a whole object or array at a path as one value and restores it', async () => {
    const payload = { address: { street: '1 Main St', geo: [1.5, -2] }, tags: ['x', 'y'] };
    const result = await anonymize(payload, ['address', 'tags']);
    expect(result.payload.address).toMatch(/^tok_address_/);
    expect(result.payload.tags).toMatch(/^tok_tags_/);
    expect((await deanonymize(result.payload)).payload).toEqual(payload);
  });

  it('keeps values that look alike apart: the number 42 and the string "42"', async () => {
    const result = await anonymize({ a: 42, b: '42' }, ['a:n', 'b:n']);
    expect(result.payload.a).not.toBe(result.payload.b);
    expect((await deanonymize(result.payload)).payload).toEqual({ a: 42, b: '42' });
  });

  it('refuses an invalid path with BAD_USER_INPUT, naming the entry but not quoting it', async () => {
    const path = 'patients[jane@example.com]';
    const { status, body, text } = await t.gateway.gql(ANONYMIZE, { p: {}, f: ['ok', path] });
    expect(status).toBe(200);
    expect(body.data).toBeNull();
    expect(body.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(body.errors![0]!.message).toMatch(/^fields\[1\] is not a valid path/);
    expect(text).not.toContain('jane@example.com');
  });

  it('refuses a value larger than the store keeps as PAYLOAD_TOO_LARGE, never asking the store, so its circuit stays closed', async () => {
    // Once the store's own refusal: STORE_UNAVAILABLE, and five in a row opened the circuit for every caller.
    const huge = 'x'.repeat(450 * 1024);
    t.store.resetCounts();
    for (let i = 0; i < 6; i++) {
      const { status, body, text } = await t.gateway.gql(ANONYMIZE, { p: { note: `${huge}${i}` }, f: ['note'] });
      expect(status).toBe(413);
      expect(body.errors![0]!.extensions!.code).toBe('PAYLOAD_TOO_LARGE');
      expect(text).not.toContain('xxxx');
    }
    expect(t.store.count('BatchWriteItem')).toBe(0);
    expect((await t.gateway.gql(ANONYMIZE, { p: { note: 'fine' }, f: ['note'] })).body.errors).toBeUndefined();
    // The largest value kept (its JSON text, quotes included, is 256 KiB) fits a store item and comes back.
    const largest = 'y'.repeat(256 * 1024 - 2);
    const kept = await t.gateway.gql(ANONYMIZE, { p: { note: largest }, f: ['note'] });
    expect(kept.body.errors).toBeUndefined();
    expect((await deanonymize(kept.body.data!.anonymize.payload)).payload).toEqual({ note: largest });
    const batch = await t.gateway.gql('mutation($p: [JSON!]!) { anonymizeBatch(payloads: $p, fields: ["note"]) { failed items { error { code } } } }', { p: [{ note: huge }, { note: 'also fine' }] });
    expect(batch.body.data!.anonymizeBatch).toEqual({ failed: 1, items: [{ error: { code: 'PAYLOAD_TOO_LARGE' } }, { error: null }] });
  });
});

describe('anonymize without fields', () => {
  it('finds emails inside every string leaf and tokenizes just them', async () => {
    const payload = { note: 'Mail ann@example.com or bob@example.org.', nested: [{ deep: 'x: carl@example.net' }], n: 3, keep: 'no email here' };
    const result = await anonymize(payload);
    expect(result.payload.note).toMatch(/^Mail tok_email_[A-Za-z0-9_-]{24} or tok_email_[A-Za-z0-9_-]{24}\.$/);
    expect(result.payload.nested[0].deep).toMatch(/^x: tok_email_/);
    expect(result.payload.keep).toBe('no email here');
    expect(result.kinds).toEqual([{ kind: 'email', count: 3 }]);
    expect((await deanonymize(result.payload)).payload).toEqual(payload);
  });
});

describe('anonymize without fields: validated patterns', () => {
  it('finds phones, cards, IBANs, SSNs and IP addresses, and only valid ones', async () => {
    const payload = {
      ticket: 'Customer called from +1 212-555-0147, card 4242 4242 4242 4242 (not 4242 4242 4242 4241).',
      bank: 'IBAN GB82WEST12345698765432; SSN 123-45-6789; login from 192.168.0.1',
    };
    const result = await anonymize(payload);
    expect(result.kinds).toEqual([
      { kind: 'credit_card', count: 1 },
      { kind: 'iban', count: 1 },
      { kind: 'ip_address', count: 1 },
      { kind: 'phone', count: 1 },
      { kind: 'us_ssn', count: 1 },
    ]);
    expect(result.payload.ticket).toContain('(not 4242 4242 4242 4241)');
    expect(result.payload.ticket).not.toContain('555-0147');
    expect((await deanonymize(result.payload)).payload).toEqual(payload);
  });
});

describe('deanonymize', () => {
  it('leaves unknown tokens and other tenants’ tokens as they are, and counts them', async () => {
    const mine = (await anonymize({ email: 'dora@example.com' }, ['email'], 'acme')).payload.email;
    const unknown = 'tok_email_AAAAAAAAAAAAAAAAAAAAAAAA';
    const result = await deanonymize({ a: mine, b: `see ${unknown}`, c: mine }, 'globex');
    expect(result).toEqual({ payload: { a: mine, b: `see ${unknown}`, c: mine }, resolved: 0, unresolved: 3, kinds: [] });
    const own = await deanonymize({ a: mine, b: `see ${unknown}` }, 'acme');
    expect(own).toEqual({ payload: { a: 'dora@example.com', b: `see ${unknown}` }, resolved: 1, unresolved: 1, kinds: [{ kind: 'email', count: 1 }] });
  });

  it('reads 250 distinct tokens in ceil(250 / 100) store requests', async () => {
    const values = Array.from({ length: 250 }, (_, i) => ({ v: `value-${i}` }));
    const tokens = (await anonymize(values, ['[*].v'])).payload;
    t.store.resetCounts();
    const result = await deanonymize(tokens);
    expect(result.resolved).toBe(250);
    expect(t.store.count('BatchGetItem')).toBe(3);
  });

  it('refuses an answer that restoring would swell past 64 Mi characters, as PAYLOAD_TOO_LARGE, and keeps serving', async () => {
    // A 256 KiB original's token 300 times (a 12 KB request) would restore 77 MB: once a 500
    // after seconds of work and most of a gigabyte of memory, from the serializer.
    const token = (await anonymize({ a: 'z'.repeat(256 * 1024 - 2) }, ['a'])).payload.a;
    const one = await t.gateway.gql('mutation($p: JSON!) { deanonymize(payload: $p) { resolved } }', { p: Array(300).fill(token) });
    expect(one.status).toBe(413);
    expect(one.body.errors![0]!.extensions!.code).toBe('PAYLOAD_TOO_LARGE');
    // A batch shares the answer: its items count together, and only those past the limit fail.
    const batch = await t.gateway.gql('mutation($p: [JSON!]!) { deanonymizeBatch(payloads: $p) { failed items { error { code } } } }', { p: [Array(100).fill(token), Array(100).fill(token), Array(100).fill(token)] });
    expect(batch.body.data!.deanonymizeBatch.failed).toBe(1);
    expect(batch.body.data!.deanonymizeBatch.items.map((item: { error: { code: string } | null }) => item.error?.code ?? 'ok').sort()).toEqual(['PAYLOAD_TOO_LARGE', 'ok', 'ok']);
    // Placeholders restored from the caller's own mapping count too.
    const text = await t.gateway.gql('mutation($t: String!, $m: JSON) { deanonymizeText(text: $t, mapping: $m) { text } }', { t: '[P_1] '.repeat(100), m: { '[P_1]': 'y'.repeat(1024 * 1024 - 16) } });
    expect(text.body.errors![0]!.extensions!.code).toBe('PAYLOAD_TOO_LARGE');
    expect((await deanonymize([token])).resolved).toBe(1);
  });

  it('resolves tokens anonymized earlier in the same operation', async () => {
    const { body } = await t.gateway.gql(
      'mutation { a: anonymize(payload: {e: "eve@example.com"}, fields: ["e"]) { payload } }',
    );
    const token = body.data!.a.payload.e;
    const both = await t.gateway.gql(
      `mutation { a: anonymize(payload: {e: "fay@example.com"}, fields: ["e"]) { payload } d: deanonymize(payload: ["${token}"]) { payload } }`,
    );
    expect(both.body.data!.d.payload).toEqual(['eve@example.com']);
  });
});

describe('integers beyond 2^53', () => {
  // JSON.parse would read 12345678901234567890 as 12345678901234567168: tokenized, stored and
  // given back as 12345678901234567000, another account id than the one sent.
  const big = '12345678901234567890';

  it('in variables: refused with BAD_REQUEST before anything is tokenized, the number not quoted', async () => {
    const sent = await t.gateway.post(`{"query": ${JSON.stringify(ANONYMIZE)}, "variables": {"p": {"account": ${big}, "who": "ann@example.com"}, "f": ["account"]}}`);
    expect(sent.status).toBe(400);
    const { errors } = JSON.parse(sent.text);
    expect(errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(errors[0].message).toMatch(/^The integer at character \d+ of the request body is beyond ±2\^53 .* send integers that large as strings$/);
    expect(sent.text).not.toContain('123456789012345');
    expect(t.store.count('BatchWriteItem')).toBe(0);
  });

  it('in a GET request\'s variables: refused the same way', async () => {
    const url = new URL(t.gateway.url);
    url.searchParams.set('query', 'query($n: Int) { patients(first: $n) { id } }');
    url.searchParams.set('variables', `{"n": ${big}}`);
    const response = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(JSON.parse(text).errors[0]).toMatchObject({ message: expect.stringMatching(/^An integer in the variables parameter is beyond/), extensions: { code: 'BAD_REQUEST' } });
    expect(text).not.toContain('123456789012345');
  });

  it('in a JSON literal of the query: BAD_USER_INPUT, the number not quoted', async () => {
    const response = await t.gateway.gql(`mutation { anonymize(payload: {rows: [{account: ${big}}]}, fields: ["rows[*].account"]) { payload } }`);
    expect(response.status).toBe(400);
    expect(response.body.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(response.body.errors![0]!.message).toMatch(/An integer in a JSON literal is beyond ±2\^53/);
    expect(response.text).not.toContain('123456789012345');
    expect(t.store.count('BatchWriteItem')).toBe(0);
  });

  it('one that reads back as itself is tokenized and comes back as the same text', async () => {
    const exact = '12345678901234567000';
    const sent = await t.gateway.post(`{"query": ${JSON.stringify(ANONYMIZE)}, "variables": {"p": {"account": ${exact}}, "f": ["account"]}}`);
    expect(sent.status).toBe(200);
    const payload = JSON.parse(sent.text).data.anonymize.payload;
    expect(payload.account).toMatch(/^tok_account_/);
    const back = await t.gateway.post(JSON.stringify({ query: DEANONYMIZE, variables: { p: payload } }));
    expect(back.text).toContain(`"account":${exact}}`);
  });
});

describe('round trip is exact (invariant 5)', () => {
  const email = fc
    .tuple(fc.stringMatching(/^[a-z0-9._+-]{1,12}$/), fc.stringMatching(/^[a-z0-9-]{1,10}$/), fc.constantFrom('com', 'org', 'co.uk', 'io'))
    .map(([local, domain, tld]) => `${local}@${domain}.${tld}`);
  const otherPii = fc.constantFrom('+1 212-555-0147', '4242 4242 4242 4242', 'GB82WEST12345698765432', '123-45-6789', '192.168.0.1', '2001:db8::1');
  const text = fc.oneof(
    fc.string(),
    fc.string({ unit: 'grapheme' }),
    email,
    fc.tuple(fc.string(), otherPii, fc.string({ unit: 'grapheme' })).map(([a, v, b]) => `${a} ${v}, ${b}`),
    fc.tuple(fc.string({ unit: 'grapheme' }), email, fc.string()).map(([a, e, b]) => `${a} ${e} ${b}`),
    fc.constantFrom('', ' ', '42', '-0', '1e3', 'null', 'true', 'tok_email_'),
  );
  const json = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      text,
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(text, tie('value'), { maxKeys: 4 }),
    ),
  })).value;
  const normalize = (value: unknown) => JSON.parse(JSON.stringify(value));

  it('without fields: every JSON value', async () => {
    await fc.assert(
      // `payload: JSON!`: a top-level null is refused by GraphQL itself; nested nulls are covered.
      fc.asyncProperty(json.filter((value) => value !== null), async (value) => {
        const anonymized = await anonymize(value);
        expect((await deanonymize(anonymized.payload)).payload).toEqual(normalize(value));
      }),
      { numRuns: 150 },
    );
  });

  it('with fields: any JSON value at the path', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ v: json, w: json }), { maxLength: 5 }), async (rows) => {
        const anonymized = await anonymize({ rows }, ['rows[*].v']);
        for (const [i, row] of rows.entries()) {
          if (row.v !== null) expect(anonymized.payload.rows[i].v).toMatch(/^tok_v_/);
        }
        expect((await deanonymize(anonymized.payload)).payload).toEqual(normalize({ rows }));
      }),
      { numRuns: 100 },
    );
  });

  it('with fields whose paths overlap: each value transformed once, so it comes back', async () => {
    // Once, a value two entries reached was tokenized twice: deanonymize gave back the inner token.
    const paths = ['rows[*].v', 'rows[0].v', 'rows[*].v', 'rows[*]', 'rows[1].w', 'top', 'top.inner'];
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ v: json, w: json }), { minLength: 2, maxLength: 4 }), json, fc.shuffledSubarray(paths, { minLength: 2 }), async (rows, top, fields) => {
        const payload = { rows, top: { inner: top } };
        const anonymized = await anonymize(payload, fields);
        expect(anonymized.unmatchedFields).toEqual([]);
        expect((await deanonymize(anonymized.payload)).payload).toEqual(normalize(payload));
      }),
      { numRuns: 60 },
    );
  });
});
