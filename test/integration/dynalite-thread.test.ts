import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDynamoClient } from '../../src/store/dynamo-client.js';
import { DynamoTokenStore } from '../../src/store/dynamo-token-store.js';
import { startDynaliteThread, type DynaliteThread } from '../../src/store/dynalite-thread.js';
import { ensureTokenTable } from '../../src/store/token-table.js';
import { StoreUnavailableError, type StoredMapping } from '../../src/store/token-store.js';

// `npm start`'s store: dynalite on LevelDB files in a thread of its own, which also runs the
// request path's token store, calling dynalite in-process (DynaliteDirectClient); the gateway
// calls that store over a MessagePort (PortTokenStore).
const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

async function startThread(table: string, deadlineMs = 2000): Promise<DynaliteThread> {
  const dir = await mkdtemp(path.join(tmpdir(), 'pii-dynalite-thread-'));
  dirs.push(dir);
  return startDynaliteThread({ path: path.join(dir, 'dynamo'), store: { table, region: 'us-east-1', timeoutMs: 2000, deadlineMs } });
}

const mapping = (i: number, extra: Partial<StoredMapping> = {}): StoredMapping => ({
  tenant: 't1',
  token: `tok_email_${String(i).padStart(24, '0')}`,
  kind: 'email',
  ciphertext: Uint8Array.from([i % 256, (i * 7) % 256, 0, 255]),
  createdAt: 1_700_000_000_000 + i,
  ...extra,
});

describe('the embedded store thread', () => {
  it('runs every TokenStore call on the table the loopback endpoint serves', async () => {
    const thread = await startThread('pii_tokens_thread');
    const client = createDynamoClient({ region: 'us-east-1', endpoint: thread.endpoint, timeoutMs: 2000 });
    try {
      await ensureTokenTable(client, 'pii_tokens_thread');
      const store = thread.store;
      await store.ping();

      // More than one BatchWriteItem (25) and BatchGetItem (100) each; byte ciphertexts intact.
      const written = Array.from({ length: 260 }, (_, i) => mapping(i));
      const expired = mapping(999, { expiresAt: Math.floor(Date.now() / 1000) - 60 });
      await store.putMany([...written, expired]);
      const keys = [...written, expired, mapping(5000)].map(({ tenant, token }) => ({ tenant, token }));
      const read = await store.getMany(keys);
      expect(read.slice(0, 260)).toEqual(written);
      expect(read[0]!.ciphertext).toBeInstanceOf(Uint8Array);
      expect(read.slice(260)).toEqual([undefined, undefined]); // expired, never written

      // The same items over HTTP, from a client on this thread.
      const overHttp = new DynamoTokenStore(client, 'pii_tokens_thread');
      expect(await overHttp.getMany(keys.slice(0, 3))).toEqual(written.slice(0, 3));

      await store.delete(keys.slice(0, 10));
      expect((await store.getMany(keys.slice(0, 11))).map((found) => found?.token)).toEqual([...Array(10).fill(undefined), written[10]!.token]);

      const record = { id: 'k1', secret: new Uint8Array(32).fill(7), legacyReadable: false };
      expect(await store.getTenantKey('t1')).toBeUndefined();
      expect(await store.swapTenantKey('t1', undefined, record)).toBe(true);
      expect(await store.swapTenantKey('t1', undefined, { ...record, id: 'k2' })).toBe(false);
      expect(await store.getTenantKey('t1')).toEqual(record);
    } finally {
      client.destroy();
      await thread.close();
    }
  });

  it("reports the store's failures as StoreUnavailableError, with the gateway's own message", async () => {
    const thread = await startThread('pii_tokens_never_created');
    try {
      const failure = await thread.store.ping().catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(StoreUnavailableError);
      expect((failure as Error).message).toBe('the token table pii_tokens_never_created does not exist (create it, or let the gateway: TOKEN_TABLE_CREATE=true)');
      expect(((failure as Error).cause as Error).name).toBe('ResourceNotFoundException');
    } finally {
      await thread.close();
    }
  });

  it('fails calls with StoreUnavailableError once closed', async () => {
    const thread = await startThread('pii_tokens_closed');
    await thread.close();
    await expect(thread.store.getMany([{ tenant: 't1', token: 'tok_email_x' }])).rejects.toThrow(new StoreUnavailableError('the token store thread stopped'));
  });
});
