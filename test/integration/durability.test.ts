import { BatchWriteItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoTokenStore } from '../../src/store/dynamo-token-store.js';
import { useGateway } from '../support/gateway-fixture.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';
import { startTestStore, type TestStore } from '../support/test-store.js';

const DEANONYMIZE = 'mutation($p: JSON!) { deanonymize(payload: $p) { payload resolved unresolved } }';

function expectStoreUnavailable(response: { status: number; text: string; body: any }) {
  expect(response.status).toBe(503);
  expect(response.body.data).toBeUndefined();
  expect(response.body.errors).toEqual([{ message: expect.stringMatching(/token store is unavailable/), extensions: { code: 'STORE_UNAVAILABLE' } }]);
  expect(response.text).not.toMatch(/tok_/);
}

describe('invariant 1: no token leaves unless its mapping is stored', () => {
  const t = useGateway();

  it('fails the whole request with STORE_UNAVAILABLE when the write fails, then recovers', async () => {
    const query = '{ patients(first: 5) { id name email } }';
    t.faulty.failWrites = true;
    expectStoreUnavailable(await t.gateway.gql(query));
    const mutation = await t.gateway.gql('mutation { anonymize(payload: {e: "gus@example.com"}, fields: ["e"]) { payload } }');
    expectStoreUnavailable(mutation);
    expect(mutation.text).not.toContain('gus@example.com');

    t.faulty.failWrites = false;
    const ok = await t.gateway.gql(query);
    expect(ok.status).toBe(200);
    const restored = await t.gateway.gql(DEANONYMIZE, { p: ok.body.data!.patients });
    expect(restored.body.data!.deanonymize.unresolved).toBe(0);
    expect(restored.body.data!.deanonymize.resolved).toBe(10);
  });

  it('answers /readyz with the store’s state, and /healthz regardless', async () => {
    const readyz = () => fetch(t.gateway.url.replace('/graphql', '/readyz')).then(async (r) => ({ status: r.status, body: await r.json() }));
    expect(await readyz()).toEqual({ status: 200, body: { status: 'ready', checks: { store: 'ok' } } });
    t.faulty.failReads = true;
    expect(await readyz()).toEqual({ status: 503, body: { status: 'not ready', checks: { store: 'unavailable' } } });
    expect((await fetch(t.gateway.url.replace('/graphql', '/healthz'))).status).toBe(200);
    t.faulty.failReads = false;
  });

  it('fails deanonymize with STORE_UNAVAILABLE when reads fail', async () => {
    const { body } = await t.gateway.gql('{ patient(id: "p9") { email } }');
    t.faulty.failReads = true;
    const response = await t.gateway.gql(DEANONYMIZE, { p: [body.data!.patient.email] });
    t.faulty.failReads = false;
    expect(response.status).toBe(503);
    expect(response.body.errors?.[0]).toMatchObject({ message: expect.stringMatching(/could not be resolved/), extensions: { code: 'STORE_UNAVAILABLE' } });
    expect(response.body.data).toBeNull();
  });
});

describe('a store that fails mid-request', () => {
  it('returns no token even though earlier batches of the same request were written', async () => {
    const store = await startTestStore();
    let batches = 0;
    let running = 0;
    // Fault injection: the real client, except that the third BatchWriteItem of the run fails.
    const client = {
      send: async (command: BatchWriteItemCommand) => {
        if (command instanceof BatchWriteItemCommand && ++batches === 3) throw Object.assign(new Error('connection reset'), { name: 'TimeoutError' });
        running++;
        try {
          return await store.client.send(command);
        } finally {
          running--;
        }
      },
    } as unknown as DynamoDBClient;
    const gateway = await startTestGateway(new DynamoTokenStore(client, 'pii_tokens_test', { concurrency: 1 }));
    try {
      try {
        const response = await gateway.gql('{ patients(first: 200) { name email phone } }');
        expect(batches).toBeGreaterThanOrEqual(3);
        expectStoreUnavailable(response);
        const line = gateway.logs.lines.map((l) => JSON.parse(l)).find((l) => l.msg?.includes('response withheld'));
        expect(line).toMatchObject({ error: 'StoreUnavailableError' });
      } finally {
        await gateway.close();
      }
      // The request's other batches were still queued when it failed: stopping the gateway
      // waited for them, so the store is not closed under a write.
      expect(running).toBe(0);
      expect(batches).toBe(24);
    } finally {
      await store.close();
    }
  });
});

describe('a store that is down for real', () => {
  let store: TestStore;
  let gateway: TestGateway;
  beforeAll(async () => {
    store = await startTestStore({ timeoutMs: 500 });
    gateway = await startTestGateway(store.store);
  });
  afterAll(async () => {
    await gateway.close();
    store.client.destroy();
  });

  it('serves values whose tokens are already stored, and refuses new ones and reads', async () => {
    const known = await gateway.gql('{ patient(id: "p1") { name } }');
    expect(known.status).toBe(200);
    await store.dynalite.close();

    const again = await gateway.gql('{ patient(id: "p1") { name } }');
    expect(again.body.data).toEqual(known.body.data);

    expectStoreUnavailable(await gateway.gql('{ patient(id: "p2") { name } }'));
    const read = await gateway.gql(DEANONYMIZE, { p: known.body.data!.patient.name });
    expect(read.body.errors?.[0]?.extensions?.code).toBe('STORE_UNAVAILABLE');
  });
});
