import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncReadStats } from '../../src/store/dynalite-sync-reads.js';
import { createDynamoClient } from '../../src/store/dynamo-client.js';
import { DynamoTokenStore } from '../../src/store/dynamo-token-store.js';
import { startEmbeddedDynalite } from '../../src/store/embedded-dynalite.js';
import type { StoredMapping } from '../../src/store/token-store.js';
import { ensureTokenTable } from '../../src/store/token-table.js';
import { startTestStore, type TestStore } from '../support/test-store.js';

/** The embedded store reads items with LevelDB's synchronous get; what that must not change. */
const mappings = (count: number, tag: string): StoredMapping[] =>
  Array.from({ length: count }, (_, i) => ({ tenant: 'acme', token: `tok_s_${tag}${i}`, kind: 'email', ciphertext: Uint8Array.of(7, i), createdAt: 1 }));

describe('dynalite in memory, items read synchronously', () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await startTestStore({ table: 'pii_tokens_sync' });
  });
  afterAll(() => store.close());

  it('answers a batch read with every item written before, and nothing for the others', async () => {
    const written = mappings(30, 'a');
    await store.store.putMany(written);
    const before = syncReadStats.reads;
    const read = await store.store.getMany([...written, ...mappings(3, 'never')]);
    expect(read.slice(0, 30).map((mapping) => mapping && [mapping.token, [...mapping.ciphertext]])).toEqual(written.map((mapping) => [mapping.token, [...mapping.ciphertext]]));
    expect(read.slice(30)).toEqual([undefined, undefined, undefined]);
    expect(syncReadStats.reads - before).toBeGreaterThanOrEqual(33);
  });
});

describe('dynalite on LevelDB files, items read synchronously', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'pii-sync-reads-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const open = async () => {
    const dynalite = await startEmbeddedDynalite({ path: dir });
    const client = createDynamoClient({ region: 'us-east-1', endpoint: dynalite.endpoint, timeoutMs: 2000 });
    await ensureTokenTable(client, 'pii_tokens_files');
    return {
      store: new DynamoTokenStore(client, 'pii_tokens_files'),
      close: async () => {
        client.destroy();
        await dynalite.close();
      },
    };
  };

  it('reads what it wrote, and after a restart what it wrote before', async () => {
    const written = mappings(25, 'f');
    const first = await open();
    await first.store.putMany(written);
    let before = syncReadStats.reads;
    expect((await first.store.getMany(written)).map((mapping) => mapping?.token)).toEqual(written.map((mapping) => mapping.token));
    expect(syncReadStats.reads - before).toBeGreaterThanOrEqual(25);
    await first.close();

    const second = await open();
    before = syncReadStats.reads;
    const read = await second.store.getMany([...written, ...mappings(2, 'never')]);
    expect(read.map((mapping) => mapping?.token)).toEqual([...written.map((mapping) => mapping.token), undefined, undefined]);
    expect(syncReadStats.reads - before).toBeGreaterThanOrEqual(27);
    await second.close();
  });
});
