import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateClinic } from '../../src/demo/clinic-data.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';
import { startTestStore, type TestStore } from '../support/test-store.js';

// A large text is scanned on a detection thread: same answer as on the event loop, and small
// requests keep being answered meanwhile.
const QUERY = 'mutation($t: String!) { anonymizeText(text: $t, mode: PLACEHOLDERS) { text mapping spans { kind start end score } } }';
const clinic = generateClinic(200);
const BIG = clinic.patients.map((p) => `${p.notes} Call ${p.phone} or write to ${p.email}. ${p.name} lives at ${p.address.street}, ${p.address.city}.`).join("\n").repeat(2);

let store: TestStore;
let threaded: TestGateway;
let inline: TestGateway;
beforeAll(async () => {
  store = await startTestStore();
  threaded = await startTestGateway(store.store, { detection: { threads: 1, offloadBytes: 1024 } });
  inline = await startTestGateway(store.store, { detection: { threads: 1, offloadBytes: 100 * 1024 * 1024 } });
});
afterAll(async () => {
  await threaded?.close();
  await inline?.close();
  await store?.close();
});

/** Jobs the gateway (the threaded one unless said) has sent to its detection threads, from its /metrics. */
async function threadJobs(recognizers: 'text' | 'patterns', gateway = threaded): Promise<number> {
  const metrics = await (await fetch(gateway.url.replace('/graphql', '/metrics'))).text();
  return Number(new RegExp(`^pii_gateway_detection_thread_jobs_total\\{recognizers="${recognizers}"\\} (\\d+)$`, 'm').exec(metrics)?.[1] ?? 0);
}

describe('detection threads', () => {
  it('take, by default, every text over 4 KiB: 4 KiB of prose is already 50-100 ms of NER', async () => {
    const gateway = await startTestGateway(store.store);
    try {
      const small = BIG.slice(0, 3 * 1024);
      const large = BIG.slice(0, 5 * 1024);
      await gateway.gql(QUERY, { t: small });
      expect(await threadJobs('text', gateway)).toBe(0);
      const { body } = await gateway.gql(QUERY, { t: large });
      expect(body.errors).toBeUndefined();
      expect(await threadJobs('text', gateway)).toBe(1);
    } finally {
      await gateway.close();
    }
  });

  it('give the same answer as detection on the event loop', async () => {
    expect(Buffer.byteLength(BIG)).toBeGreaterThan(64 * 1024);
    const [off, on] = await Promise.all([threaded.gql(QUERY, { t: BIG }), inline.gql(QUERY, { t: BIG })]);
    expect(off.body.errors).toBeUndefined();
    expect(off.body.data).toEqual(on.body.data);
    expect(off.body.data!.anonymizeText.spans.length).toBeGreaterThan(1000);
  });

  it('keep the gateway answering small requests while a large text is scanned', async () => {
    const order: string[] = [];
    const big = threaded.gql(QUERY, { t: BIG }).then(() => order.push('large text'));
    for (let i = 0; i < 5; i++) {
      await threaded.gql('{ patient(id: "p1") { id } }');
      order.push('small');
    }
    await big;
    expect(order.indexOf('large text')).toBe(5);
  });

  it('scan large payloads without rules (anonymize, anonymizeBatch) on a thread too, with the answer of a scan in place', async () => {
    const ANONYMIZE = 'mutation($p: JSON!) { anonymize(payload: $p) { payload tokenized } }';
    const filler = 'Follow-up planned once the results are in, nothing else to report. '.repeat(2);
    const notes = Array.from({ length: 10 }, (_, k) =>
      clinic.patients.map((p) => ({ note: `Reach ${p.name} at ${p.email} or ${p.phone}; card 4242 4242 4242 4242. ${filler}(${k})`, id: p.id })),
    ).flat();
    const payload = { notes };
    // About half a megabyte of strings: most of a second of pattern scanning on the event loop.
    expect(Buffer.byteLength(JSON.stringify(payload))).toBeGreaterThan(400 * 1024);
    const jobs = () => threadJobs('patterns');
    const jobsBefore = await jobs();
    const order: string[] = [];
    const big = threaded.gql(ANONYMIZE, { p: payload }).then((response) => {
      order.push('large payload');
      return response;
    });
    for (let i = 0; i < 3; i++) {
      await threaded.gql('{ patient(id: "p1") { id } }');
      order.push('small');
    }
    const { body } = await big;
    expect(body.errors).toBeUndefined();
    expect(order.indexOf('large payload')).toBe(3);
    expect(await jobs()).toBe(jobsBefore + 1);
    // Each string alone is under the threshold, so scanned in place: the same tokens come back.
    for (const i of [0, 7, 1999]) {
      const alone = await threaded.gql(ANONYMIZE, { p: { note: payload.notes[i]!.note } });
      expect(body.data!.anonymize.payload.notes[i].note).toBe(alone.body.data!.anonymize.payload.note);
    }
    expect(body.data!.anonymize.payload.notes[0].note).toMatch(/^Reach .+ at tok_email_\S+ or tok_phone_\S+; card tok_credit_card_\S+\. Follow-up/);
    const batch = await threaded.gql('mutation($p: [JSON!]!) { anonymizeBatch(payloads: $p) { items { result { payload } } } }', { p: payload.notes.slice(0, 40) });
    expect(batch.body.data!.anonymizeBatch.items.map((item: any) => item.result.payload.note)).toEqual(body.data!.anonymize.payload.notes.slice(0, 40).map((n: any) => n.note));
    expect(await jobs()).toBe(jobsBefore + 2);
  });

  it('find the spans of TEXT rules on a thread when their values are large, with the answer of a scan in place', async () => {
    const jobs = () => threadJobs('text');
    const ANONYMIZE = 'mutation($p: JSON!) { anonymize(payload: $p, rules: [{ path: "visits[*].note", strategy: TEXT }]) { payload } }';
    const visits = clinic.patients.slice(0, 20).map((p) => ({ note: `${p.name} saw Dr. ${p.name.split(' ')[1]} in Paris; call ${p.phone}.`, room: 12 }));
    expect(Buffer.byteLength(visits.map((v) => v.note).join(''))).toBeGreaterThan(1024);
    const before = await jobs();
    const { body } = await threaded.gql(ANONYMIZE, { p: { visits } });
    expect(body.errors).toBeUndefined();
    expect(await jobs()).toBe(before + 1);
    // One visit alone stays under the threshold: scanned in place, same tokens.
    for (const i of [0, 19]) {
      const alone = await threaded.gql(ANONYMIZE, { p: { visits: [visits[i]] } });
      expect(body.data!.anonymize.payload.visits[i]).toEqual(alone.body.data!.anonymize.payload.visits[0]);
    }
    expect(await jobs()).toBe(before + 1);
    expect(body.data!.anonymize.payload.visits[0].note).toMatch(/ in tok_location_\S+; call tok_phone_\S+\.$/);
  });
});
