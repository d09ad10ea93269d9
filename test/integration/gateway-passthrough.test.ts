import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UpstreamConfig } from '../../src/config.js';
import { generateClinic } from '../../src/demo/clinic-data.js';
import { FaultyStore } from '../support/faulty-store.js';
import { startDemoUpstream } from '../support/json-graphql-upstream.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';
import { startTestStore, type TestStore } from '../support/test-store.js';

/**
 * The demo clinic served as a separate upstream process, its @pii read from schema/demo.graphql
 * (UPSTREAM_SDL): interfaces and lists of scalars, through both the passthrough (operations
 * that only touch the upstream) and the general path (operations that also touch the gateway).
 */
const clinic = generateClinic();
let upstream: { url: string; close(): Promise<void> };
let store: TestStore;
let faulty: FaultyStore;
let gateway: TestGateway;
beforeAll(async () => {
  upstream = await startDemoUpstream();
  store = await startTestStore();
  faulty = new FaultyStore(store.store);
  const config: UpstreamConfig = {
    url: upstream.url,
    sdlFile: fileURLToPath(new URL('../../schema/demo.graphql', import.meta.url)),
    headers: {},
    forwardHeaders: [],
    timeoutMs: 5000,
    annotationsFile: undefined,
    annotationsFileRequired: false,
    errorMessages: 'hide',
  };
  gateway = await startTestGateway(faulty, { upstream: config });
});
afterAll(async () => {
  await gateway?.close();
  await store?.close();
  await upstream?.close();
});

const PEOPLE = `{
  people(first: 30) {
    __typename
    name
    ... on Patient { email previousNames address { street city } }
    ... on Doctor { department }
  }
}`;

describe('gateway mode over the demo upstream process', () => {
  it('tokenizes through interfaces and inline fragments, and hides the type probe it adds', async () => {
    const { body } = await gateway.gql(PEOPLE);
    expect(body.errors).toBeUndefined();
    const people = body.data!.people;
    const doctor = people[0];
    const patient = people.find((p: any) => p.__typename === 'Patient');
    expect(doctor).toEqual({ __typename: 'Doctor', name: expect.stringMatching(/^tok_person_/), department: clinic.doctors[0]!.department });
    expect(patient).toMatchObject({ name: expect.stringMatching(/^tok_person_/), email: expect.stringMatching(/^tok_email_/), address: { street: expect.stringMatching(/^tok_address_/), city: clinic.patients[0]!.address.city } });
    expect(JSON.stringify(body)).not.toContain('piiGatewayTypename__');
    const names = people.flatMap((p: any) => p.previousNames ?? []);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(name).toMatch(/^tok_person_/);
  });

  it('answers the same through the general path as through the passthrough', async () => {
    const query = (extra: string) => `query($n: Int) { ${extra} a: patients(first: $n) { ...P appointments { doctor } } b: patient(id: "p3") { ...P } } fragment P on Patient { id name email }`;
    const fast = await gateway.gql(query(''), { n: 5 });
    // Introspection is the gateway's own, so this operation takes graphql-tools delegation.
    const general = await gateway.gql(query('__schema { queryType { name } }'), { n: 5 });
    expect(general.body.data!.__schema).toEqual({ queryType: { name: 'Query' } });
    expect(general.body.data!.a).toEqual(fast.body.data!.a);
    expect(general.body.data!.b).toEqual(fast.body.data!.b);
    expect(fast.body.data!.b.email).toMatch(/^tok_email_/);
  });

  it('stores the passthrough’s tokens before answering, and fails closed when it cannot', async () => {
    const fresh = await gateway.gql('{ patients(first: 3, offset: 1500) { name email } }');
    const back = await gateway.gql('mutation($p: JSON!) { deanonymize(payload: $p) { payload unresolved } }', { p: fresh.body.data!.patients });
    expect(back.body.data!.deanonymize.unresolved).toBe(0);
    expect(back.body.data!.deanonymize.payload[0]).toEqual({ name: clinic.patients[1500]!.name, email: clinic.patients[1500]!.email });

    faulty.failWrites = true;
    const failed = await gateway.gql('{ patients(first: 3, offset: 1600) { name email } }');
    faulty.failWrites = false;
    expect(failed.status).toBe(503);
    expect(failed.body).toEqual({ errors: [{ message: expect.stringMatching(/token store is unavailable/), extensions: { code: 'STORE_UNAVAILABLE' } }] });
    expect(failed.text).not.toContain('tok_');
    expect(failed.text).not.toContain(clinic.patients[1600]!.email);
    // The queue was dropped with the failed response; the next request is unaffected.
    expect((await gateway.gql('{ patient(id: "p5") { name } }')).status).toBe(200);
  });
});
