import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_STORE_CONCURRENCY } from '../../src/store/concurrency-limited-store.js';
import { DynamoTokenStore } from '../../src/store/dynamo-token-store.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';
import { startTestStore, type TestStore } from '../support/test-store.js';

// One request with thousands of new values: its batch writes go to the store in turn, each with
// its whole deadline, instead of all at once (where the last ones passed their deadline queued).
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

describe('store calls in turn', () => {
  it('stores 4,000 new values of one request, at most STORE_CONCURRENCY calls at a time, and every token resolves', async () => {
    const text = Array.from({ length: 4000 }, (_, i) => `mail user${i}@example.com`).join('; ');
    mostInFlight = 0;
    const { status, body } = await gateway.gql('mutation($t: String!) { anonymizeText(text: $t, kinds: ["email"]) { text spans { kind } } }', { t: text });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data!.anonymizeText.spans).toHaveLength(4000);
    expect(mostInFlight).toBeLessThanOrEqual(DEFAULT_STORE_CONCURRENCY);
    expect(mostInFlight).toBeGreaterThan(1);
    const back = await gateway.gql('mutation($t: String!) { deanonymizeText(text: $t) { text unresolved } }', { t: body.data!.anonymizeText.text });
    expect(back.body.data!.deanonymizeText).toEqual({ text, unresolved: 0 });
  });
});
