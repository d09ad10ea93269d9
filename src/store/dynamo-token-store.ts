import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  DescribeTableCommand,
  type AttributeValue,
  type DynamoDBClient,
  type KeysAndAttributes,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { DEFAULT_BACKOFF, waitBeforeRetry, type BackoffOptions } from './backoff.js';
import { chunk, forEachLimited, MAX_BATCH_GET, MAX_BATCH_WRITE } from './batch-limits.js';
import { StoreUnavailableError, type MappingKey, type StoredMapping, type TokenStore } from './token-store.js';

type Item = Record<string, AttributeValue>;

export interface DynamoTokenStoreOptions {
  backoff?: BackoffOptions;
  /** Batch requests in flight at once for one call. */
  concurrency?: number;
  now?: () => number;
}

/**
 * TokenStore on DynamoDB (or anything that speaks its API). Writes go out as BatchWriteItem of
 * at most 25 items, reads as strongly consistent BatchGetItem of at most 100 keys; whatever
 * DynamoDB leaves unprocessed is retried with jittered backoff until the attempts run out.
 */
export class DynamoTokenStore implements TokenStore {
  private readonly backoff: BackoffOptions;
  private readonly concurrency: number;
  private readonly now: () => number;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
    options: DynamoTokenStoreOptions = {},
  ) {
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.concurrency = options.concurrency ?? 4;
    this.now = options.now ?? Date.now;
  }

  async putMany(items: readonly StoredMapping[]): Promise<void> {
    const requests = dedupeBy(items, (item) => partitionKey(item)).map(
      (item): WriteRequest => ({ PutRequest: { Item: toItem(item) } }),
    );
    await forEachLimited(chunk(requests, MAX_BATCH_WRITE), this.concurrency, (batch) => this.writeBatch(batch));
  }

  async delete(keys: readonly MappingKey[]): Promise<void> {
    const requests = dedupeBy(keys, partitionKey).map(
      (key): WriteRequest => ({ DeleteRequest: { Key: { pk: { S: partitionKey(key) } } } }),
    );
    await forEachLimited(chunk(requests, MAX_BATCH_WRITE), this.concurrency, (batch) => this.writeBatch(batch));
  }

  async ping(): Promise<void> {
    const { Table } = await guarded(() => this.client.send(new DescribeTableCommand({ TableName: this.table })));
    if (Table?.TableStatus !== 'ACTIVE' && Table?.TableStatus !== 'UPDATING') {
      throw new StoreUnavailableError(`the token table is ${Table?.TableStatus ?? 'missing'}`);
    }
  }

  async getMany(keys: readonly MappingKey[]): Promise<(StoredMapping | undefined)[]> {
    const found = new Map<string, StoredMapping>();
    const unique = [...new Set(keys.map(partitionKey))];
    await forEachLimited(chunk(unique, MAX_BATCH_GET), this.concurrency, async (batch) => {
      for (const item of await this.readBatch(batch)) {
        const mapping = fromItem(item);
        if (mapping && !this.isExpired(mapping)) found.set(partitionKey(mapping), mapping);
      }
    });
    return keys.map((key) => found.get(partitionKey(key)));
  }

  private isExpired(mapping: StoredMapping): boolean {
    // DynamoDB's TTL deletes lazily and dynalite never does, so expiry is enforced on read.
    return mapping.expiresAt !== undefined && mapping.expiresAt * 1000 <= this.now();
  }

  private async writeBatch(batch: WriteRequest[]): Promise<void> {
    let pending = batch;
    for (let attempt = 0; ; attempt++) {
      const output = await guarded(() =>
        this.client.send(new BatchWriteItemCommand({ RequestItems: { [this.table]: pending } })),
      );
      pending = output.UnprocessedItems?.[this.table] ?? [];
      if (pending.length === 0) return;
      if (attempt + 1 >= this.backoff.attempts) {
        throw new StoreUnavailableError(`the token store left ${pending.length} writes unprocessed after ${attempt + 1} attempts`);
      }
      await waitBeforeRetry(attempt, this.backoff);
    }
  }

  private async readBatch(pks: string[]): Promise<Item[]> {
    const items: Item[] = [];
    let pending: KeysAndAttributes | undefined = { Keys: pks.map((pk) => ({ pk: { S: pk } })), ConsistentRead: true };
    for (let attempt = 0; ; attempt++) {
      const request: KeysAndAttributes = pending;
      const output = await guarded(() =>
        this.client.send(new BatchGetItemCommand({ RequestItems: { [this.table]: request } })),
      );
      items.push(...(output.Responses?.[this.table] ?? []));
      pending = output.UnprocessedKeys?.[this.table];
      if (!pending?.Keys?.length) return items;
      if (attempt + 1 >= this.backoff.attempts) {
        throw new StoreUnavailableError(`the token store left ${pending.Keys.length} reads unprocessed after ${attempt + 1} attempts`);
      }
      await waitBeforeRetry(attempt, this.backoff);
    }
  }
}

async function guarded<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    // The SDK's message can quote request data; only its class name travels on.
    throw new StoreUnavailableError(`the token store failed: ${(error as Error)?.name ?? 'unknown error'}`, {
      cause: error,
    });
  }
}

function partitionKey(key: MappingKey): string {
  return `${key.tenant}#${key.token}`;
}

function dedupeBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  return [...new Map(items.map((item) => [key(item), item])).values()];
}

function toItem(mapping: StoredMapping): Item {
  const item: Item = {
    pk: { S: partitionKey(mapping) },
    tenant: { S: mapping.tenant },
    kind: { S: mapping.kind },
    ct: { B: mapping.ciphertext },
    createdAt: { N: String(mapping.createdAt) },
  };
  if (mapping.expiresAt !== undefined) item.expiresAt = { N: String(mapping.expiresAt) };
  return item;
}

function fromItem(item: Item): StoredMapping | undefined {
  const pk = item.pk?.S;
  const separator = pk?.indexOf('#') ?? -1;
  if (!pk || separator < 0 || !item.ct?.B || !item.kind?.S) return undefined;
  return {
    tenant: pk.slice(0, separator),
    token: pk.slice(separator + 1),
    kind: item.kind.S,
    ciphertext: item.ct.B,
    createdAt: Number(item.createdAt?.N ?? 0),
    ...(item.expiresAt?.N ? { expiresAt: Number(item.expiresAt.N) } : {}),
  };
}
