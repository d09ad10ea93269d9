import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { luhn } from '../../src/detect/recognizers/credit-card.js';
import { startJsonGraphqlServer, type Upstream } from '../support/json-graphql-upstream.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';
import { startTestStore, type TestStore } from '../support/test-store.js';

// Every strategy on a field of a real upstream (json-graphql-server in its own process),
// through the gateway over HTTP, on both execution paths.
const ANNOTATIONS = `
type Customer {
  name: String @pii(kind: "person", strategy: MASK)
  email: String @pii(strategy: MASK, mask: { keepFirst: 1 })
  work_email: String @pii(kind: "email", strategy: GENERALIZE, generalize: { to: EMAIL_DOMAIN })
  phone: String @pii(strategy: FORMAT_PRESERVING)
  card: String @pii(strategy: FORMAT_PRESERVING, formatPreserving: { keepLast: 4, luhn: true })
  ssn: String @pii(strategy: HASH, hash: { length: 16 })
  loyalty_number: String @pii(strategy: REDACT, redact: { to: TEXT })
  nickname: String @pii(kind: "person", strategy: REDACT)
  birth_date: String @pii(kind: "dob", strategy: GENERALIZE, generalize: { to: YEAR })
  age: Int @pii(strategy: GENERALIZE, generalize: { to: NUMBER_BUCKET, size: 10 })
  postal_code: String @pii(strategy: GENERALIZE, generalize: { to: POSTAL_PREFIX })
  location: String @pii(strategy: GENERALIZE, generalize: { to: GEO_GRID, cell: 0.1 })
  income: Int @pii(strategy: NOISE, noise: { epsilon: 0.5, sensitivity: 1000 })
  notes: String @pii(kind: "note", strategy: TEXT)
}
`;

const customers = [
  {
    id: 1, name: 'Zoë Ångström', email: 'zoe.angstrom@example.com', work_email: 'zoe@Globex.example', phone: '+1 (415) 555-0142',
    card: '4242 4242 4242 4242', ssn: '123-45-6789', loyalty_number: 'LOY-99812', nickname: 'Zo', birth_date: '1984-03-09 born',
    age: 41, postal_code: 'SW1A 1AA', location: '51.50735,-0.12776', income: 52000,
    notes: 'Dr. Jane Smith called Zoë Ångström on +1 (415) 555-0142; reply to zoe.angstrom@example.com about the visit.',
  },
  {
    id: 2, name: 'Jean Dupont', email: 'jean@example.org', work_email: 'jean@initech.example', phone: '06 12 34 56 78',
    card: '4242 4242 4242 4241', ssn: '123-45-6789', loyalty_number: 'LOY-10001', nickname: 'JD', birth_date: 'sometime in spring',
    age: 29, postal_code: '75008', location: '48.8566,2.3522', income: 61000, notes: 'Nothing to report.',
  },
  // No card, birth date or nickname (so json-graphql-server makes those fields nullable), and a
  // work email that is no email: that field is non-null, so the whole customer becomes null.
  {
    id: 3, name: 'Ann Lee', email: 'ann@example.net', work_email: 'ann-at-home', phone: '020 7946 0958',
    ssn: '219-09-9999', loyalty_number: 'LOY-3', age: 61, postal_code: 'EC1A 1BB', location: '51.52,-0.1', income: 70000, notes: '',
  },
];
const FIELDS = 'id name email work_email phone card ssn loyalty_number nickname birth_date age postal_code location income notes';

