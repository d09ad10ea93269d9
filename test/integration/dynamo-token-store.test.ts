import { createServer } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { BatchWriteItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDynamoClient } from '../../src/store/dynamo-client.js';
import { DynamoTokenStore } from '../../src/store/dynamo-token-store.js';
import { StoreUnavailableError, type StoredMapping } from '../../src/store/token-store.js';
import { startTestStore, type TestStore } from '../support/test-store.js';

let t: TestStore;
beforeAll(async () => {
  t = await startTestStore();
});
afterAll(() => t.close());
beforeEach(() => t.resetCounts());

function mapping(tenant: string, n: number, extra: Partial<StoredMapping> = {}): StoredMapping {
  return { tenant, token: `tok_k_${String(n).padStart(24, '0')}`, kind: 'k', ciphertext: Buffer.from([1, n % 256, 3]), createdAt: 1700000000000 + n, ...extra };
}

describe('DynamoTokenStore on dynalite', () => {
  it('writes in batches of 25 and reads in batches of 100, one request each', async () => {
    const items = Array.from({ length: 260 }, (_, n) => mapping('acme', n));
    await t.store.putMany(items);
    expect(t.count('BatchWriteItem')).toBe(Math.ceil(260 / 25));
    const found = await t.store.getMany(items.map(({ tenant, token }) => ({ tenant, token })));
    expect(t.count('BatchGetItem')).toBe(Math.ceil(260 / 100));
    expect(found.map((m) => m && Buffer.from(m.ciphertext).toString('hex'))).toEqual(items.map((m) => Buffer.from(m.ciphertext).toString('hex')));
    expect(found[5]).toMatchObject({ tenant: 'acme', token: items[5]!.token, kind: 'k', createdAt: items[5]!.createdAt });
  });

  it('keys items by tenant: the same token under another tenant is not found', async () => {
    const item = mapping('acme', 1000);
    await t.store.putMany([item]);
    const [mine, theirs] = await t.store.getMany([{ tenant: 'acme', token: item.token }, { tenant: 'globex', token: item.token }]);
    expect(mine?.tenant).toBe('acme');
    expect(theirs).toBeUndefined();
  });

  it('answers duplicates and unknown keys in order', async () => {
    const item = mapping('acme', 2000);
    await t.store.putMany([item, item]);
    const result = await t.store.getMany([{ tenant: 'acme', token: 'tok_k_missing' }, item, item]);
    expect(result.map((m) => m?.token)).toEqual([undefined, item.token, item.token]);
  });

  it("ends a call's deadline with the call: its signal never fires afterwards", async () => {
    const store = new DynamoTokenStore(t.client, 'pii_tokens_test', { deadlineMs: 150 });
    const send = vi.spyOn(t.client, 'send');
    try {
      const item = mapping('acme', 2100);
      await store.putMany([item]);
      await store.getMany([item]);
      await store.ping();
      const signals = send.mock.calls.map(([, options]) => (options as { abortSignal?: AbortSignal } | undefined)?.abortSignal);
      expect(signals).toHaveLength(3);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(signals.map((signal) => signal?.aborted)).toEqual([false, false, false]);
    } finally {
      send.mockRestore();
    }
  });

  it('a batch that fails ends its siblings in flight at once, not at the deadline', async () => {
    const store = new DynamoTokenStore(t.client, 'pii_tokens_test', { deadlineMs: 5000, concurrency: 4 });
    const signals: AbortSignal[] = [];
    // Fault injection: the first batch fails, the others hang until their signal fires.
    const send = vi.spyOn(t.client, 'send').mockImplementation(((_command: unknown, options?: { abortSignal?: AbortSignal }) => {
      const signal = options!.abortSignal!;
      signals.push(signal);
      if (signals.length === 1) return new Promise((_, reject) => setTimeout(() => reject(Object.assign(new Error('failed'), { name: 'InternalServerError' })), 20));
      return new Promise((_, reject) => signal.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }))));
    }) as never);
    try {
      const started = Date.now();
      await expect(store.putMany(Array.from({ length: 100 }, (_, n) => mapping('acme', 3000 + n)))).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(signals).toHaveLength(4);
      expect(signals.map((signal) => signal.aborted)).toEqual([true, true, true, true]);
    } finally {
      send.mockRestore();
    }
  });

  it('treats an expired mapping as gone, since dynalite never deletes it', async () => {
    const now = Date.now();
    const live = mapping('acme', 3000, { expiresAt: Math.floor(now / 1000) + 3600 });
    const expired = mapping('acme', 3001, { expiresAt: Math.floor(now / 1000) - 1 });
    await t.store.putMany([live, expired]);
    const [a, b] = await t.store.getMany([live, expired]);
    expect(a?.expiresAt).toBe(live.expiresAt);
    expect(b).toBeUndefined();
  });

  it('deletes', async () => {
    const item = mapping('acme', 4000);
    await t.store.putMany([item]);
    await t.store.delete([item]);
    expect(await t.store.getMany([item])).toEqual([undefined]);
  });

  it('retries what BatchWriteItem leaves unprocessed, then gives up with StoreUnavailableError', async () => {
    // Fault injection: the real client, except that the first answer claims everything unprocessed.
    let throttled = 1;
    const flaky = {
      send: async (command: BatchWriteItemCommand) => {
        if (command instanceof BatchWriteItemCommand && throttled-- > 0) return { UnprocessedItems: command.input.RequestItems };
        return t.client.send(command);
      },
    } as unknown as DynamoDBClient;
    const store = new DynamoTokenStore(flaky, 'pii_tokens_test', { backoff: { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 } });
    const items = [mapping('acme', 5000), mapping('acme', 5001)];
    await store.putMany(items);
    expect((await t.store.getMany(items)).every(Boolean)).toBe(true);

    throttled = 100;
    await expect(store.putMany([mapping('acme', 5002)])).rejects.toThrow(StoreUnavailableError);
  });

  it('turns an unreachable store into StoreUnavailableError without quoting the request', async () => {
    const down = await startTestStore({ timeoutMs: 500 });
    await down.dynalite.close();
    const error = await down.store.putMany([mapping('acme', 6000, { token: 'tok_k_secretvalue00000000000000' })]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as Error).message).not.toContain('secretvalue');
    down.client.destroy();
  });

  it('ends a store request that hangs past STORE_TIMEOUT_MS (not only at the call deadline), with no console warning', async () => {
    // The SDK's default became a plain-text warning per late request, the request left running.
    const silent = createServer(() => {}).listen(0, '127.0.0.1');
    await once(silent, 'listening');
    const client = createDynamoClient({ region: 'us-east-1', endpoint: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`, timeoutMs: 200 });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const store = new DynamoTokenStore(client, 'pii_tokens_test', { deadlineMs: 30_000 });
      const started = Date.now();
      await expect(store.getMany([{ tenant: 'acme', token: 'tok_k_000000000000000000000001' }])).rejects.toThrow(StoreUnavailableError);
      expect(Date.now() - started).toBeLessThan(15_000); // the SDK's attempts of 200 ms each, far from the 30-s deadline
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
      client.destroy();
      silent.closeAllConnections();
      silent.close();
    }
  });
});
