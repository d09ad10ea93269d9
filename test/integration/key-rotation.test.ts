import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rotateKeys, type RotationState } from '../../src/rotation/rotate-keys.js';
import { MasterKeyRing, type MasterKey } from '../../src/tokens/master-key-ring.js';
import { OriginalCipher } from '../../src/tokens/original-cipher.js';
import { TenantKeyring } from '../../src/tokens/tenant-keys.js';
import { TenantSecrets } from '../../src/vault/tenant-secrets.js';
import { removeTempDirs, startGateway, stopGateway, tempDir } from '../support/gateway-process.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';
import { startTestStore, type TestStore } from '../support/test-store.js';

const ANONYMIZE = 'mutation($p: JSON!) { anonymize(payload: $p, fields: ["emails[*]:email"]) { payload } }';
const DEANONYMIZE = 'mutation($p: JSON!) { deanonymize(payload: $p) { payload resolved unresolved } }';
const TABLE = 'pii_tokens_test';

const k1: MasterKey = { id: 'k1', key: randomBytes(32) };
const k2: MasterKey = { id: 'k2', key: randomBytes(32) };
const k3: MasterKey = { id: 'k3', key: randomBytes(32) };
const k4: MasterKey = { id: 'k4', key: randomBytes(32) };
const ring = (...keys: MasterKey[]) => new MasterKeyRing(keys);
const cipherOf = (keys: MasterKeyRing) => new OriginalCipher(new TenantKeyring(keys));
/** The tenants' secrets as the gateways see them (read from the store, created where missing). */
const secrets = () => new TenantSecrets(store.store, 60_000);

let store: TestStore;
const gateways: TestGateway[] = [];
const emails = Array.from({ length: 120 }, (_, i) => `person.${i}@example.com`);
/** tenant -> the tokens of `emails`, written under ring [k1, k2]. */
const tokens = new Map<string, string[]>();

async function gatewayWith(keys: MasterKeyRing): Promise<TestGateway> {
  const gateway = await startTestGateway(store.store, { masterKey: keys, tokenCacheSize: 0 });
  gateways.push(gateway);
  return gateway;
}

async function resolveAll(gateway: TestGateway, tenant: string) {
  const { body } = await gateway.gql(DEANONYMIZE, { p: tokens.get(tenant) }, { tenant });
  return body.data!.deanonymize;
}

/** Which master key sealed each stored item, counted. */
async function sealedBy(keys: MasterKeyRing): Promise<Record<string, number>> {
  const items = (await store.client.send(new ScanCommand({ TableName: TABLE }))).Items ?? [];
  const counts: Record<string, number> = {};
  for (const item of items) {
    if (!item.ct) continue; // a tenant's key record
    const id = cipherOf(keys).keyIdOf(item.ct!.B!) ?? 'none';
    counts[id] = (counts[id] ?? 0) + 1;
  }
  return counts;
}

beforeAll(async () => {
  store = await startTestStore();
  const writer = await gatewayWith(ring(k1, k2));
  for (const tenant of ['acme', 'globex']) {
    const { body } = await writer.gql(ANONYMIZE, { p: { emails } }, { tenant });
    tokens.set(tenant, body.data!.anonymize.payload.emails);
  }
});
afterAll(async () => {
  for (const gateway of gateways) await gateway.close();
  await store?.close();
  await removeTempDirs();
});

