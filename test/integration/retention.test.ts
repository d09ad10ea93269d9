import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RetentionPolicy } from '../../src/retention/retention-policy.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';
import { startTestStore, type TestStore } from '../support/test-store.js';

// Mappings of kind `email` live 2 s, others forever; against dynalite, which never deletes
// expired items itself, so the expiry on read is what is tested.
const ANONYMIZE = 'mutation($p: JSON!) { anonymize(payload: $p, fields: ["e:email", "n:person"]) { payload } }';
const DEANONYMIZE = 'mutation($p: JSON!) { deanonymize(payload: $p) { payload resolved unresolved } }';

let store: TestStore;
let gateway: TestGateway;
beforeAll(async () => {
  store = await startTestStore();
  gateway = await startTestGateway(store.store, { retention: new RetentionPolicy(undefined, new Map([['email', 2]])) });
});
afterAll(async () => {
  await gateway?.close();
  await store?.close();
});

describe('retention', () => {
  it('writes expiresAt for kinds with a TTL, and treats an expired mapping as gone', async () => {
    const before = Date.now();
    const { body } = await gateway.gql(ANONYMIZE, { p: { e: 'short.lived@example.com', n: 'Kept Forever' } });
    const after = Date.now();
    const tokens = body.data!.anonymize.payload;
    const items = ((await store.client.send(new ScanCommand({ TableName: 'pii_tokens_test' }))).Items ?? []).filter((item) => item.ct); // not the tenant's key record
    const byKind = Object.fromEntries(items.map((item) => [item.kind!.S!, item.expiresAt?.N]));
    // Written some time during the call, TTL 2 s, rounded up to the second.
    expect(Number(byKind.email)).toBeGreaterThanOrEqual(Math.ceil(before / 1000) + 2);
    expect(Number(byKind.email)).toBeLessThanOrEqual(Math.ceil(after / 1000) + 2);
    expect(byKind.person).toBeUndefined();

    expect((await gateway.gql(DEANONYMIZE, { p: tokens })).body.data!.deanonymize.resolved).toBe(2);
    await sleep(3100);
    const later = await gateway.gql(DEANONYMIZE, { p: tokens });
    expect(later.body.data!.deanonymize).toEqual({ payload: { e: tokens.e, n: 'Kept Forever' }, resolved: 1, unresolved: 1 });
  });

  it('renews the expiry of a value tokenized again after half its TTL', async () => {
    const payload = { p: { e: 'renewed@example.com', n: 'Someone' } };
    const first = await gateway.gql(ANONYMIZE, payload);
    const token = first.body.data!.anonymize.payload.e;
    await sleep(1300); // past half the TTL: the token cache has let go, so this writes again
    store.resetCounts();
    const again = await gateway.gql(ANONYMIZE, payload);
    expect(again.body.data!.anonymize.payload.e).toBe(token);
    expect(store.count('BatchWriteItem')).toBe(1);
    await sleep(1300); // 2.6 s after the first write, 1.3 s after the renewal
    expect((await gateway.gql(DEANONYMIZE, { p: [token] })).body.data!.deanonymize).toMatchObject({ resolved: 1, unresolved: 0 });
  });
});
