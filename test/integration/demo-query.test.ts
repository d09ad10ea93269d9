import { beforeEach, describe, expect, it } from 'vitest';
import { generateClinic } from '../../src/demo/clinic-data.js';
import { useGateway } from '../support/gateway-fixture.js';

const clinic = generateClinic();
const TOKEN = /^tok_[a-z][a-z0-9_]*_[A-Za-z0-9_-]{24}$/;

const t = useGateway();
beforeEach(() => t.store.resetCounts());

describe('@pii on the demo upstream, over HTTP', () => {
  it('returns tokens for annotated fields and plain values for the rest', async () => {
    const { status, body } = await t.gateway.gql(`{
      patients(first: 3) { id name email phone dateOfBirth notes previousNames bloodType
        address { street city postalCode country } appointments { id doctor department } }
    }`);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const patients = body.data!.patients;
    patients.forEach((p: any, i: number) => {
      const source = clinic.patients[i]!;
      for (const field of ['name', 'email', 'phone', 'dateOfBirth', 'notes']) expect(p[field]).toMatch(TOKEN);
      expect(p.name.startsWith('tok_person_')).toBe(true);
      expect(p.email.startsWith('tok_email_')).toBe(true);
      expect(p.dateOfBirth.startsWith('tok_dob_')).toBe(true);
      expect(p.address.street.startsWith('tok_address_')).toBe(true);
      expect(p.address.postalCode.startsWith('tok_postal_code_')).toBe(true);
      expect(p.previousNames).toHaveLength(source.previousNames.length);
      p.previousNames.forEach((token: string) => expect(token).toMatch(/^tok_person_/));
      expect(p).toMatchObject({ id: source.id, bloodType: source.bloodType, address: { city: source.address.city, country: source.address.country } });
      p.appointments.forEach((a: any, n: number) => {
        expect(a.doctor).toMatch(/^tok_person_/);
        expect(a.department).toBe(source.appointments[n]!.department);
      });
    });
    const text = JSON.stringify(body);
    for (const p of clinic.patients.slice(0, 3)) {
      for (const raw of [p.name, p.email, p.phone, p.dateOfBirth, p.notes, p.address.street]) expect(text).not.toContain(raw);
    }
  });

  it('gives the same value the same token, across fields, requests and the anonymize mutation', async () => {
    const query = '{ patients(first: 50) { name appointments { doctor } } people(first: 24) { name } }';
    const first = (await t.gateway.gql(query)).body.data!;
    const second = (await t.gateway.gql(query)).body.data!;
    expect(second).toEqual(first);
    // A doctor's name is kind "person" on Doctor.name (inherited from the Person interface) and on Appointment.doctor.
    const doctorTokens = new Set(first.people.map((p: any) => p.name));
    const seen = first.patients.flatMap((p: any) => p.appointments.map((a: any) => a.doctor));
    expect(seen.length).toBeGreaterThan(0);
    for (const token of seen) expect(doctorTokens.has(token)).toBe(true);

    const email = clinic.patients[0]!.email;
    const viaField = (await t.gateway.gql('{ patient(id: "p1") { email } }')).body.data!.patient.email;
    const viaMutation = await t.gateway.gql('mutation($p: JSON!) { anonymize(payload: $p, fields: ["email"]) { payload } }', { p: { email } });
    expect(viaMutation.body.data!.anonymize.payload.email).toBe(viaField);
  });

  it('gives another tenant other tokens for the same data', async () => {
    const query = '{ patient(id: "p2") { name email } }';
    const acme = (await t.gateway.gql(query, {}, { tenant: 'acme' })).body.data!.patient;
    const globex = (await t.gateway.gql(query, {}, { tenant: 'globex' })).body.data!.patient;
    expect(globex.name).toMatch(/^tok_person_/);
    expect(globex.name).not.toBe(acme.name);
    expect(globex.email).not.toBe(acme.email);
  });

  it('stores every token it returns: deanonymize restores the originals', async () => {
    const { body } = await t.gateway.gql('{ patients(first: 20, offset: 100) { name email phone } }');
    const restored = await t.gateway.gql('mutation($p: JSON!) { deanonymize(payload: $p) { payload resolved unresolved } }', { p: body.data!.patients });
    const expected = clinic.patients.slice(100, 120).map(({ name, email, phone }) => ({ name, email, phone }));
    expect(restored.body.data!.deanonymize).toEqual({ payload: expected, resolved: 60, unresolved: 0 });
  });

  it('costs ceil(distinct / 25) writes for 1,000 rows x 3 fields, and none once cached', async () => {
    const query = '{ patients(first: 1000, offset: 1000) { name email phone } }';
    const rows = clinic.patients.slice(1000, 2000);
    const distinct = new Set(rows.flatMap((p) => [`person:${p.name}`, `email:${p.email}`, `phone:${p.phone}`])).size;
    const first = await t.gateway.gql(query);
    expect(first.body.data!.patients).toHaveLength(1000);
    expect(t.store.count('BatchWriteItem')).toBe(Math.ceil(distinct / 25));
    expect(t.store.count('BatchGetItem')).toBe(0);

    t.store.resetCounts();
    const second = await t.gateway.gql(query);
    expect(second.body.data).toEqual(first.body.data);
    expect([...t.store.requests.values()].reduce((a, b) => a + b, 0)).toBe(0);
  });

  it('marks responses as not cacheable', async () => {
    const response = await fetch(t.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ patient(id: "p1") { name } }' }) });
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it.each([
    ['small', 1_000],
    ['large (written pre-encoded)', 40_000],
  ])('sends a %s answer whole, its Content-Length in bytes, multi-byte text intact', async (_, repeat) => {
    const note = 'Zoë Ångström 😀 '.repeat(repeat);
    const response = await fetch(t.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation($p: JSON!) { anonymize(payload: $p, fields: ["email"]) { payload } }', variables: { p: { email: 'zoe@example.com', note } } }),
    });
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(response.status).toBe(200);
    expect(Number(response.headers.get('content-length'))).toBe(bytes.length);
    const { payload } = JSON.parse(bytes.toString('utf8')).data.anonymize;
    expect(payload.note).toBe(note);
    expect(payload.email).toMatch(/^tok_email_/);
  });

  it('writes one line per operation to the audit log, with counts and no values', async () => {
    await t.gateway.gql('query Sample { patient(id: "p3") { name email } }');
    const line = t.gateway.logs.lines.map((l) => JSON.parse(l)).filter((l) => l.audit && l.operation === 'Sample').at(-1);
    expect(line).toMatchObject({ tenant: 'acme', operationType: 'query', outcome: 'ok', tokenized: { person: 1, email: 1 } });
    expect(t.gateway.logs.text()).not.toContain(clinic.patients[2]!.email);
  });

  it('answers with the request id of its audit line: the caller’s x-request-id, or one it made', async () => {
    const audited = (operation: string) => t.gateway.logs.lines.map((l) => JSON.parse(l)).filter((l) => l.audit && l.operation === operation).at(-1);
    const query = (name: string) => JSON.stringify({ query: `query ${name} { patient(id: "p3") { email } }` });
    const post = (body: string, headers: Record<string, string> = {}) => fetch(t.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

    const given = await post(query('Given'), { 'x-request-id': 'ticket-4711.a' });
    expect(given.headers.get('x-request-id')).toBe('ticket-4711.a');
    expect(audited('Given')?.requestId).toBe('ticket-4711.a');

    const made = await post(query('Made'));
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(audited('Made')?.requestId).toBe(made.headers.get('x-request-id'));

    // An id that is not well-formed (it might carry anything) is replaced, not echoed.
    const odd = await post(query('Odd'), { 'x-request-id': 'jane@example.com' });
    expect(odd.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('a production gateway', () => {
  it('refuses introspection and gives no field suggestions', async () => {
    const { startTestStore } = await import('../support/test-store.js');
    const { startTestGateway } = await import('../support/test-gateway.js');
    const store = await startTestStore();
    const gateway = await startTestGateway(store.store, { production: true });
    try {
      const introspection = await gateway.gql('{ __schema { types { name } } }');
      expect(introspection.status).toBe(400);
      expect(introspection.body.errors?.[0]).toMatchObject({
        message: 'Introspection is off on this gateway; its operator can turn it on with INTROSPECTION=on',
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      });
      expect(introspection.body.data).toBeUndefined();
      const typeQuery = await gateway.gql('{ __type(name: "Patient") { fields { name } } }');
      expect(typeQuery.body.errors?.[0]?.message).toMatch(/^Introspection is off/);
      expect((await gateway.gql('{ __typename }')).body.data).toEqual({ __typename: 'Query' });
      const typo = await gateway.gql('{ patient(id: "p1") { emial } }');
      expect(typo.body.errors?.[0]?.message).toMatch(/Cannot query field "emial"/);
      expect(typo.text).not.toMatch(/Did you mean/);
    } finally {
      await gateway.close();
      await store.close();
    }
  });

  it('answers introspection with INTROSPECTION=on', async () => {
    const { startTestStore } = await import('../support/test-store.js');
    const { startTestGateway } = await import('../support/test-gateway.js');
    const store = await startTestStore();
    const gateway = await startTestGateway(store.store, { production: true, introspection: true });
    try {
      const introspection = await gateway.gql('{ __type(name: "Patient") { fields { name } } }');
      expect(introspection.body.errors).toBeUndefined();
      expect(introspection.body.data?.__type.fields.map((field: { name: string }) => field.name)).toContain('email');
    } finally {
      await gateway.close();
      await store.close();
    }
  });
});
