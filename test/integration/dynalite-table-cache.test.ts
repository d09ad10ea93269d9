import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableCacheStats } from '../../src/store/dynalite-table-cache.js';
import type { StoredMapping } from '../../src/store/token-store.js';
import { ensureTokenTable } from '../../src/store/token-table.js';
import { startTestStore, type TestStore } from '../support/test-store.js';

/** The embedded store keeps table descriptions in memory; what that must not change. */
let store: TestStore;
beforeAll(async () => {
  store = await startTestStore({ table: 'pii_tokens_cache' });
});
afterAll(() => store.close());

const mappings = (count: number, tag: string): StoredMapping[] =>
  Array.from({ length: count }, (_, i) => ({ tenant: 'acme', token: `tok_t_${tag}${i}`, kind: 'email', ciphertext: Uint8Array.of(1, 2, i), createdAt: 1 }));

describe('dynalite with its table descriptions cached', () => {
  it('reads a table description from LevelDB once, not once per item', async () => {
    const written = mappings(60, 'a');
    await store.store.putMany(written);
    const before = { ...tableCacheStats };
    const read = await store.store.getMany(written);
    expect(read.map((mapping) => mapping?.token)).toEqual(written.map((mapping) => mapping.token));
    expect(tableCacheStats.reads - before.reads).toBeLessThanOrEqual(1);
    expect(tableCacheStats.hits - before.hits).toBeGreaterThanOrEqual(59);
  });

  it('forgets a deleted table: its items are gone, and a new table of that name works', async () => {
    const old = mappings(5, 'b');
    await store.store.putMany(old);
    await store.client.send(new DeleteTableCommand({ TableName: 'pii_tokens_cache' }));
    await expect(store.store.getMany(old)).rejects.toThrow(/the token table pii_tokens_cache does not exist/);
    await ensureTokenTable(store.client, 'pii_tokens_cache');
    expect(await store.store.getMany(old)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    const fresh = mappings(3, 'c');
    await store.store.putMany(fresh);
    expect((await store.store.getMany(fresh)).map((mapping) => mapping?.token)).toEqual(fresh.map((mapping) => mapping.token));
  });
});
