import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import { Agent, get, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clinicData, startJsonGraphqlServer, type Upstream } from '../support/json-graphql-upstream.js';
import { removeTempDirs, runGateway as run, startGateway as start, stopGateway as stop, tempDir } from '../support/gateway-process.js';

const root = path.resolve(import.meta.dirname, '../..');
afterAll(removeTempDirs);

async function gql(url: string, query: string, variables?: unknown) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return (await response.json()) as { data?: any; errors?: any[] };
}

/** The Keep-Alive header of an answer: how long the gateway keeps the connection open idle. */
async function keepAliveHeader(url: string): Promise<string | undefined> {
  const agent = new Agent({ keepAlive: true });
  try {
    const [response] = (await once(get(url.replace('/graphql', '/healthz'), { agent }), 'response')) as [IncomingMessage];
    response.resume();
    return response.headers['keep-alive'] as string | undefined;
  } finally {
    agent.destroy();
  }
}

/** What the Docker image runs with: production, a DynamoDB endpoint and table, an HS256 secret. */
async function productionEnv(endpoint: string, secret: string, table: string): Promise<Record<string, string>> {
  return {
    NODE_ENV: 'production',
    DATA_DIR: await tempDir(),
    PII_MASTER_KEY: randomBytes(32).toString('base64'),
    AUTH_HS256_SECRET: secret,
    DYNAMODB_ENDPOINT: endpoint,
    TOKEN_TABLE: table,
    AWS_REGION: 'us-east-1',
  };
}

