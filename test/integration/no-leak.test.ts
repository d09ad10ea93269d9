import { describe, expect, it } from 'vitest';
import { generateClinic } from '../../src/demo/clinic-data.js';
import { useGateway } from '../support/gateway-fixture.js';

/** Invariant 2: values sent in and values served out never appear in errors or logs. */
const clinic = generateClinic();
const seeded = ['quinn.secret@example.com', 'Quinn Secretperson', '+1 555 013 7788', ...clinic.patients.slice(0, 5).flatMap((p) => [p.name, p.email, p.phone, p.address.street])];
const [email, name] = seeded as [string, string];

const t = useGateway();

async function send(query: string, variables?: Record<string, unknown>) {
  return t.gateway.gql(query, variables);
}

describe('error paths quote no value', () => {
  it.each([
    ['an invalid field path', 'mutation($p: JSON!, $f: [String!]) { anonymize(payload: $p, fields: $f) { payload } }', { p: { email }, f: [`x[${email}]`] }, 'BAD_USER_INPUT'],
    ['a value where an Int belongs (variable)', 'query($n: Int) { patients(first: $n) { id } }', { n: email }, 'BAD_USER_INPUT'],
    ['a value where an Int belongs (literal)', `{ patients(first: "${email}") { id } }`, undefined, 'GRAPHQL_VALIDATION_FAILED'],
    ['a value where an ID belongs (literal)', `{ patient(id: {name: "${name}"}) { id } }`, undefined, 'GRAPHQL_VALIDATION_FAILED'],
    ['a syntax error next to a value', `{ patient(id: "${email}) { id } }`, undefined, 'GRAPHQL_PARSE_FAILED'],
    ['a stray string', `{ patients { id } "${name}" }`, undefined, 'GRAPHQL_PARSE_FAILED'],
    ['too many values, a seeded one first', 'mutation($p: JSON!) { anonymize(payload: $p) { payload } }', { p: [email, name, ...Array.from({ length: 100_001 }, () => 1)] }, 'PAYLOAD_TOO_LARGE'],
    ['a payload nested too deep', 'mutation($p: JSON!) { anonymize(payload: $p) { payload } }', { p: JSON.parse(`${'['.repeat(200)}"${email}"${']'.repeat(200)}`) }, 'PAYLOAD_TOO_LARGE'],
  ])('%s', async (_, query, variables, code) => {
    const response = await send(query, variables);
    expect(response.body.errors?.[0]?.extensions?.code).toBe(code);
    for (const value of seeded) expect(response.text).not.toContain(value);
  });

  it('a store that fails while values are in flight', async () => {
    t.faulty.failWrites = true;
    const response = await send('mutation($p: JSON!) { anonymize(payload: $p) { payload } }', { p: { note: `mail ${email} now`, who: name } });
    t.faulty.failWrites = false;
    expect(response.body.errors?.[0]?.extensions?.code).toBe('STORE_UNAVAILABLE');
    for (const value of seeded) expect(response.text).not.toContain(value);
  });

  it('malformed and oversized bodies', async () => {
    const malformed = await t.gateway.post(`{"query": "{ patients { id } }", "variables": {"x": "${email}"`);
    expect(malformed.status).toBe(400);
    expect(JSON.parse(malformed.text)).toEqual({ errors: [{ message: 'The request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
    const huge = await t.gateway.post(JSON.stringify({ query: '{ patients { id } }', variables: { v: `${email} `.repeat(60_000) } }));
    expect(huge.status).toBe(413);
    expect(JSON.parse(huge.text).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    // Without a content-length (chunked), the limit is found while reading; the client still gets a 413.
    const chunk = new TextEncoder().encode(`${email} `.repeat(10_000));
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 6; i++) controller.enqueue(chunk);
        controller.close();
      },
    });
    const chunked = await fetch(t.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit);
    expect(chunked.status).toBe(413);
    const chunkedText = await chunked.text();
    expect(JSON.parse(chunkedText).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    for (const value of seeded) expect(malformed.text + huge.text + chunkedText).not.toContain(value);
    expect((await send('{ patient(id: "p1") { id } }')).status).toBe(200);
  });

  it('successful operations: tokens out, nothing in the logs', async () => {
    const anonymized = await send('mutation($p: JSON!) { anonymize(payload: $p, fields: ["who:person"]) { payload } }', { p: { who: name, note: email } });
    await send('mutation($p: JSON!) { deanonymize(payload: $p) { payload } }', { p: anonymized.body.data!.anonymize.payload });
    await send('{ patients(first: 5) { name email phone address { street } } }');
    // Originals handed out on purpose (reveal, deanonymize) still never reach the log.
    const revealed = await t.gateway.post(JSON.stringify({ query: '{ patients(first: 5) { name email phone ssn address { street } } }' }), {
      'x-test-scopes': 'pii:reveal',
      'x-pii-reason': 'audit test',
    });
    expect(revealed.text).toContain(clinic.patients[0]!.email);
    await send('mutation($p: JSON!) { deanonymize(payload: $p, reason: "audit test") { payload } }', { p: anonymized.body.data!.anonymize.payload });
  });

  it('and across everything above, the log holds none of the values', () => {
    expect(t.gateway.logs.lines.length).toBeGreaterThan(10);
    const logs = t.gateway.logs.text();
    for (const value of seeded) expect(logs).not.toContain(value);
  });
});
