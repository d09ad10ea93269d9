import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateClinic } from '../../src/demo/clinic-data.js';
import { startJsonGraphqlServer, type Upstream } from '../support/json-graphql-upstream.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';
import { startTestStore, type TestStore } from '../support/test-store.js';

// @pii(strategy: TEXT) fields of a query: a page of notes is one detection batch, scanned on a
// detection thread when it is large (both execution paths), with the answer of a scan in place.
const ANNOTATIONS = 'type Patient { notes: String @pii(kind: "note", strategy: TEXT) }';
const clinic = generateClinic(400);
const patients = clinic.patients.map((p, i) => ({ id: i + 1, notes: `${p.notes} ${p.name} moved to ${p.address.city}; call ${p.phone}.` }));
const PAGE = '{ allPatients(sortField: "id") { id notes } }';
// A field of the gateway's own (introspection) sends the operation down the general path.
const PAGE_GENERAL_PATH = '{ allPatients(sortField: "id") { id notes } __schema { queryType { name } } }';

let dir: string;
let upstream: Upstream;
let store: TestStore;
let threaded: TestGateway;
let inline: TestGateway;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'pii-text-fields-'));
  const annotationsFile = path.join(dir, 'annotations.graphql');
  await writeFile(annotationsFile, ANNOTATIONS);
  upstream = await startJsonGraphqlServer({ patients });
  store = await startTestStore();
  const options = {
    masterKey: randomBytes(32),
    upstream: { url: upstream.url, sdlFile: undefined, headers: {}, forwardHeaders: [], timeoutMs: 10_000, annotationsFile, annotationsFileRequired: true, errorMessages: 'hide' as const },
  };
  threaded = await startTestGateway(store.store, { ...options, detection: { threads: 1, offloadBytes: 4 * 1024 } });
  inline = await startTestGateway(store.store, { ...options, detection: { threads: 1, offloadBytes: 100 * 1024 * 1024 } });
});
afterAll(async () => {
  await threaded?.close();
  await inline?.close();
  await store?.close();
  await upstream?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function textJobs(): Promise<number> {
  const metrics = await (await fetch(threaded.url.replace('/graphql', '/metrics'))).text();
  return Number(/^pii_gateway_detection_thread_jobs_total\{recognizers="text"\} (\d+)$/m.exec(metrics)?.[1] ?? 0);
}

describe('TEXT fields of a query', () => {
  it.each([
    ['the passthrough', PAGE],
    ['the general path', PAGE_GENERAL_PATH],
  ])('are detected on a thread as one batch when the page is large (%s), with the answer of a scan in place', async (_, query) => {
    expect(Buffer.byteLength(patients.map((p) => p.notes).join(''))).toBeGreaterThan(40 * 1024);
    const before = await textJobs();
    const [off, on] = await Promise.all([threaded.gql(query), inline.gql(query)]);
    expect(off.body.errors).toBeUndefined();
    expect(await textJobs()).toBe(before + 1);
    expect(off.body.data!.allPatients).toEqual(on.body.data!.allPatients);
    const first = off.body.data!.allPatients[0].notes as string;
    expect(first).toMatch(/ was seen by .*tok_(person|organization)_.*; call tok_phone_[\w-]+\.$/);
    expect(first).not.toContain(clinic.patients[0]!.phone);
    expect(first).not.toContain(clinic.patients[0]!.email);
  });

  it('leave a small page on the event loop (no thread hop) and keep small requests answered while a large one is scanned', async () => {
    const before = await textJobs();
    const one = await threaded.gql('{ Patient(id: 1) { id notes } }');
    expect(one.body.errors).toBeUndefined();
    expect(await textJobs()).toBe(before);
    const order: string[] = [];
    const big = threaded.gql(PAGE).then(() => order.push('page of notes'));
    for (let i = 0; i < 3; i++) {
      await threaded.gql('{ Patient(id: 2) { id } }');
      order.push('small');
    }
    await big;
    expect(order.indexOf('page of notes')).toBe(3);
  });
});
