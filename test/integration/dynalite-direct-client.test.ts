import type { RequestListener } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynaliteDirectClient } from '../../src/store/dynalite-direct-client.js';
import { DynamoTokenStore } from '../../src/store/dynamo-token-store.js';
import type { StoredMapping } from '../../src/store/token-store.js';
import { startTestStore, type TestStore } from '../support/test-store.js';

// The contract: the token store over the in-process client (as `npm start`'s store thread runs
// it) and over the AWS SDK through dynalite's HTTP endpoint (as production runs it on DynamoDB)
// give the same answers and the same failures, on one table.
const TABLE = 'pii_tokens_contract';
let t: TestStore;
let direct: DynamoTokenStore;
let sdk: DynamoTokenStore;
beforeAll(async () => {
  t = await startTestStore({ table: TABLE });
  direct = storeOverDirectClient(TABLE);
  sdk = new DynamoTokenStore(t.client, TABLE);
});
afterAll(() => t.close());

function storeOverDirectClient(table: string): DynamoTokenStore {
  return new DynamoTokenStore(new DynaliteDirectClient(t.dynalite.server.listeners('request')[0] as RequestListener), table);
}

const mapping = (tenant: string, i: number, extra: Partial<StoredMapping> = {}): StoredMapping => ({
  tenant,
  token: `tok_email_${String(i).padStart(24, '0')}`,
  kind: 'email',
  ciphertext: Uint8Array.from([i % 256, (i * 7) % 256, 0, 255]),
  createdAt: 1_700_000_000_000 + i,
  ...extra,
});
const keyOf = ({ tenant, token }: StoredMapping) => ({ tenant, token });

describe('the token store over DynaliteDirectClient and over the SDK', () => {
  it('reads what the other wrote, in batches past both limits, binary and expiry intact', async () => {
    const byDirect = Array.from({ length: 130 }, (_, i) => mapping('t1', i));
    const bySdk = Array.from({ length: 130 }, (_, i) => mapping('t2', i, { expiresAt: Math.floor(Date.now() / 1000) + 3600 }));
    const expired = mapping('t1', 999, { expiresAt: Math.floor(Date.now() / 1000) - 60 });
    await direct.putMany([...byDirect, expired]);
    await sdk.putMany(bySdk);
    const keys = [...byDirect, ...bySdk, expired, mapping('t3', 1)].map(keyOf);
    const read = await direct.getMany(keys);
    expect(read).toEqual(await sdk.getMany(keys));
    expect(read).toEqual([...byDirect, ...bySdk, undefined, undefined]);
    expect(read[0]!.ciphertext).toBeInstanceOf(Uint8Array);

    await direct.delete(byDirect.slice(0, 5).map(keyOf));
    expect((await sdk.getMany(byDirect.slice(0, 6).map(keyOf))).map((found) => found?.token)).toEqual([...Array(5).fill(undefined), byDirect[5]!.token]);
  });

  it('pages a scan the same way', async () => {
    await sdk.putMany(Array.from({ length: 30 }, (_, i) => mapping('scan', i)));
    let cursor: string | undefined;
    let pages = 0;
    do {
      const [one, other] = [await direct.scanPage(cursor, 7), await sdk.scanPage(cursor, 7)];
      expect(one).toEqual(other);
      expect(one.mappings.length).toBeGreaterThan(0);
      cursor = one.cursor;
      pages++;
    } while (cursor !== undefined);
    expect(pages).toBeGreaterThan(4);
  });

  it('keeps conditional writes conditional: a condition that fails is false, not an error', async () => {
    const item = mapping('cond', 1);
    await direct.putMany([item]);
    const next = Uint8Array.from([9, 9]);
    expect(await direct.replaceCiphertext(item, Uint8Array.from([1]), next)).toBe(false);
    expect(await direct.replaceCiphertext(item, item.ciphertext, next)).toBe(true);
    expect((await sdk.getMany([item]))[0]!.ciphertext).toEqual(next);
    expect(await direct.deleteIfUnchanged(item, item.ciphertext)).toBe(false);
    expect(await direct.deleteIfUnchanged(item, next)).toBe(true);
    expect(await sdk.getMany([item])).toEqual([undefined]);

    const record = { id: 'k1', secret: new Uint8Array(32).fill(7), legacyReadable: false };
    expect(await direct.getTenantKey('cond')).toBeUndefined();
    expect(await direct.swapTenantKey('cond', undefined, record)).toBe(true);
    expect(await sdk.swapTenantKey('cond', undefined, { ...record, id: 'k2' })).toBe(false);
    expect(await direct.swapTenantKey('cond', 'k0', { ...record, id: 'k2' })).toBe(false);
    const shredded = { id: 'k2', legacyReadable: true, shreddedAt: 1_700_000_000 };
    expect(await direct.swapTenantKey('cond', 'k1', shredded)).toBe(true);
    expect(await direct.getTenantKey('cond')).toEqual(shredded);
    expect(await sdk.getTenantKey('cond')).toEqual(shredded);
  });

  it('fails as the SDK does: the same StoreUnavailableError and cause', async () => {
    await expect(direct.ping()).resolves.toBeUndefined();
    for (const [table, cause] of [
      ['pii_tokens_missing', 'ResourceNotFoundException'],
      ['no', 'ValidationException'], // a table name too short
    ]) {
      const [one, other] = await Promise.all(
        [storeOverDirectClient(table!), new DynamoTokenStore(t.client, table!)].map((store) =>
          store.getMany([{ tenant: 't1', token: 'tok_email_x' }]).then(
            () => new Error('answered'),
            (error: unknown) => error as Error,
          ),
        ),
      );
      expect([one!.name, one!.message, (one!.cause as Error).name]).toEqual([other!.name, other!.message, cause]);
      expect(one!.name).toBe('StoreUnavailableError');
    }
  });
});
