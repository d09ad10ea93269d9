import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { printSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTypeDefs } from '../../src/schema-files.js';
import type { UpstreamConfig } from '../../src/config.js';
import { buildGatewaySchema } from '../../src/gateway/gateway-schema.js';
import { serviceResolvers } from '../../src/resolvers/service-resolvers.js';
import { clinicData, freePort, startJsonGraphqlServer, type Upstream } from '../support/json-graphql-upstream.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';
import { startTestStore, type TestStore } from '../support/test-store.js';

const ANNOTATIONS = path.resolve(import.meta.dirname, '../fixtures/upstream/annotations.graphql');
const TOKEN = /^tok_[a-z_]+_[A-Za-z0-9_-]{24}$/;
const data = clinicData();

function upstreamConfig(url: string, overrides: Partial<UpstreamConfig> = {}): UpstreamConfig {
  return {
    url,
    sdlFile: undefined,
    headers: {},
    forwardHeaders: ['authorization'],
    timeoutMs: 3000,
    annotationsFile: ANNOTATIONS,
    annotationsFileRequired: true,
    errorMessages: 'hide',
    ...overrides,
  };
}

let upstream: Upstream;
let store: TestStore;
let gateway: TestGateway;
beforeAll(async () => {
  upstream = await startJsonGraphqlServer(data);
  store = await startTestStore();
  gateway = await startTestGateway(store.store, { upstream: upstreamConfig(upstream.url) });
});
afterAll(async () => {
  await gateway?.close();
  await store?.close();
  await upstream?.close();
});

