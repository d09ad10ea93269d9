import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CircuitBreakingStore } from '../../src/store/circuit-breaking-store.js';
import { createDynamoClient } from '../../src/store/dynamo-client.js';
import { DynamoTokenStore } from '../../src/store/dynamo-token-store.js';
import { startDynamoFaultProxy, type DynamoFaultProxy, type StoreFault } from '../support/dynamo-fault-proxy.js';
import { startTestGateway, type GraphQLResponse, type TestGateway } from '../support/test-gateway.js';
import { startTestStore, type TestStore } from '../support/test-store.js';

// The gateway's real DynamoDB client talks to dynalite through a fault-injecting proxy. Under
// every fault each request must either succeed with all its tokens stored or fail with
// STORE_UNAVAILABLE and no token; afterwards every token a client ever received must resolve.
const TOKEN = /tok_[a-z0-9_]+?_[A-Za-z0-9_-]{24}/g;
const DEADLINE_MS = 3000;
const COOLDOWN_MS = 1000;

const masterKey = randomBytes(32);
let dynalite: TestStore;
let proxy: DynamoFaultProxy;
let client: ReturnType<typeof createDynamoClient>;
let breaker: CircuitBreakingStore;
let gateway: TestGateway;
const received = new Set<string>();
const circuitChanges: { state: string; reason: string | undefined }[] = [];
let run = 0;

beforeAll(async () => {
  dynalite = await startTestStore();
  proxy = await startDynamoFaultProxy(dynalite.dynalite.endpoint);
  client = createDynamoClient({ region: 'us-east-1', endpoint: proxy.endpoint, timeoutMs: 1000 });
  const store = new DynamoTokenStore(client, 'pii_tokens_test', { deadlineMs: DEADLINE_MS, backoff: { attempts: 6, baseDelayMs: 10, maxDelayMs: 100 } });
  breaker = new CircuitBreakingStore(store, { failures: 5, cooldownMs: COOLDOWN_MS }, (state, reason) => circuitChanges.push({ state, reason }));
  // A small token cache, so most requests have new values to write.
  gateway = await startTestGateway(breaker, { masterKey, tokenCacheSize: 10 });
});
afterAll(async () => {
  await gateway?.close();
  client?.destroy();
  await proxy?.close();
  await dynalite?.close();
});

/** A burst of write-heavy requests: anonymize with new values, and demo pages not read before. */
async function burst(size: number): Promise<GraphQLResponse[]> {
  run++;
  return Promise.all(
    Array.from({ length: size }, (_, i) =>
      i % 2 === 0
        ? gateway.gql('mutation($p: JSON!) { anonymize(payload: $p, fields: ["[*].email", "[*].name:person"]) { payload } }', {
            p: Array.from({ length: 30 }, (_, k) => ({ email: `run${run}.req${i}.n${k}@example.com`, name: `Person ${run} ${i} ${k}` })),
          })
        : gateway.gql(`{ patients(first: 15, offset: ${(run * 97 + i * 15) % 4900}) { name email phone } }`),
    ),
  );
}

/** Each answer is a full success with tokens, or STORE_UNAVAILABLE with none. */
function tally(responses: GraphQLResponse[]): { ok: number; refused: number } {
  let ok = 0;
  for (const response of responses) {
    if (response.status === 200 && !response.body.errors) {
      const tokens = response.text.match(TOKEN) ?? [];
      expect(tokens.length).toBeGreaterThan(0);
      for (const token of tokens) received.add(token);
      ok++;
    } else {
      expect(response.status).toBe(503);
      expect(response.body.errors!.map((e) => e.extensions?.code)).toEqual(['STORE_UNAVAILABLE']);
      expect(response.text).not.toMatch(TOKEN);
    }
  }
  return { ok, refused: responses.length - ok };
}

async function healthy(): Promise<void> {
  proxy.fault = 'none';
  await sleep(COOLDOWN_MS + 50);
}

describe('store faults: nothing lost', () => {
  it.each<[StoreFault, (r: { ok: number; refused: number }) => void]>([
    ['slow', (r) => expect(r.refused).toBe(0)],
    ['throttle', (r) => expect(r.ok).toBeGreaterThan(0)],
    ['unprocessed', (r) => expect(r.refused).toBe(0)],
    ['flapping', () => {}],
    ['failing', (r) => expect(r.ok).toBe(0)],
  ])('%s store: every request succeeds whole or fails with STORE_UNAVAILABLE', async (fault, expectation) => {
    await healthy();
    proxy.fault = fault;
    const result = tally(await burst(16));
    expectation(result);
    await healthy();
    // The gateway serves again once the fault is gone.
    expect(tally(await burst(4))).toEqual({ ok: 4, refused: 0 });
  });

  it('a request outlives no deadline: a store that hangs fails it with STORE_UNAVAILABLE', async () => {
    await healthy();
    proxy.fault = 'slow';
    proxy.delayMs = 30_000;
    const started = Date.now();
    const [response] = await burst(1);
    // Bounded by the 3 s deadline, nowhere near the 30 s the store would take.
    expect(Date.now() - started).toBeLessThan(10_000);
    tally([response!]);
    expect(response!.status).toBe(503);
    proxy.delayMs = 200;
  });

  it('the circuit opens on a dead store: requests fail at once without calling it, then it closes', async () => {
    await healthy();
    proxy.fault = 'failing';
    for (let i = 0; i < 5 && breaker.state !== 'open'; i++) tally(await burst(1));
    expect(breaker.state).toBe('open');
    // A batch cancelled when its sibling failed may still be landing; let it, then count.
    await sleep(100);
    const callsWhileOpen = proxy.total();
    tally(await burst(6));
    expect(proxy.total()).toBe(callsWhileOpen);
    expect(gateway.logs.text()).not.toMatch(TOKEN);

    proxy.fault = 'none';
    await sleep(COOLDOWN_MS + 50);
    expect(tally(await burst(1))).toEqual({ ok: 1, refused: 0 });
    expect(breaker.state).toBe('closed');
    // Opening says why (for the log line), in the gateway's own words; closing needs no reason.
    const opened = circuitChanges.find((change) => change.state === 'open');
    expect(opened?.reason).toMatch(/^the token store (failed: \w+|.* after \d+ attempts)/);
    expect(circuitChanges.at(-1)).toEqual({ state: 'closed', reason: undefined });
  });

  it('every token ever returned resolves, read straight from the store by a fresh gateway', async () => {
    expect(received.size).toBeGreaterThan(500);
    const fresh = await startTestGateway(dynalite.store, { masterKey, tokenCacheSize: 0 });
    try {
      const tokens = [...received];
      for (let i = 0; i < tokens.length; i += 2000) {
        const { body } = await fresh.gql('mutation($p: JSON!) { deanonymize(payload: $p) { resolved unresolved } }', { p: tokens.slice(i, i + 2000) });
        expect(body.data!.deanonymize).toEqual({ resolved: Math.min(2000, tokens.length - i), unresolved: 0 });
      }
    } finally {
      await fresh.close();
    }
  });
});