describe('key rotation', () => {
  it('keeps tokens when a key is added, and reads what older keys sealed', async () => {
    expect(await sealedBy(ring(k1, k2))).toEqual({ k2: 240 });
    const rotated = await gatewayWith(ring(k1, k2, k3));
    const again = await rotated.gql(ANONYMIZE, { p: { emails: emails.slice(0, 3) } }, { tenant: 'acme' });
    expect(again.body.data!.anonymize.payload.emails).toEqual(tokens.get('acme')!.slice(0, 3));
    expect(await resolveAll(rotated, 'globex')).toMatchObject({ resolved: 120, unresolved: 0 });
  });

  it('re-encrypts every mapping under the newest key, resumably, after which the old encryption key can go', async () => {
    const keys = ring(k1, k2, k3);
    const pages: RotationState[] = [];
    const stop = new AbortController();
    // First run: stopped after its first page, as by Ctrl-C.
    const first = await rotateKeys({
      store: store.store,
      cipher: cipherOf(keys),
      secrets: secrets(),
      pageSize: 50,
      signal: stop.signal,
      onPage: (state) => {
        pages.push(structuredClone(state));
        stop.abort();
      },
    });
    expect(first).toMatchObject({ done: false, targetKey: 'k3' });
    // A page is 50 items of the table; the two tenants' key records may be among them.
    expect(first.scanned).toBeGreaterThanOrEqual(48);
    expect(first.scanned).toBeLessThanOrEqual(50);
    expect(first.cursor).toBeDefined();
    // Second run resumes at the saved cursor: the first page is not scanned again.
    const second = await rotateKeys({ store: store.store, cipher: cipherOf(keys), secrets: secrets(), pageSize: 50, resume: first, onPage: (state) => void pages.push(structuredClone(state)) });
    expect(second.done).toBe(true);
    expect(second.scanned).toBe(240);
    // Three mappings were rewritten under k3 by the previous test's gateway; the rest were swapped.
    expect(second.reencrypted + second.current).toBe(240);
    expect(second.current).toBe(3);
    expect(second).toMatchObject({ changedMeanwhile: 0, expired: 0, unreadable: {} });
    expect(pages.map((page) => page.scanned)).toHaveLength(5);
    expect(pages.map((page) => page.scanned).at(-1)).toBe(240);
    expect(await sealedBy(keys)).toEqual({ k3: 240 });

    // k2 now seals nothing: a ring without it reads everything.
    const withoutK2 = await gatewayWith(ring(k1, k3));
    for (const tenant of ['acme', 'globex']) expect(await resolveAll(withoutK2, tenant)).toMatchObject({ resolved: 120, unresolved: 0 });
    // And a second pass finds nothing to do.
    const idle = await rotateKeys({ store: store.store, cipher: cipherOf(keys), secrets: secrets() });
    expect(idle).toMatchObject({ done: true, scanned: 240, current: 240, reencrypted: 0 });
  });

  it('never recreates an erased mapping nor overwrites a rewritten one, and counts what it cannot read', async () => {
    const keys = ring(k1, k3);
    const [erased, rewritten] = [{ tenant: 'acme', token: tokens.get('acme')![0]! }, { tenant: 'acme', token: tokens.get('acme')![1]! }];
    const [erasedItem, rewrittenItem] = await store.store.getMany([erased, rewritten]);
    await store.store.delete([erased]);
    const acme = await secrets().forWrite('acme');
    await store.store.putMany([{ ...rewrittenItem!, ciphertext: cipherOf(keys).encrypt('acme', rewritten.token, '"rewritten@example.com"', acme) }]);
    const next = cipherOf(keys).encrypt('acme', erased.token, '"x"', acme);
    expect(await store.store.replaceCiphertext(erased, erasedItem!.ciphertext, next)).toBe(false);
    expect(await store.store.replaceCiphertext(rewritten, rewrittenItem!.ciphertext, next)).toBe(false);
    expect(await store.store.getMany([erased, rewritten])).toEqual([undefined, expect.objectContaining({ tenant: 'acme' })]);
    expect(cipherOf(keys).decrypt('acme', rewritten.token, (await store.store.getMany([rewritten]))[0]!.ciphertext, await secrets().forRead('acme'))).toBe('"rewritten@example.com"');

    // A mapping sealed under a key that has left the ring is counted, not touched (its id, a
    // valid one, is also the name of an Object.prototype member: counted all the same).
    const lost = { id: 'constructor', key: randomBytes(32) };
    await store.store.putMany([{ tenant: 'acme', token: 'tok_email_lostlostlostlostlostlost', kind: 'email', ciphertext: cipherOf(ring(k1, lost)).encrypt('acme', 'tok_email_lostlostlostlostlostlost', '"x"', acme), createdAt: Date.now() }]);
    const state = await rotateKeys({ store: store.store, cipher: cipherOf(ring(k1, k3, k4)), secrets: secrets() });
    expect(state).toMatchObject({ done: true, scanned: 240, reencrypted: 239, unreadable: { constructor: 1 } });
  });

  it('runs as `npm run rotate-keys` with the gateway configuration, saving its progress', async () => {
    const dataDir = await tempDir();
    const keyring = [k1, k4, { id: 'k5', key: randomBytes(32) }].map(({ id, key }) => `${id}:${key.toString('base64')}`).join(',');
    const run = promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/rotation/rotate-keys-cli.ts', '--page-size', '100'], {
      cwd: path.resolve(import.meta.dirname, '../..'),
      env: { PATH: process.env.PATH, DATA_DIR: dataDir, DYNAMODB_ENDPOINT: store.dynalite.endpoint, TOKEN_TABLE: TABLE, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x', PII_MASTER_KEYS: keyring },
    });
    const { stdout } = await run;
    const lines = stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line));
    const progress = lines.filter((line) => line.msg === 'key rotation progress').map((line) => line.scanned);
    expect(progress).toHaveLength(3);
    expect(progress.at(-1)).toBe(240);
    expect(lines.at(-1)).toMatchObject({ msg: 'key rotation done: every readable mapping is under key "k5"', reencrypted: 239, unreadable: { constructor: 1 } });
    const state = JSON.parse(await readFile(path.join(dataDir, 'rotate-keys.state.json'), 'utf8'));
    expect(state).toMatchObject({ done: true, targetKey: 'k5', scanned: 240 });
    for (const { key } of [k1, k4]) expect(stdout).not.toContain(key.toString('base64'));
  });

  it('says to stop the gateway when `npm start` holds the embedded store, and leaves it running', async () => {
    const dataDir = await tempDir();
    const key = randomBytes(32).toString('base64');
    const gateway = await startGateway({ DATA_DIR: dataDir, PII_MASTER_KEY: key });
    const run = promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/rotation/rotate-keys-cli.ts'], {
      cwd: path.resolve(import.meta.dirname, '../..'),
      env: { PATH: process.env.PATH, DATA_DIR: dataDir, PII_MASTER_KEY: key },
    });
    const failure = await run.then(() => undefined, (error: { code: number; stdout: string }) => error);
    expect(failure?.code).toBe(1);
    expect(failure?.stdout).toContain(`could not open the embedded store in ${path.join(dataDir, 'dynamo')}: stop the gateway that uses it (npm start) and run again`);
    const answer = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ patient(id: "p1") { email } }' }) });
    expect(((await answer.json()) as any).data.patient.email).toMatch(/^tok_email_/);
    expect(await stopGateway(gateway)).toBe(0);
  });

  it('says what to do when the embedded store cannot be opened', async () => {
    const dataDir = await tempDir();
    await mkdir(path.join(dataDir, 'dynamo'));
    await writeFile(path.join(dataDir, 'dynamo', 'CURRENT'), 'not a LevelDB manifest name\n');
    const run = promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/rotation/rotate-keys-cli.ts'], {
      cwd: path.resolve(import.meta.dirname, '../..'),
      env: { PATH: process.env.PATH, DATA_DIR: dataDir, PII_MASTER_KEY: randomBytes(32).toString('base64') },
    });
    const failure = await run.then(() => undefined, (error: { code: number; stdout: string }) => error);
    expect(failure?.code).toBe(1);
    expect(failure?.stdout).toContain(`The embedded store's files in ${path.join(dataDir, 'dynamo')} cannot be opened (`);
  });

  it('refuses to run without a master key rather than generating one', async () => {
    const dataDir = await tempDir();
    const run = promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/rotation/rotate-keys-cli.ts'], {
      cwd: path.resolve(import.meta.dirname, '../..'),
      env: { PATH: process.env.PATH, DATA_DIR: dataDir, DYNAMODB_ENDPOINT: store.dynalite.endpoint, TOKEN_TABLE: TABLE, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x' },
    });
    const failure = await run.then(() => undefined, (error: { code: number; stdout: string }) => error);
    expect(failure?.code).toBe(1);
    expect(failure?.stdout).toContain('no master key: set PII_MASTER_KEYS or PII_MASTER_KEY');
    await expect(readFile(path.join(dataDir, 'master.key'))).rejects.toThrow();
  });
});