describe('gateway mode: a real upstream in its own process', () => {
  it('proxies queries with aliases, fragments, variables and nested lists, tokenizing annotated fields', async () => {
    const { body } = await gateway.gql(
      `query List($n: Int) {
        first: allPatients(page: 0, perPage: $n, sortField: "id") { ...Who age Doctor { id name Patients { id name } } }
        one: Patient(id: "2") { ...Who }
      }
      fragment Who on Patient { id name email phone }`,
      { n: 3 },
    );
    expect(body.errors).toBeUndefined();
    const [p1] = body.data!.first;
    expect(body.data!.first).toHaveLength(3);
    expect(p1).toMatchObject({ id: '1', age: data.patients[0]!.age, Doctor: { id: '1' } });
    for (const value of [p1.name, p1.email, p1.phone, p1.Doctor.name, p1.Doctor.Patients[0].name, body.data!.one.email]) expect(value).toMatch(TOKEN);
    expect(p1.email.startsWith('tok_email_')).toBe(true);
    expect(p1.Doctor.name.startsWith('tok_person_')).toBe(true);
    const text = JSON.stringify(body);
    for (const p of data.patients.slice(0, 3)) for (const raw of [p.name, p.email, p.phone]) expect(text).not.toContain(raw);

    const back = await gateway.gql('mutation($p: JSON!) { deanonymize(payload: $p) { payload unresolved } }', { p: body.data!.one });
    expect(back.body.data!.deanonymize).toEqual({ payload: { id: '2', name: data.patients[1]!.name, email: data.patients[1]!.email, phone: data.patients[1]!.phone }, unresolved: 0 });
  });

  it('reveals by scope on the proxied path too', async () => {
    const { text } = await gateway.post(JSON.stringify({ query: '{ Patient(id: "3") { name email } }' }), { 'x-test-scopes': 'pii:reveal:email' });
    expect(JSON.parse(text).data.Patient).toEqual({ name: expect.stringMatching(/^tok_person_/), email: data.patients[2]!.email });
  });

  it('serves the gateway’s own mutations beside the upstream’s', async () => {
    const { body } = await gateway.gql('mutation { anonymize(payload: {e: "x@example.com"}, fields: ["e:email"]) { tokenized } }');
    expect(body.data!.anonymize.tokenized).toBe(1);
  });

  it('resolves tokens given as arguments, by literal or variable, before forwarding', async () => {
    const target = data.patients[4]!;
    const token = (await gateway.gql('{ Patient(id: "5") { email name } }')).body.data!.Patient;
    const byVariable = await gateway.gql('query($f: PatientFilter) { allPatients(filter: $f) { id email } }', { f: { email: token.email } });
    expect(byVariable.body.errors).toBeUndefined();
    expect(byVariable.body.data!.allPatients).toEqual([{ id: '5', email: token.email }]);
    const byLiteral = await gateway.gql(`{ allPatients(filter: { name: "${token.name}" }) { id } }`);
    expect(byLiteral.body.data!.allPatients).toEqual([{ id: '5' }]);
    expect(target.email).not.toBe(token.email);
  });

  it('reads token arguments afresh for each request of the same document', async () => {
    const query = 'query($f: PatientFilter) { allPatients(filter: $f) { id } }';
    for (const id of ['2', '7', '2']) {
      const { email } = (await gateway.gql(`{ Patient(id: "${id}") { email } }`)).body.data!.Patient;
      const { body } = await gateway.gql(query, { f: { email } });
      expect(body.errors).toBeUndefined();
      expect(body.data!.allPatients).toEqual([{ id }]);
    }
  });

  it('forwards mutations with their token arguments resolved: the upstream stores originals', async () => {
    const anonymized = await gateway.gql('mutation($p: JSON!) { anonymize(payload: $p, fields: ["name:person", "email"]) { payload } }', {
      p: { name: 'Rosa Example', email: 'rosa@example.org' },
    });
    const { name, email } = anonymized.body.data!.anonymize.payload;
    const created = await gateway.gql('mutation($n: String!, $e: String!) { createPatient(name: $n, email: $e, phone: "+1 555 0199", age: 33, doctor_id: "1") { id name email phone } }', { n: name, e: email });
    expect(created.body.errors).toBeUndefined();
    expect(created.body.data!.createPatient).toMatchObject({ name, email, phone: expect.stringMatching(/^tok_phone_/) });
    const id = created.body.data!.createPatient.id;
    const stored = await upstream.query('query($id: ID!) { Patient(id: $id) { name email phone } }', { id });
    expect(stored.data.Patient).toEqual({ name: 'Rosa Example', email: 'rosa@example.org', phone: '+1 555 0199' });
  });

  it('resolves token arguments on the general path too (an operation that also uses the gateway’s own fields)', async () => {
    const email = (await gateway.gql('{ Patient(id: "9") { email } }')).body.data!.Patient.email;
    const { body } = await gateway.gql(
      `mutation($e: String!) {
        anonymize(payload: {x: "1"}, fields: ["x"]) { tokenized }
        updatePatient(id: "9", email: $e) { id email }
      }`,
      { e: email },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ anonymize: { tokenized: 1 }, updatePatient: { id: '9', email } });
    expect((await upstream.query('{ Patient(id: "9") { email } }')).data.Patient.email).toBe(data.patients[8]!.email);
  });

  it('refuses a token that does not resolve, or of the wrong kind, and forwards nothing', async () => {
    const before = (await upstream.query('{ _allPatientsMeta { count } }')).data._allPatientsMeta.count;
    const unknown = await gateway.gql('mutation { createPatient(name: "x", email: "tok_email_AAAAAAAAAAAAAAAAAAAAAAAA", phone: "p", age: 1, doctor_id: "1") { id } }');
    expect(unknown.body.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/argument email of createPatient does not resolve/),
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(unknown.body.data).toEqual({ createPatient: null });
    const person = (await gateway.gql('{ Patient(id: "1") { name } }')).body.data!.Patient.name;
    const wrongKind = await gateway.gql('query($f: PatientFilter) { allPatients(filter: $f) { id } }', { f: { email: person } });
    expect(wrongKind.body.errors?.[0]?.message).toMatch(/argument filter\.email of allPatients takes tokens of kind email, not person/);
    expect((await upstream.query('{ _allPatientsMeta { count } }')).data._allPatientsMeta.count).toBe(before);
  });

  it('keeps tenants apart in arguments: another tenant’s token does not resolve', async () => {
    const mine = (await gateway.gql('{ Patient(id: "7") { email } }', {}, { tenant: 'acme' })).body.data!.Patient.email;
    const theirs = await gateway.gql('query($f: PatientFilter) { allPatients(filter: $f) { id } }', { f: { email: mine } }, { tenant: 'globex' });
    expect(theirs.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(theirs.body.data).toEqual({ allPatients: null });
  });
});

