import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_STORE_CONCURRENCY } from '../../src/store/batch-limits.js';
import { DynamoTokenStore } from '../../src/store/dynamo-token-store.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';
import { startTestStore, type TestStore } from '../support/test-store.js';

// One request with thousands of new values: its batches go to the store in turn, each with its
// whole deadline, instead of all at once (where the last ones passed their deadline queued);
// and other requests' calls do not queue behind them.
let store: TestStore;
let gateway: TestGateway;
let inFlight = 0;
let mostInFlight = 0;
beforeAll(async () => {
  store = await startTestStore();
  store.dynalite.server.on('request', (_request, response) => {
    mostInFlight = Math.max(mostInFlight, ++inFlight);
    response.once('close', () => inFlight--);
  });
  // A short deadline: 160 batches sent at once took the in-process store longer than this.
  gateway = await startTestGateway(new DynamoTokenStore(store.client, 'pii_tokens_test', { deadlineMs: 1000 }));
});
afterAll(async () => {
  await gateway?.close();
  await store?.close();
});

const emails = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `mail ${tag}${i}@example.com`).join('; ');

describe('store calls in turn', () => {
  it('writes and reads 4,000 new values of one request at most STORE_CONCURRENCY calls at a time; every token resolves', async () => {
    const text = emails(4000, 'user');
    mostInFlight = 0;
    const { status, body } = await gateway.gql('mutation($t: String!) { anonymizeText(text: $t, kinds: ["email"]) { text spans { kind } } }', { t: text });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data!.anonymizeText.spans).toHaveLength(4000);
    expect(mostInFlight).toBeLessThanOrEqual(DEFAULT_STORE_CONCURRENCY);
    expect(mostInFlight).toBeGreaterThan(1);
    mostInFlight = 0;
    const back = await gateway.gql('mutation($t: String!) { deanonymizeText(text: $t) { text unresolved } }', { t: body.data!.anonymizeText.text });
    expect(back.body.data!.deanonymizeText).toEqual({ text, unresolved: 0 });
    expect(mostInFlight).toBeLessThanOrEqual(DEFAULT_STORE_CONCURRENCY);
  });

  it('lets a small request through while a large one is being written', async () => {
    const order: string[] = [];
    const large = gateway.gql('mutation($t: String!) { anonymizeText(text: $t, kinds: ["email"]) { spans { kind } } }', { t: emails(4000, 'bulk') }).then(({ status }) => order.push(`large ${status}`));
    // Once the large request's writes are under way, a small one with a new value of its own.
    while (mostInFlight === 0 || inFlight === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const small = await gateway.gql('mutation($p: JSON!) { anonymize(payload: $p, fields: ["e"]) { tokenized } }', { p: { e: 'small.request@example.com' } });
    order.push(`small ${small.status}`);
    await large;
    expect(order).toEqual(['small 200', 'large 200']);
  });
});
