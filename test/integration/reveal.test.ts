import { beforeEach, describe, expect, it } from 'vitest';
import { generateClinic } from '../../src/demo/clinic-data.js';
import { useGateway } from '../support/gateway-fixture.js';

const clinic = generateClinic();
const t = useGateway();
beforeEach(() => t.store.resetCounts());

const QUERY = '{ patient(id: "p7") { name email phone ssn appointments { doctor } } }';
const asCaller = async (scopes: string, query = QUERY) => {
  const { status, text } = await t.gateway.post(JSON.stringify({ query }), { 'x-test-scopes': scopes });
  return { status, body: JSON.parse(text) };
};
const patient = clinic.patients[6]!;

describe('reveal levels on @pii fields', () => {
  it('gives tokens to callers without a reveal scope, the development wildcard included', async () => {
    for (const scopes of ['*', 'pii:anonymize pii:deanonymize']) {
      const { body } = await asCaller(scopes);
      expect(body.data.patient).toMatchObject({ name: expect.stringMatching(/^tok_person_/), email: expect.stringMatching(/^tok_email_/), ssn: expect.stringMatching(/^tok_ssn_/) });
    }
  });

  it('reveals originals with pii:reveal, but never more than a field’s maxReveal, and writes no mapping for them', async () => {
    const { body } = await asCaller('pii:reveal');
    expect(body.data.patient).toEqual({
      name: patient.name,
      email: patient.email,
      phone: patient.phone,
      ssn: `***-**-${patient.ssn.slice(-4)}`,
      appointments: patient.appointments.map((a) => ({ doctor: a.doctor })),
    });
    expect(t.store.count('BatchWriteItem')).toBe(0);
  });

  it('reveals per kind: pii:reveal:email shows emails and nothing else', async () => {
    const { body } = await asCaller('pii:reveal:email');
    expect(body.data.patient.email).toBe(patient.email);
    expect(body.data.patient.name).toMatch(/^tok_person_/);
    expect(body.data.patient.ssn).toMatch(/^tok_ssn_/);
  });

  it('masks with pii:reveal-masked', async () => {
    const { body } = await asCaller('pii:reveal-masked:email pii:reveal-masked:phone');
    expect(body.data.patient.email).toBe(`${patient.email[0]}***${patient.email.slice(patient.email.indexOf('@'))}`);
    expect(body.data.patient.phone.slice(-4)).toBe(patient.phone.replace(/\D/g, '').slice(-4));
    expect(body.data.patient.phone).toMatch(/\*/);
    expect(body.data.patient.name).toMatch(/^tok_person_/);
  });

  it('counts what was revealed in the audit line, and writes a reveal event with the reason', async () => {
    const { text } = await t.gateway.post(JSON.stringify({ query: '{ patients(first: 3) { name ssn } }' }), { 'x-test-scopes': 'pii:reveal', 'x-pii-reason': 'ticket 4711' });
    expect(JSON.parse(text).errors).toBeUndefined();
    const lines = t.gateway.logs.lines.map((l) => JSON.parse(l)).filter((l) => l.audit);
    expect(lines.at(-2)).toMatchObject({ msg: 'operation', revealed: { 'person:plain': 3, 'ssn:masked': 3 }, tokenized: {} });
    expect(lines.at(-1)).toMatchObject({ event: 'reveal', tenant: 'acme', subject: 'test', kinds: { 'person:plain': 3, 'ssn:masked': 3 }, reason: 'ticket 4711' });
    for (const p of clinic.patients.slice(0, 3)) expect(t.gateway.logs.text()).not.toContain(p.name);
  });
});

describe('deanonymize in the audit trail', () => {
  it('counts deanonymized and unresolved tokens, with an event line and the reason', async () => {
    const email = (await asCaller('*', '{ patient(id: "p8") { email } }')).body.data.patient.email;
    const { text } = await t.gateway.post(
      JSON.stringify({ query: 'mutation($p: JSON!) { deanonymize(payload: $p, reason: "support case 99") { resolved } }', variables: { p: [email, 'tok_email_AAAAAAAAAAAAAAAAAAAAAAAA'] } }),
    );
    expect(JSON.parse(text).data.deanonymize.resolved).toBe(1);
    const lines = t.gateway.logs.lines.map((l) => JSON.parse(l)).filter((l) => l.audit);
    expect(lines.at(-2)).toMatchObject({ msg: 'operation', deanonymized: { email: 1 }, unresolved: 1 });
    expect(lines.at(-1)).toMatchObject({ event: 'deanonymize', kinds: { email: 1 }, unresolved: 1, reason: 'support case 99' });
    expect(t.gateway.logs.text()).not.toContain(clinic.patients[7]!.email);
  });
});