describe('gateway mode: startup checks', () => {
  const service = () => {
    const typeDefs = loadTypeDefs();
    return { service: { typeDefs: [typeDefs.pii, typeDefs.service], resolvers: [serviceResolvers] }, pii: typeDefs.pii };
  };

  async function withAnnotations(sdl: string) {
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'pii-annotations-')), 'annotations.graphql');
    await writeFile(file, sdl);
    const { service: s, pii } = service();
    return buildGatewaySchema(upstreamConfig(upstream.url, { annotationsFile: file }), s, pii);
  }

  it.each([
    ['type Nurse {\n  name: String @pii\n}', /annotations\.graphql:1: type Nurse does not exist upstream/],
    ['type Patient {\n  ssn: String @pii\n}', /annotations\.graphql:2 Patient\.ssn: no such field upstream/],
    ['type Patient {\n  age: Int @pii(kind: "age")\n}', /Patient\.age: TOKENIZE needs a String or ID field/],
    ['type Patient {\n  age: Int @pii(strategy: REDACT, redact: { to: TEXT })\n}', /annotations\.graphql:2 Patient\.age: REDACT to TEXT needs a String or ID field, not Int/],
    ['type Patient {\n  age: Int @pii(strategy: SCRAMBLE)\n}', /annotations\.graphql:2 Patient\.age: .*"strategy"/],
    ['type Patient {\n  email: Int @pii\n}', /Patient\.email: upstream it is String, not Int/],
    ['type Query {\n  allPatients(nope: String @pii): [Patient]\n}', /Query\.allPatients\(nope\): no such argument upstream/],
    ['input PatientFilter {\n  nope: String @pii\n}', /PatientFilter\.nope: no such input field upstream/],
  ])('stops on %j, naming type and field', async (sdl, message) => {
    await expect(withAnnotations(sdl)).rejects.toThrow(message);
  });

  it('honours @pii declared in an upstream SDL file, with no introspection needed', async () => {
    const introspected = (await upstream.query((await import('graphql')).getIntrospectionQuery())).data;
    const { buildClientSchema } = await import('graphql');
    const sdl = printSchema(buildClientSchema(introspected)).replace(/(\n\s+email: String!)/, '$1 @pii(kind: "email")');
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'pii-sdl-')), 'upstream.graphql');
    await writeFile(file, sdl);
    const store2 = await startTestStore();
    const sdlGateway = await startTestGateway(store2.store, { upstream: upstreamConfig(upstream.url, { sdlFile: file, annotationsFile: undefined, annotationsFileRequired: false }) });
    try {
      const { body } = await sdlGateway.gql('{ Patient(id: "1") { name email } }');
      expect(body.data!.Patient).toEqual({ name: data.patients[0]!.name, email: expect.stringMatching(/^tok_email_/) });
    } finally {
      await sdlGateway.close();
      await store2.close();
    }
  });

  it('says so when the upstream cannot be reached, after waiting UPSTREAM_STARTUP_WAIT for it', async () => {
    const { service: s, pii } = service();
    const url = `http://127.0.0.1:${await freePort()}/`;
    const waits: string[] = [];
    const started = Date.now();
    await expect(buildGatewaySchema(upstreamConfig(url, { startupWaitMs: 2500 }), s, pii, (reason) => waits.push(reason))).rejects.toThrow(
      /^could not reach the upstream at http:\/\/127\.0\.0\.1:\d+\/ within 2\.5 s \(UPSTREAM_STARTUP_WAIT\) \(The upstream API could not be reached\): is it running, and is UPSTREAM_URL right\?$/,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
    expect(waits).toEqual(['The upstream API could not be reached']);
  });

  it('waits for an upstream that comes up after the gateway, as services started together do', async () => {
    const { service: s, pii } = service();
    const port = await freePort();
    const waits: string[] = [];
    let late: Upstream | undefined;
    const starting = new Promise((resolve) => setTimeout(resolve, 1500)).then(async () => (late = await startJsonGraphqlServer(data, port)));
    try {
      const built = await buildGatewaySchema(upstreamConfig(`http://127.0.0.1:${port}/`, { startupWaitMs: 30_000 }), s, pii, (reason) => waits.push(reason));
      expect(built.schema.getQueryType()?.getFields().allPatients).toBeDefined();
      expect(waits).toHaveLength(1);
    } finally {
      await starting;
      await late?.close();
    }
  });

  it('tells an upstream that refuses introspection from one that is down: UPSTREAM_SDL is the way', async () => {
    // A fault: an upstream that answers every query with an error, as one with introspection off does.
    const refusing = createServer((_, response) => response.setHeader('content-type', 'application/json').end('{"errors":[{"message":"introspection is disabled"}]}'));
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    const { service: s, pii } = service();
    const waits: string[] = [];
    try {
      const url = `http://127.0.0.1:${(refusing.address() as AddressInfo).port}/`;
      await expect(buildGatewaySchema(upstreamConfig(url, { startupWaitMs: 30_000 }), s, pii, (reason) => waits.push(reason))).rejects.toThrow(
        /^the upstream at http:\S+ answered the introspection query with an error \(The upstream API returned an error\); if its introspection is off, set UPSTREAM_SDL to its SDL file$/,
      );
      expect(waits).toEqual([]);
    } finally {
      refusing.close();
    }
  });
});

