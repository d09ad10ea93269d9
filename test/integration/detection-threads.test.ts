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

describe('detection threads', () => {
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
});