let upstream: Upstream;
let store: TestStore;
let gateway: TestGateway;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'pii-strategies-'));
  const annotationsFile = path.join(dir, 'annotations.graphql');
  await writeFile(annotationsFile, ANNOTATIONS);
  upstream = await startJsonGraphqlServer({ customers });
  store = await startTestStore();
  gateway = await startTestGateway(store.store, {
    upstream: {
      url: upstream.url, sdlFile: undefined, headers: {}, forwardHeaders: [], timeoutMs: 5000,
      annotationsFile, annotationsFileRequired: true, errorMessages: 'hide',
    },
  });
});
afterAll(async () => {
  await gateway?.close();
  await store?.close();
  await upstream?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('strategies on upstream fields', () => {
  it('applies each field’s strategy, withholds what cannot be transformed, and never passes a raw value', async () => {
    const { body } = await gateway.gql(`{ allCustomers(sortField: "id") { ${FIELDS} } }`);
    const [zoe, jean, ann] = body.data!.allCustomers;
    expect(zoe.name).toBe('Z** Å*******');
    expect(zoe.email).toBe('z**.********@example.com');
    expect(zoe.work_email).toBe('globex.example');
    expect(zoe.phone).toMatch(/^\+\d \(\d{3}\) \d{3}-\d{4}$/);
    expect(zoe.phone).not.toBe(customers[0]!.phone);
    expect(zoe.card).toMatch(/^\d{4} \d{4} \d{4} 4242$/);
    expect(luhn(zoe.card.replace(/\D/g, ''))).toBe(true);
    expect(zoe.ssn).toMatch(/^[0-9a-f]{16}$/);
    expect(jean.ssn).toBe(zoe.ssn); // the same SSN hashes the same: countable
    expect(zoe.loyalty_number).toBe('[REDACTED]');
    expect(zoe.nickname).toBeNull();
    expect(zoe.birth_date).toBe('1984');
    expect(zoe.age).toBe(40);
    expect(jean.age).toBe(20);
    expect(zoe.postal_code).toBe('SW1');
    expect(zoe.location).toBe('51.5,-0.2');
    expect(Number.isInteger(zoe.income)).toBe(true);
    expect(zoe.income).not.toBe(52000);
    expect(zoe.notes).toMatch(/^tok_person_\S+ called tok_person_\S+ on tok_phone_\S+; reply to tok_email_\S+ about the visit\.$/);
    expect(jean.notes).toBe('Nothing to report.');

    // Jean's card fails Luhn and his birth date is no date: both withheld, with a reason and a path.
    expect(jean.card).toBeNull();
    expect(jean.birth_date).toBeNull();
    const failures = body.errors!.map((e: any) => [e.extensions.code, e.path.join('.'), e.message]);
    expect(failures).toEqual(
      expect.arrayContaining([
        ['PII_TRANSFORM_FAILED', 'allCustomers.1.card', expect.stringMatching(/FORMAT_PRESERVING \(the value is not a card number with a valid Luhn check digit\)/)],
        ['PII_TRANSFORM_FAILED', 'allCustomers.1.birth_date', expect.stringMatching(/GENERALIZE \(the value is not a date\)/)],
        ['PII_TRANSFORM_FAILED', 'allCustomers.2.work_email', expect.stringMatching(/GENERALIZE \(the value is not an email address\)/)],
      ]),
    );
    expect(ann).toBeNull();
    const text = JSON.stringify(body);
    for (const customer of customers) {
      for (const key of ['name', 'email', 'work_email', 'phone', 'card', 'ssn', 'loyalty_number', 'birth_date', 'location'] as const) {
        expect(text).not.toContain(customer[key]);
      }
    }
    for (const part of ['Jane Smith', 'Ångström', '555-0142', 'zoe.angstrom@example.com']) expect(text).not.toContain(part);
  });

  it('answers the same on the delegation path, and again on a second call (deterministic)', async () => {
    const fast = await gateway.gql(`{ Customer(id: 1) { ${FIELDS} } }`);
    const general = await gateway.gql(`{ __typename Customer(id: 1) { ${FIELDS} } }`);
    expect(general.body.errors).toBeUndefined();
    expect(general.body.data!.Customer).toEqual(fast.body.data!.Customer);
    const again = await gateway.gql(`{ Customer(id: 1) { ${FIELDS} } }`);
    expect(again.body.data!.Customer).toEqual(fast.body.data!.Customer);
    // A value withheld from a non-null field nulls its parent on both paths alike.
    const voidedFast = await gateway.gql('{ Customer(id: 3) { id work_email } }');
    const voidedGeneral = await gateway.gql('{ __typename Customer(id: 3) { id work_email } }');
    for (const { body } of [voidedFast, voidedGeneral]) {
      expect(body.data!.Customer).toBeNull();
      expect(body.errors!.map((e: any) => [e.extensions.code, e.path.join('.')])).toEqual([['PII_TRANSFORM_FAILED', 'Customer.work_email']]);
    }
  });

  it('restores FORMAT_PRESERVING values with the key alone, and reveals by scope', async () => {
    const { body } = await gateway.gql('{ Customer(id: 1) { phone card } }');
    store.resetCounts();
    const back = await gateway.gql(
      `mutation($p: JSON!) { deanonymize(payload: $p, rules: [
        { path: "phone", strategy: FORMAT_PRESERVING },
        { path: "card", strategy: FORMAT_PRESERVING, formatPreserving: { keepLast: 4, luhn: true } }
      ]) { payload resolved kinds { kind count } } }`,
      { p: body.data!.Customer },
    );
    expect(back.body.data!.deanonymize).toEqual({
      payload: { phone: customers[0]!.phone, card: customers[0]!.card },
      resolved: 2,
      kinds: [{ kind: 'card', count: 1 }, { kind: 'phone', count: 1 }],
    });
    expect(store.count('BatchGetItem')).toBe(0); // the key alone: no lookup

    const notes = await gateway.gql('{ Customer(id: 1) { notes } }');
    const restored = await gateway.gql('mutation($p: JSON!) { deanonymize(payload: $p) { payload } }', { p: notes.body.data!.Customer });
    expect(restored.body.data!.deanonymize.payload).toEqual({ notes: customers[0]!.notes });

    const revealed = await gateway.post(JSON.stringify({ query: '{ Customer(id: 1) { card ssn } }' }), { 'x-test-scopes': 'pii:reveal:card pii:reveal-masked:ssn' });
    expect(JSON.parse(revealed.text).data.Customer).toEqual({ card: customers[0]!.card, ssn: '***-**-6789' });
  });

  it('keys every strategy per tenant', async () => {
    const acme = await gateway.gql('{ Customer(id: 1) { phone ssn income } }');
    const globex = await gateway.gql('{ Customer(id: 1) { phone ssn income } }', undefined, { tenant: 'globex' });
    for (const field of ['phone', 'ssn', 'income']) expect(globex.body.data!.Customer[field]).not.toEqual(acme.body.data!.Customer[field]);
  });
});

describe('strategies in anonymize rules', () => {
  const ANONYMIZE = 'mutation($p: JSON!, $r: [PiiRule!]) { anonymize(payload: $p, rules: $r) { payload tokenized strategies { strategy count } unmatchedFields } }';

  it('applies a strategy per path, tokenizes the rest, and counts per strategy', async () => {
    const payload = {
      patients: [
        { name: 'Zoë', email: 'zoe@example.com', card: '4242-4242-4242-4242', dob: '1990-05-01', visits: 3, note: 'Zoë Ångström asked to write to zoe.a@example.com' },
        { name: 'Jean', email: null },
      ],
    };
    const { body } = await gateway.gql(ANONYMIZE, {
      p: payload,
      r: [
        { path: 'patients[*].name', kind: 'person' },
        { path: 'patients[*].email', strategy: 'HASH', hash: { length: 12, encoding: 'BASE64URL' } },
        { path: 'patients[*].card', strategy: 'MASK', mask: { keepLast: 4 } },
        { path: 'patients[*].dob', strategy: 'GENERALIZE', generalize: { to: 'YEAR' } },
        { path: 'patients[*].visits', strategy: 'NOISE', noise: { epsilon: 1, decimals: 0 } },
        { path: 'patients[*].ssn', strategy: 'REDACT' },
        { path: 'patients[*].note', strategy: 'TEXT', text: { kinds: ['email'] } },
      ],
    });
    expect(body.errors).toBeUndefined();
    const [zoe, jean] = body.data!.anonymize.payload.patients;
    expect(zoe.name).toMatch(/^tok_person_/);
    expect(zoe.email).toMatch(/^[A-Za-z0-9_-]{12}$/);
    expect(zoe.card).toBe('****-****-****-4242');
    expect(zoe.dob).toBe('1990');
    expect(typeof zoe.visits).toBe('number');
    // TEXT limited to emails: the name in the note stays, the address becomes a token.
    expect(zoe.note).toMatch(/^Zoë Ångström asked to write to tok_email_[A-Za-z0-9_-]{24}$/);
    expect(jean).toEqual({ name: expect.stringMatching(/^tok_person_/), email: null });
    expect(body.data!.anonymize.tokenized).toBe(3);
    expect(body.data!.anonymize.strategies).toEqual([
      { strategy: 'TOKENIZE', count: 2 },
      { strategy: 'MASK', count: 1 },
      { strategy: 'HASH', count: 1 },
      { strategy: 'GENERALIZE', count: 1 },
      { strategy: 'NOISE', count: 1 },
      { strategy: 'TEXT', count: 1 },
    ]);
    expect(body.data!.anonymize.unmatchedFields).toEqual(['patients[*].ssn']);
  });

  it('round-trips FORMAT_PRESERVING through anonymize and deanonymize (property, over HTTP)', async () => {
    const number = fc.array(fc.constantFrom(...'0123456789', ' ', '-'), { minLength: 6, maxLength: 24 }).map((c) => c.join('')).filter((s) => s.replace(/\D/g, '').length >= 6);
    await fc.assert(
      fc.asyncProperty(fc.array(number, { minLength: 1, maxLength: 5 }), fc.constantFrom('acme', 'globex'), async (values, tenant) => {
        const rule = { path: '[*]', kind: 'account', strategy: 'FORMAT_PRESERVING' };
        const out = await gateway.gql(ANONYMIZE, { p: values, r: [rule] }, { tenant });
        const encrypted = out.body.data!.anonymize.payload as string[];
        encrypted.forEach((value, i) => expect(value.replace(/\d/g, '#')).toBe(values[i]!.replace(/\d/g, '#')));
        const back = await gateway.gql('mutation($p: JSON!, $r: [PiiRule!]) { deanonymize(payload: $p, rules: $r) { payload } }', { p: encrypted, r: [rule] }, { tenant });
        expect(back.body.data!.deanonymize.payload).toEqual(values);
      }),
      { numRuns: 25 },
    );
  });

  it('TEXT kinds may name the kinds of the configured deny list and recognizers', async () => {
    const configured = await startTestGateway(store.store, {
      detectLists: { deny: [{ value: 'Project Falcon', kind: 'codename' }], recognizers: [{ name: 'tickets', kind: 'ticket', pattern: 'TCK-[0-9]{6}' }] },
    });
    try {
      const rules = [{ path: 'note', strategy: 'TEXT', text: { kinds: ['codename', 'ticket'] } }];
      const { body } = await configured.gql(ANONYMIZE, { p: { note: 'Jane Doe asked about Project Falcon in TCK-004711.' }, r: rules });
      expect(body.errors).toBeUndefined();
      expect(body.data!.anonymize.payload.note).toMatch(/^Jane Doe asked about tok_codename_\S+ in tok_ticket_\S+\.$/);
    } finally {
      await configured.close();
    }
  });

  it('refuses bad options and untransformable values with the rule’s name, never the value', async () => {
    const secret = 'Ωsecret-4929 1234 5678';
    const cases: [unknown[], RegExp][] = [
      [[{ path: 'a', strategy: 'MASK', mask: { char: '##' } }], /^rules\[0\]: mask\.char must be exactly one character$/],
      [[{ path: 'a', strategy: 'HASH', mask: { keepFirst: 1 } }], /^rules\[0\]: mask options given, but the strategy is HASH$/],
      [[{ path: 'a', strategy: 'GENERALIZE' }], /^rules\[0\]: GENERALIZE needs generalize/],
      [[{ path: 'a', strategy: 'TEXT', hash: { length: 9 } }], /^rules\[0\]: hash options given, but the strategy is TEXT$/],
      [[{ path: 'a', strategy: 'TEXT', text: { kinds: ['email', 'phones'] } }], /^rules\[0\]: a value at this path cannot be transformed by TEXT \(text\.kinds\[1\] is not a kind the detectors find\)$/],
      [[{ path: 'b', kind: 'x' }, { path: 'a', strategy: 'GENERALIZE', generalize: { to: 'YEAR' } }], /^rules\[1\]: a value at this path cannot be transformed by GENERALIZE \(the value is not a date\)$/],
      [[{ path: 'a', strategy: 'FORMAT_PRESERVING', formatPreserving: { luhn: true } }], /^rules\[0\]: a value at this path cannot be transformed by FORMAT_PRESERVING/],
      [[{ path: 'o', strategy: 'MASK' }], /^rules\[0\]: MASK applies to single values/],
      [[{ path: 'a..b', strategy: 'MASK' }], /^rules\[0\] is not a valid path/],
    ];
    for (const [rules, message] of cases) {
      const { body } = await gateway.gql(ANONYMIZE, { p: { a: secret, b: 'x', o: { a: secret } }, r: rules });
      expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(body.errors?.[0]?.message).toMatch(message);
      expect(JSON.stringify(body)).not.toContain('secret');
    }
    const restore = await gateway.gql('mutation { deanonymize(payload: {a: "1"}, rules: [{ path: "a", strategy: HASH }]) { resolved } }');
    expect(restore.body.errors?.[0]?.message).toMatch(/^rules\[0\]: only FORMAT_PRESERVING values are restored by a rule/);
    expect(gateway.logs.text()).not.toContain('secret');
  });
});