describe('gateway mode: an upstream that fails', () => {
  it('answers UPSTREAM_UNAVAILABLE when the upstream is down, with no data and no value', async () => {
    const own = await startJsonGraphqlServer(data);
    const store2 = await startTestStore();
    const g = await startTestGateway(store2.store, { upstream: upstreamConfig(own.url) });
    const readyz = () => fetch(g.url.replace('/graphql', '/readyz')).then(async (r) => ({ status: r.status, body: await r.json() }));
    try {
      expect(await readyz()).toEqual({ status: 200, body: { status: 'ready', checks: { store: 'ok', upstream: 'ok' } } });
      await own.close();
      expect(await readyz()).toEqual({ status: 503, body: { status: 'not ready', checks: { store: 'ok', upstream: 'unavailable' } } });
      const { body, text } = await g.gql('{ allPatients(page: 0, perPage: 2) { id name email } }');
      expect(body.data).toEqual({ allPatients: null });
      expect(body.errors).toEqual([expect.objectContaining({ message: 'The upstream API could not be reached', path: ['allPatients'], extensions: { code: 'UPSTREAM_UNAVAILABLE' } })]);
      expect(text).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
    } finally {
      await g.close();
      await store2.close();
    }
  });

  describe('fault-injecting upstreams (the same schema, answers chosen by the test)', () => {
    let fake: Server;
    let mode: 'slow' | 'errors' | 'not-graphql' | 'null-errors' | 'misshapen' | 'redirect' = 'slow';
    /** In 'misshapen' mode, the data answered. */
    let misshapen: unknown;
    let fakeUrl: string;
    const seen: Record<string, string | undefined>[] = [];
    beforeAll(async () => {
      fake = createServer((request, response) => {
        seen.push({
          authorization: request.headers.authorization,
          'x-static': request.headers['x-static'] as string | undefined,
          'x-request-id': request.headers['x-request-id'] as string | undefined,
          accept: request.headers.accept,
          'content-type': request.headers['content-type'],
        });
        if (mode === 'slow') return; // never answers
        if (mode === 'redirect') {
          response.writeHead(307, { location: '/graphql-moved' }).end();
          return;
        }
        if (mode === 'not-graphql') {
          // What a proxy in front of an upstream may answer: an HTML page that quotes the request.
          response.statusCode = 502;
          response.setHeader('content-type', 'text/html');
          response.end('<html>Bad gateway for secret.person@example.com</html>');
          return;
        }
        response.setHeader('content-type', 'application/json');
        if (mode === 'misshapen') {
          response.end(JSON.stringify({ data: misshapen }));
          return;
        }
        if (mode === 'null-errors') {
          // More than was asked, too: an email no query selected.
          response.end(JSON.stringify({ data: { allPatients: [{ id: '1', name: 'Secret Name', email: 'secret.person@example.com' }], extra: 'Secret Name' }, errors: null }));
          return;
        }
        response.end(JSON.stringify({
          data: { allPatients: [{ id: '1', name: 'Secret Name', email: null }] },
          errors: [{ message: 'no email for secret.person@example.com', path: ['allPatients', 0, 'email'], extensions: { code: 'NOT_FOUND' } }],
        }));
      }).listen(0, '127.0.0.1');
      await once(fake, 'listening');
      fakeUrl = `http://127.0.0.1:${(fake.address() as { port: number }).port}/`;
    });
    afterAll(() => {
      fake.closeAllConnections();
      fake.close();
    });

    async function gatewayOnFake(overrides: Partial<UpstreamConfig>) {
      const file = path.join(await mkdtemp(path.join(tmpdir(), 'pii-sdl-')), 'upstream.graphql');
      await writeFile(
        file,
        'type Query { allPatients: [Patient] anyone: [Anyone] } union Anyone = Patient | Visit type Visit { id: ID! } ' +
          'type Patient { id: ID! name: String @pii(kind: "person") email: String @pii(kind: "email") }',
      );
      const s = await startTestStore();
      const g = await startTestGateway(s.store, { upstream: upstreamConfig(fakeUrl, { sdlFile: file, annotationsFile: undefined, annotationsFileRequired: false, ...overrides }) });
      return { g, close: async () => { await g.close(); await s.close(); } };
    }

    it('times out a slow upstream with UPSTREAM_UNAVAILABLE', async () => {
      mode = 'slow';
      const { g, close } = await gatewayOnFake({ timeoutMs: 300 });
      try {
        const started = Date.now();
        const { body } = await g.gql('{ allPatients { id name } }');
        expect(Date.now() - started).toBeLessThan(3000);
        expect(body.errors?.[0]).toMatchObject({ message: 'The upstream API did not answer within 300 ms', extensions: { code: 'UPSTREAM_UNAVAILABLE' } });
        expect(body.data).toEqual({ allPatients: null });
      } finally {
        await close();
      }
    });

    it('keeps many slow upstream requests at once without a listener-leak warning', async () => {
      mode = 'slow';
      const warnings: string[] = [];
      const onWarning = (warning: Error) => warnings.push(warning.name);
      process.on('warning', onWarning);
      const { g, close } = await gatewayOnFake({ timeoutMs: 500 });
      try {
        const answers = await Promise.all(Array.from({ length: 30 }, () => g.gql('{ allPatients { id } }')));
        for (const { body } of answers) expect(body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
        await new Promise((resolve) => setImmediate(resolve));
        expect(warnings).not.toContain('MaxListenersExceededWarning');
      } finally {
        process.off('warning', onWarning);
        await close();
      }
    });

    it('passes upstream errors as UPSTREAM_ERROR without their message, tokenizing the data beside them', async () => {
      mode = 'errors';
      const { g, close } = await gatewayOnFake({ headers: { 'x-static': 'static-value' } });
      try {
        const { text } = await g.post(JSON.stringify({ query: '{ allPatients { id name email } }' }), { authorization: 'Bearer abc', 'x-test-tenant': 'acme', 'x-request-id': 'trace-42' });
        const parsed = JSON.parse(text);
        expect(parsed.data.allPatients[0]).toEqual({ id: '1', name: expect.stringMatching(/^tok_person_/), email: null });
        expect(parsed.errors).toEqual([expect.objectContaining({ message: 'The upstream API returned an error', path: ['allPatients', 0, 'email'], extensions: { code: 'UPSTREAM_ERROR', upstreamCode: 'NOT_FOUND' } })]);
        expect(text).not.toMatch(/Secret Name|secret\.person/);
        // The request's id goes upstream too: the caller's, or the one the gateway made.
        expect(seen.at(-1)).toEqual({
          authorization: 'Bearer abc',
          'x-static': 'static-value',
          'x-request-id': 'trace-42',
          accept: 'application/graphql-response+json, application/json',
          'content-type': 'application/json',
        });
        await g.post(JSON.stringify({ query: '{ allPatients { id } }' }), { 'x-test-tenant': 'acme' });
        expect(seen.at(-1)?.['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      } finally {
        await close();
      }
    });

    it('lets UPSTREAM_HEADERS replace the default Accept, its name in any case', async () => {
      mode = 'errors';
      const { g, close } = await gatewayOnFake({ headers: { Accept: 'application/json' } });
      try {
        await g.gql('{ allPatients { id } }');
        expect(seen.at(-1)).toMatchObject({ accept: 'application/json', 'content-type': 'application/json' });
      } finally {
        await close();
      }
    });

    it('passes the upstream’s error messages when UPSTREAM_ERROR_MESSAGES=pass', async () => {
      mode = 'errors';
      const { g, close } = await gatewayOnFake({ errorMessages: 'pass' });
      try {
        const { body } = await g.gql('{ allPatients { id name email } }');
        expect(body.errors).toEqual([expect.objectContaining({ message: 'no email for secret.person@example.com', path: ['allPatients', 0, 'email'], extensions: { code: 'UPSTREAM_ERROR', upstreamCode: 'NOT_FOUND' } })]);
      } finally {
        await close();
      }
    });

    it('reads `errors: null` as no errors, and drops what the upstream answered but no one asked', async () => {
      mode = 'null-errors';
      const { g, close } = await gatewayOnFake({});
      try {
        const { body, text } = await g.gql('{ allPatients { id name } }');
        expect(body.errors).toBeUndefined();
        expect(body.data).toEqual({ allPatients: [{ id: '1', name: expect.stringMatching(/^tok_person_/) }] });
        expect(text).not.toMatch(/secret/i);
      } finally {
        await close();
      }
    });

    it('withholds, with UPSTREAM_ERROR, values of a shape their field cannot have, passing none of them on', async () => {
      mode = 'misshapen';
      const { g, close } = await gatewayOnFake({});
      const shapeError = (path: (string | number)[]) =>
        expect.objectContaining({ message: 'The upstream returned a value of the wrong shape for its field; it was withheld', path, extensions: { code: 'UPSTREAM_ERROR' } });
      try {
        // A string where a Patient belongs, beside a proper one.
        misshapen = { allPatients: ['secret.person@example.com', { id: '2', name: 'Secret Name' }] };
        let { body, text } = await g.gql('{ allPatients { id name } }');
        expect(body.data).toEqual({ allPatients: [null, { id: '2', name: expect.stringMatching(/^tok_person_/) }] });
        expect(body.errors).toEqual([shapeError(['allPatients', 0])]);
        expect(text).not.toMatch(/secret/i);
        // An object where a list belongs.
        misshapen = { allPatients: { id: '1', name: 'Secret Name' } };
        ({ body, text } = await g.gql('{ allPatients { id name } }'));
        expect(body.data).toEqual({ allPatients: null });
        expect(body.errors).toEqual([shapeError(['allPatients'])]);
        expect(text).not.toMatch(/secret/i);
        // Members of a union whose type is unknown, not a member, or missing: nothing says which fields are @pii.
        misshapen = {
          anyone: [{ __typename: 'Bogus', name: 'Secret Name' }, { __typename: 'Query', name: 'Secret Name' }, { name: 'Secret Name' }, { __typename: 'Patient', name: 'Secret Name' }],
        };
        ({ body, text } = await g.gql('{ anyone { ... on Patient { name } } }'));
        expect(body.data).toEqual({ anyone: [null, null, null, { name: expect.stringMatching(/^tok_person_/) }] });
        expect(body.errors).toEqual([shapeError(['anyone', 0]), shapeError(['anyone', 1]), shapeError(['anyone', 2])]);
        expect(text).not.toMatch(/secret/i);
      } finally {
        await close();
      }
    });

    it('answers UPSTREAM_ERROR with the HTTP status when the upstream answers something other than GraphQL, quoting none of it', async () => {
      mode = 'not-graphql';
      const { g, close } = await gatewayOnFake({});
      try {
        const { body, text } = await g.gql('{ allPatients { id name } }');
        expect(body.data).toEqual({ allPatients: null });
        expect(body.errors).toEqual([expect.objectContaining({ message: 'The upstream API answered HTTP 502 without a GraphQL response', path: ['allPatients'], extensions: { code: 'UPSTREAM_ERROR' } })]);
        expect(text).not.toMatch(/secret|html/i);
      } finally {
        await close();
      }
    });

    it('follows no redirect: UPSTREAM_URL names the endpoint itself', async () => {
      mode = 'redirect';
      const { g, close } = await gatewayOnFake({});
      try {
        seen.length = 0;
        const { body } = await g.gql('{ allPatients { id name } }');
        expect(body.data).toEqual({ allPatients: null });
        expect(body.errors).toEqual([expect.objectContaining({ message: 'The upstream API answered HTTP 307 without a GraphQL response', path: ['allPatients'], extensions: { code: 'UPSTREAM_ERROR' } })]);
        expect(seen).toHaveLength(1);
      } finally {
        await close();
      }
    });
  });
});