describe('npm start', () => {
  it('generates a development key once, persists the embedded store, and keeps tokens across restarts', async () => {
    const dataDir = await tempDir();
    const first = await start({ DATA_DIR: dataDir });
    const keyFile = path.join(dataDir, 'master.key');
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    const key = (await readFile(keyFile, 'utf8')).trim();
    expect(Buffer.from(key, 'base64')).toHaveLength(32);
    expect(first.logs.some((line) => line.includes('generated a development master key'))).toBe(true);

    const patient = (await gql(first.url, '{ patient(id: "p1") { name email } }')).data.patient;
    expect(patient.email).toMatch(/^tok_email_/);
    expect(await stop(first)).toBe(0);

    const second = await start({ DATA_DIR: dataDir });
    expect(second.logs.some((line) => line.includes('using the development master key'))).toBe(true);
    expect((await gql(second.url, '{ patient(id: "p1") { name email } }')).data.patient).toEqual(patient);
    const restored = await gql(second.url, 'mutation($p: JSON!) { deanonymize(payload: $p) { payload unresolved } }', { p: patient });
    expect(restored.data.deanonymize.unresolved).toBe(0);
    expect(restored.data.deanonymize.payload.email).toContain('@');
    expect(await stop(second)).toBe(0);

    for (const line of [...first.logs, ...second.logs]) expect(line).not.toContain(key);
  });

  it('uses PII_MASTER_KEY when given and writes no key file', async () => {
    const dataDir = await tempDir();
    const started = await start({ DATA_DIR: dataDir, PII_MASTER_KEY: randomBytes(32).toString('base64') });
    await expect(stat(path.join(dataDir, 'master.key'))).rejects.toThrow();
    // Idle connections stay open 65 s, past a load balancer's 60, and clients are told so.
    expect(await keepAliveHeader(started.url)).toBe('timeout=65');
    expect(await stop(started)).toBe(0);
  });

  it('keeps its tokens when PII_MASTER_KEY becomes the first key of PII_MASTER_KEYS, logging key ids only', async () => {
    const dataDir = await tempDir();
    const old = randomBytes(32).toString('base64');
    const next = randomBytes(32).toString('base64');
    const first = await start({ DATA_DIR: dataDir, PII_MASTER_KEY: old });
    const patient = (await gql(first.url, '{ patient(id: "p1") { email } }')).data.patient;
    expect(await stop(first)).toBe(0);
    const second = await start({ DATA_DIR: dataDir, PII_MASTER_KEYS: `2025:${old},2026:${next}` });
    // Resolved before anything re-tokenizes the value: the mapping the first run wrote is read.
    const restored = await gql(second.url, 'mutation($p: JSON!) { deanonymize(payload: $p) { unresolved } }', { p: patient });
    expect(restored.data.deanonymize.unresolved).toBe(0);
    expect((await gql(second.url, '{ patient(id: "p1") { email } }')).data.patient).toEqual(patient);
    expect(await stop(second)).toBe(0);
    const ring = second.logs.map((line) => JSON.parse(line)).find((line) => line.msg === 'using the master key ring');
    expect(ring).toMatchObject({ tokenKey: '2025', currentKey: '2026', keys: ['2025', '2026'] });
    for (const line of [...first.logs, ...second.logs]) for (const key of [old, next]) expect(line).not.toContain(key);
  });

  it('loads PII_POLICY_FILE, and refuses to start on a bad one naming file and line', async () => {
    const dataDir = await tempDir();
    const good = path.join(dataDir, 'policies.yaml');
    await writeFile(good, 'policies:\n  patients:\n    rules:\n      - { path: email }\n');
    const started = await start({ DATA_DIR: dataDir, PII_POLICY_FILE: good });
    expect(started.logs.map((line) => JSON.parse(line)).find((line) => line.msg === 'policies loaded')).toMatchObject({ policies: 1 });
    const applied = await gql(started.url, 'mutation { anonymize(payload: { email: "a@example.com" }, policy: "patients") { tokenized } }');
    expect(applied.data.anonymize.tokenized).toBe(1);
    expect(await stop(started)).toBe(0);

    const bad = path.join(dataDir, 'bad.yaml');
    await writeFile(bad, 'policies:\n  patients:\n    rules:\n      - { path: email, strategy: MASK, mask: { char: "secret-value" } }\n');
    const { child, stderr } = run({ DATA_DIR: dataDir, PII_POLICY_FILE: bad });
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(stderr.join('')).toMatch(/bad\.yaml:4:\d+ policies\.patients\.rules\[0\]: mask\.char must be exactly one character/);
    expect(stderr.join('')).not.toContain('secret-value');
  });

  it('refuses to start beside a running gateway on its DATA_DIR or its PORT, saying what to do, and the running one carries on', async () => {
    const dataDir = await tempDir();
    const first = await start({ DATA_DIR: dataDir });
    const patient = (await gql(first.url, '{ patient(id: "p1") { email } }')).data.patient;

    const sameDir = run({ DATA_DIR: dataDir });
    expect((await once(sameDir.child, 'exit'))[0]).toBe(1);
    expect(sameDir.stderr.join('')).toContain(`pii-gateway: The embedded store's files in ${path.join(dataDir, 'dynamo')} are in use by another process`);
    expect(sameDir.stderr.join('')).toContain('set DATA_DIR to another directory');

    const port = new URL(first.url).port;
    const samePort = run({ DATA_DIR: await tempDir(), PORT: port });
    expect((await once(samePort.child, 'exit'))[0]).toBe(1);
    expect(samePort.stderr.join('')).toContain(`pii-gateway: Port ${port} on 127.0.0.1 is already in use`);

    const restored = await gql(first.url, 'mutation($p: JSON!) { deanonymize(payload: $p) { unresolved } }', { p: patient });
    expect(restored.data.deanonymize.unresolved).toBe(0);
    expect(await stop(first)).toBe(0);
  });

  it('refuses to start on embedded-store files it cannot open, saying what to do', async () => {
    const dataDir = await tempDir();
    await mkdir(path.join(dataDir, 'dynamo'));
    await writeFile(path.join(dataDir, 'dynamo', 'CURRENT'), 'not a LevelDB manifest name\n');
    const { child, stderr } = run({ DATA_DIR: dataDir });
    expect((await once(child, 'exit'))[0]).toBe(1);
    expect(stderr.join('')).toContain(`pii-gateway: The embedded store's files in ${path.join(dataDir, 'dynamo')} cannot be opened (`);
    expect(stderr.join('')).toContain('move the directory away to start with an empty store');
  });

  it('refuses a DATA_DIR that is a file or lies below one, saying so, and so does npm run token', async () => {
    const file = path.join(await tempDir(), 'data-file');
    await writeFile(file, 'not a directory\n');
    for (const dataDir of [file, path.join(file, 'below')]) {
      const { child, stderr } = run({ DATA_DIR: dataDir });
      expect((await once(child, 'exit'))[0]).toBe(1);
      expect(stderr.join('')).toBe(`pii-gateway: DATA_DIR (${dataDir}) is not a directory: a file is in the way. Set DATA_DIR to a directory (by default .data), or move the file.\n`);
    }
    const token = spawn(process.execPath, ['--import', 'tsx', 'src/auth/dev-token-cli.ts', '--tenant', 'acme'], { cwd: root, env: { PATH: process.env.PATH, DATA_DIR: file } });
    let err = '';
    token.stderr.on('data', (chunk: Buffer) => (err += chunk));
    expect((await once(token, 'exit'))[0]).toBe(1);
    expect(err).toContain(`DATA_DIR (${file}) is not a directory: a file is in the way.`);
    expect(await readFile(file, 'utf8')).toBe('not a directory\n');
  });

  it('runs the store client in a thread of its own with STORE_CLIENT_THREAD=on', async () => {
    const { startTestStore } = await import('../support/test-store.js');
    const store = await startTestStore();
    try {
      const env = { DATA_DIR: await tempDir(), PII_MASTER_KEY: randomBytes(32).toString('base64'), DYNAMODB_ENDPOINT: store.dynalite.endpoint, TOKEN_TABLE: 'pii_tokens_test', AWS_REGION: 'us-east-1' };
      const started = await start({ ...env, STORE_CLIENT_THREAD: 'on' });
      expect(started.logs.some((line) => line.includes('table pii_tokens_test, client on its own thread'))).toBe(true);
      const base = started.url.replace(/\/graphql$/, '');
      expect(await (await fetch(`${base}/readyz`)).json()).toEqual({ status: 'ready', checks: { store: 'ok' } });
      store.resetCounts();
      const payload = { email: 'thread.check@example.com', name: 'Thread Check' };
      const anonymized = await gql(started.url, 'mutation($p: JSON!) { anonymize(payload: $p, fields: ["email", "name:person"]) { payload } }', { p: payload });
      expect(store.count('BatchWriteItem')).toBeGreaterThan(0);
      expect(await stop(started)).toBe(0);
      // Another gateway, with the client on its event loop, reads what the thread wrote.
      const plain = await start(env);
      const restored = await gql(plain.url, 'mutation($p: JSON!) { deanonymize(payload: $p) { payload unresolved } }', { p: anonymized.data.anonymize.payload });
      expect(restored.data.deanonymize).toEqual({ payload, unresolved: 0 });
      expect(await stop(plain)).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('says at startup, and when a write fails, that the DynamoDB table does not exist', async () => {
    const { startTestStore } = await import('../support/test-store.js');
    const { SignJWT } = await import('jose');
    const store = await startTestStore();
    const secret = randomBytes(32).toString('base64');
    const missing = 'pii_tokens_never_created';
    const reason = `the token table ${missing} does not exist (create it, or let the gateway: TOKEN_TABLE_CREATE=true)`;
    try {
      const started = await start(await productionEnv(store.dynalite.endpoint, secret, missing));
      const base = started.url.replace(/\/graphql$/, '');
      expect((await fetch(`${base}/readyz`)).status).toBe(503);
      const jwt = await new SignJWT({ tenant: 'acme', scope: 'pii:anonymize' }).setProtectedHeader({ alg: 'HS256' }).setSubject('alice').setExpirationTime('5m').sign(new TextEncoder().encode(secret));
      const body = JSON.stringify({ query: 'mutation { anonymize(payload: { email: "a@example.com" }, fields: ["email"]) { payload } }' });
      const answered = await fetch(started.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${jwt}` }, body });
      expect(((await answered.json()) as any).errors[0].extensions.code).toBe('STORE_UNAVAILABLE');
      expect(await stop(started)).toBe(0);
      const lines = started.logs.map((line) => JSON.parse(line));
      expect(lines).toContainEqual(expect.objectContaining({ level: 40, reason, msg: 'the token store is not usable yet; requests that need it get STORE_UNAVAILABLE until it is' }));
      expect(lines).toContainEqual(expect.objectContaining({ level: 40, reason, msg: 'token store write failed; response withheld' }));
      for (const line of started.logs) expect(line).not.toContain('a@example.com');
    } finally {
      await store.close();
    }
  });

  it('waits for a DynamoDB endpoint that comes up after it to create the table (STORE_STARTUP_WAIT), and says when none answers', async () => {
    const { startEmbeddedDynalite } = await import('../../src/store/embedded-dynalite.js');
    const { createServer } = await import('node:net');
    const probe = createServer().listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const port = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));
    const endpoint = `http://127.0.0.1:${port}`;
    // Development with DynamoDB Local (TOKEN_TABLE_CREATE defaults to true there), started late.
    const env = { DATA_DIR: await tempDir(), DYNAMODB_ENDPOINT: endpoint, TOKEN_TABLE: 'pii_tokens_late', STORE_STARTUP_WAIT: '30s' };
    const gateway = run(env);
    const parsed = () => gateway.logs.map((line) => JSON.parse(line));
    const logged = async (msg: string) => {
      for (let i = 0; i < 600 && !parsed().some((line) => line.msg?.startsWith(msg)); i++) await new Promise((resolve) => setTimeout(resolve, 50));
      return parsed().find((line) => line.msg?.startsWith(msg));
    };
    // The store comes up only once the gateway has said it waits for it.
    expect(await logged('waiting for the token store to answer')).toMatchObject({ level: 40, store: endpoint, reason: 'ECONNREFUSED', waitSeconds: 30 });
    const dynalite = await startEmbeddedDynalite({ port });
    try {
      const { url } = (await logged('PII gateway ready'))!;
      const answered = await gql(url, 'mutation { anonymize(payload: { email: "a@example.com" }, fields: ["email"]) { payload } }');
      expect(answered.data.anonymize.payload.email).toMatch(/^tok_email_/);
      expect(await stop({ ...gateway, url })).toBe(0);
      expect(parsed().filter((line) => line.msg === 'waiting for the token store to answer')).toHaveLength(1);
    } finally {
      gateway.child.kill('SIGKILL');
      await dynalite.close();
    }

    const { child, stderr } = run({ ...env, STORE_STARTUP_WAIT: '0' });
    expect((await once(child, 'exit'))[0]).toBe(1);
    expect(stderr.join('')).toContain(`pii-gateway: could not reach the token store at ${endpoint} (ECONNREFUSED): is it running, and is DYNAMODB_ENDPOINT right?\n`);
  });

  it('runs in production as the Docker image does: DynamoDB, bearer JWTs, no GraphiQL, no introspection, no development hints', async () => {
    const { startTestStore } = await import('../support/test-store.js');
    const { SignJWT } = await import('jose');
    const store = await startTestStore();
    const secret = randomBytes(32).toString('base64');
    try {
      const started = await start({ ...(await productionEnv(store.dynalite.endpoint, secret, 'pii_tokens_test')), HTTP_KEEP_ALIVE_TIMEOUT_MS: '70000' });
      const ready = started.logs.map((line) => JSON.parse(line)).find((line) => line.msg?.startsWith('PII gateway ready'));
      expect(ready.msg).toBe('PII gateway ready');
      expect(await keepAliveHeader(started.url)).toBe('timeout=70');
      expect(ready).not.toHaveProperty('tenant');
      const base = started.url.replace(/\/graphql$/, '');
      expect(await (await fetch(`${base}/readyz`)).json()).toEqual({ status: 'ready', checks: { store: 'ok' } });
      expect((await fetch(started.url, { headers: { accept: 'text/html' } })).headers.get('content-type')).not.toMatch(/html/);

      const anonymize = JSON.stringify({ query: 'mutation { anonymize(payload: { email: "a@example.com" }, fields: ["email"]) { payload } }' });
      const refused = await fetch(started.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: anonymize });
      expect(((await refused.json()) as any).errors[0].extensions.code).toBe('UNAUTHENTICATED');
      const jwt = await new SignJWT({ tenant: 'acme', scope: 'pii:anonymize' }).setProtectedHeader({ alg: 'HS256' }).setSubject('alice').setExpirationTime('5m').sign(new TextEncoder().encode(secret));
      const answered = await fetch(started.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${jwt}` }, body: anonymize });
      expect(((await answered.json()) as any).data.anonymize.payload.email).toMatch(/^tok_email_/);
      const introspection = await fetch(started.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${jwt}` }, body: JSON.stringify({ query: '{ __schema { queryType { name } } }' }) });
      expect(((await introspection.json()) as any).errors[0].message).toMatch(/^Introspection is off/);
      expect(await stop(started)).toBe(0);
      for (const line of started.logs) expect(line).not.toContain(secret);
    } finally {
      await store.close();
    }
  });

  it.each([
    [{ NODE_ENV: 'production' }, /PII_MASTER_KEY is required when NODE_ENV=production/],
    [{ PII_MASTER_KEYS: `a:${Buffer.alloc(32, 5).toString('base64')},b:c2hvcnQta2V5LXNlY3JldA==` }, /PII_MASTER_KEYS: key "b" must hold base64 of exactly 32 bytes/],
    [{ PII_MASTER_KEY: 'c2hvcnQta2V5LXNlY3JldA==' }, /PII_MASTER_KEY must hold base64 of exactly 32 bytes/],
    [{ PORT: 'eighty' }, /PORT must be an integer/],
    [{ HOST: 'no-such-host.invalid' }, /HOST is not an address of this machine: use 127\.0\.0\.1/],
    [{ NODE_ENV: 'production', PII_MASTER_KEY: Buffer.alloc(32, 3).toString('base64') }, /authentication is required when NODE_ENV=production/],
  ])('refuses to start with %j, saying why without echoing the value', async (env, message) => {
    const { child, stderr } = run({ DATA_DIR: await tempDir(), ...env });
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(stderr.join('')).toMatch(message);
    for (const value of Object.values(env)) if (value !== 'production') expect(stderr.join('')).not.toContain(value);
  });
});

describe('GraphiQL', () => {
  it('is served offline to browsers, opens with examples and a working development token', async () => {
    const started = await start({ DATA_DIR: await tempDir() });
    try {
      const page = await fetch(started.url, { headers: { accept: 'text/html' } });
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      const html = await page.text();
      // Nothing from a CDN: every script and stylesheet is the gateway's own.
      expect(html).not.toMatch(/(src|href)="https?:/);
      for (const asset of html.matchAll(/(?:src|href)="(\/graphiql\/[^"]+)"/g)) {
        const response = await fetch(new URL(asset[1]!, started.url));
        expect(response.status).toBe(200);
        expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(1000);
      }
      for (const example of ['AnonymizePayload', 'AnonymizeText', 'DemoPatients', 'Deanonymize']) expect(html).toContain(example);
      const bearer = /Bearer ([A-Za-z0-9_.-]+)/.exec(html)?.[1];
      expect(bearer).toBeDefined();
      const call = await fetch(started.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
        body: JSON.stringify({ query: 'mutation { anonymize(payload: {e: "a@example.com"}, fields: ["e:email"]) { tokenized } }' }),
      });
      expect(((await call.json()) as any).data.anonymize.tokenized).toBe(1);
    } finally {
      expect(await stop(started)).toBe(0);
    }
  });
});

describe('npm run token', () => {
  it('signs a development token that the development gateway verifies for real', async () => {
    const dataDir = await tempDir();
    const started = await start({ DATA_DIR: dataDir });
    try {
      const token = (scope: string) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'src/auth/dev-token-cli.ts', '--tenant', 'acme', '--scope', scope, '--subject', 'carol'], {
          cwd: root,
          env: { PATH: process.env.PATH, DATA_DIR: dataDir },
        });
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => (out += chunk));
        return once(child, 'exit').then(() => out.trim());
      };
      const call = async (jwt: string) =>
        fetch(started.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${jwt}` },
          body: JSON.stringify({ query: 'mutation { anonymize(payload: {e: "x@example.com"}, fields: ["e:email"]) { tokenized } }' }),
        });
      const full = await token('pii:anonymize pii:deanonymize');
      expect(full.split('.')).toHaveLength(3);
      expect((await call(full)).status).toBe(200);
      expect((await call(await token('pii:deanonymize'))).status).toBe(403);
      // The child writes its audit lines asynchronously: wait for both.
      const audits = () => started.logs.map((line) => JSON.parse(line)).filter((line) => line.audit);
      for (let i = 0; i < 100 && audits().length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(audits().slice(-2)).toEqual([
        expect.objectContaining({ tenant: 'acme', subject: 'carol', outcome: 'ok' }),
        expect.objectContaining({ tenant: 'acme', subject: 'carol', outcome: 'error', errorCodes: ['FORBIDDEN'] }),
      ]);
    } finally {
      expect(await stop(started)).toBe(0);
    }
  });
});

describe('npm run token, misused', () => {
  it.each([
    [['--tenant'], /Option '--tenant <value>' argument missing\nusage: npm run token -- --tenant <tenant>/],
    [['--tenant', 'acme', '--bogus'], /Unknown option '--bogus'\nusage:/],
    [['--tenant', 'acme', '--scope', 'pii:anonymize pii:nope pii:reveal:Bad'], /unknown scope "pii:nope", "pii:reveal:Bad"; the gateway checks pii:anonymize, /],
    [['--tenant', 'acme', '--expires', 'soon'], /--expires takes a duration such as 30m, 8h or 7d/],
  ])('%j says what is wrong, with no stack trace', async (args, message) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/auth/dev-token-cli.ts', ...args], { cwd: root, env: { PATH: process.env.PATH, DATA_DIR: await tempDir() } });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(stdout).toBe('');
  });
});

describe('UPSTREAM_URL=... npm start', () => {
  let upstream: Upstream;
  beforeAll(async () => {
    upstream = await startJsonGraphqlServer(clinicData(5));
  });
  afterAll(() => upstream?.close());

  it('proxies the upstream with the annotations file applied', async () => {
    const started = await start({ DATA_DIR: await tempDir(), UPSTREAM_URL: upstream.url, PII_ANNOTATIONS: 'test/fixtures/upstream/annotations.graphql' });
    try {
      const ready = started.logs.map((line) => JSON.parse(line)).find((line) => line.msg === 'upstream ready');
      expect(ready).toMatchObject({ level: 30, upstream: upstream.url, annotatedFields: expect.any(Number) });
      expect(ready.annotatedFields).toBeGreaterThan(0);
      const { data } = await gql(started.url, '{ Patient(id: "1") { id name email age } }');
      expect(data.Patient).toMatchObject({ id: '1', name: expect.stringMatching(/^tok_person_/), email: expect.stringMatching(/^tok_email_/) });
    } finally {
      expect(await stop(started)).toBe(0);
    }
  });

  it('warns at startup, naming the annotations file to write, when no upstream field is @pii', async () => {
    const started = await start({ DATA_DIR: await tempDir(), UPSTREAM_URL: upstream.url });
    try {
      const ready = started.logs.map((line) => JSON.parse(line)).find((line) => line.msg?.startsWith('upstream ready'));
      expect(ready).toMatchObject({ level: 40, annotatedFields: 0 });
      expect(ready.msg).toContain('no field is @pii: its data passes through unchanged. Annotate fields in schema/annotations.graphql');
      const { data } = await gql(started.url, '{ Patient(id: "1") { email } }');
      expect(data.Patient.email).not.toMatch(/^tok_/);
    } finally {
      expect(await stop(started)).toBe(0);
    }
  });

  it('refuses to start when a TEXT annotation names a kind no detector finds; the configured deny list’s kinds count', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'annotations.graphql');
    await writeFile(file, 'type Patient {\n  name: String @pii(kind: "note", strategy: TEXT, text: { kinds: ["person", "codename"] })\n}\n');
    const refused = run({ DATA_DIR: dir, UPSTREAM_URL: upstream.url, PII_ANNOTATIONS: file });
    expect((await once(refused.child, 'exit'))[0]).toBe(1);
    expect(refused.stderr.join('')).toMatch(/Patient\.name: text\.kinds\[1\] is not a kind the detectors find; they find credit_card, date, email, /);
    const started = await start({ DATA_DIR: dir, UPSTREAM_URL: upstream.url, PII_ANNOTATIONS: file, DETECT_DENY: JSON.stringify([{ value: 'Project Falcon', kind: 'codename' }]) });
    expect(await stop(started)).toBe(0);
  });

  it('refuses to start when an annotation names a field the upstream lacks', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'annotations.graphql');
    await writeFile(file, 'type Patient {\n  email: String @pii\n  ssn: String @pii(kind: "ssn")\n}\n');
    const { child, stderr } = run({ DATA_DIR: dir, UPSTREAM_URL: upstream.url, PII_ANNOTATIONS: file });
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(stderr.join('')).toMatch(/annotations\.graphql:3 Patient\.ssn: no such field upstream/);
  });
});
