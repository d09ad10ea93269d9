import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateClinic } from '../../src/demo/clinic-data.js';
import { FaultyStore } from '../support/faulty-store.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';
import { startTestStore, type TestStore } from '../support/test-store.js';

/** Invariant 2: values sent in and values served out never appear in errors or logs. */
const clinic = generateClinic();
const seeded = ['quinn.secret@example.com', 'Quinn Secretperson', '+1 555 013 7788', ...clinic.patients.slice(0, 5).flatMap((p) => [p.name, p.email, p.phone, p.address.street])];
const [email, name] = seeded as [string, string];

let store: TestStore;
let faulty: FaultyStore;
let gateway: TestGateway;
const responses: string[] = [];
beforeAll(async () => {
  store = await startTestStore();
  faulty = new FaultyStore(store.store);
  gateway = await startTestGateway(faulty);
});
afterAll(async () => {
  await gateway.close();
  await store.close();
});

async function send(query: string, variables?: Record<string, unknown>) {
  const response = await gateway.gql(query, variables);
  responses.push(response.text);
  return response;
}

describe('error paths quote no value', () => {
  it.each([
    ['an invalid field path', 'mutation($p: JSON!, $f: [String!]) { anonymize(payload: $p, fields: $f) { payload } }', { p: { email }, f: [`x[${email}]`] }, 'BAD_USER_INPUT'],
    ['a value where an Int belongs (variable)', 'query($n: Int) { patients(first: $n) { id } }', { n: email }, 'BAD_USER_INPUT'],
    ['a value where an Int belongs (literal)', `{ patients(first: "${email}") { id } }`, undefined, 'GRAPHQL_VALIDATION_FAILED'],
    ['a value where an ID belongs (literal)', `{ patient(id: {name: "${name}"}) { id } }`, undefined, 'GRAPHQL_VALIDATION_FAILED'],
    ['a syntax error next to a value', `{ patient(id: "${email}) { id } }`, undefined, 'GRAPHQL_PARSE_FAILED'],
    ['a stray string', `{ patients { id } "${name}" }`, undefined, 'GRAPHQL_PARSE_FAILED'],
    ['a payload nested too deep', 'mutation($p: JSON!) { anonymize(payload: $p) { payload } }', { p: JSON.parse(`${'['.repeat(200)}"${email}"${']'.repeat(200)}`) }, 'PAYLOAD_TOO_LARGE'],
  ])('%s', async (_, query, variables, code) => {
    const response = await send(query, variables);
    expect(response.body.errors?.[0]?.extensions?.code).toBe(code);
    for (const value of seeded) expect(response.text).not.toContain(value);
  });

  it('a store that fails while values are in flight', async () => {
    faulty.failWrites = true;
    const response = await send('mutation($p: JSON!) { anonymize(payload: $p) { payload } }', { p: { note: `mail ${email} now`, who: name } });
    faulty.failWrites = false;
    expect(response.body.errors?.[0]?.extensions?.code).toBe('STORE_UNAVAILABLE');
    for (const value of seeded) expect(response.text).not.toContain(value);
  });

  it('malformed and oversized bodies', async () => {
    const malformed = await gateway.post(`{"query": "{ patients { id } }", "variables": {"x": "${email}"`);
    expect(malformed.status).toBe(400);
    expect(JSON.parse(malformed.text)).toEqual({ errors: [{ message: 'The request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
    const huge = await gateway.post(JSON.stringify({ query: '{ patients { id } }', variables: { v: `${email} `.repeat(60_000) } }));
    expect(huge.status).toBe(413);
    expect(JSON.parse(huge.text).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    for (const value of seeded) expect(malformed.text + huge.text).not.toContain(value);
  });

  it('successful operations: tokens out, nothing in the logs', async () => {
    const anonymized = await send('mutation($p: JSON!) { anonymize(payload: $p, fields: ["who:person"]) { payload } }', { p: { who: name, note: email } });
    await send('mutation($p: JSON!) { deanonymize(payload: $p) { payload } }', { p: anonymized.body.data!.anonymize.payload });
    await send('{ patients(first: 5) { name email phone address { street } } }');
  });

  it('and across everything above, the log holds none of the values', () => {
    expect(gateway.logs.lines.length).toBeGreaterThan(10);
    const logs = gateway.logs.text();
    for (const value of seeded) expect(logs).not.toContain(value);
  });
});
