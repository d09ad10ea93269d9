import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
  UpdateItemCommand,
  type AttributeValue,
  type BatchGetItemCommandOutput,
  type BatchWriteItemCommandOutput,
  type DescribeTableCommandOutput,
  type GetItemCommandOutput,
  type ScanCommandOutput,
  type KeysAndAttributes,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { withDeadline } from '../deadline.js';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
import { chunk, forEachLimited, MAX_BATCH_GET, MAX_BATCH_WRITE } from './batch-limits.js';
import type { DynamoSender } from './dynamo-sender.js';
import { StoreUnavailableError, type MappingKey, type StoredMapping, type TenantKeyRecord, type TokenStore } from './token-store.js';

type Item = Record<string, AttributeValue>;

/** DynamoDB's "slow down" answers: the work was not done, and may be tried again. */
const THROTTLING = new Set(['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded']);

interface Budget {
  /** Epoch ms. */
  deadline: number;
  signal: AbortSignal;
  /** Ends the call's other requests: one of its batches failed. */
  cancel(): void;
}

export interface DynamoTokenStoreOptions {
  backoff?: BackoffOptions;
  /** Batch requests in flight at once for one call. */
  concurrency?: number;
  /** How long one call (a request's flush, a request's reads) may take, retries included. */
  deadlineMs?: number;
  now?: () => number;
}

export const DEFAULT_STORE_DEADLINE_MS = 5000;

/**
 * TokenStore on DynamoDB (or anything that speaks its API). Writes go out as BatchWriteItem of
 * at most 25 items, reads as strongly consistent BatchGetItem of at most 100 keys; whatever
 * DynamoDB leaves unprocessed is retried with jittered backoff until the attempts or the call's
 * deadline run out, and a request still in flight at the deadline is aborted.
 */
export class DynamoTokenStore implements TokenStore {
  private readonly backoff: BackoffOptions;
  private readonly concurrency: number;
  private readonly deadlineMs: number;
  private readonly now: () => number;

  constructor(
    private readonly client: DynamoSender,
    private readonly table: string,
    options: DynamoTokenStoreOptions = {},
  ) {
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.concurrency = options.concurrency ?? 4;
    this.deadlineMs = options.deadlineMs ?? DEFAULT_STORE_DEADLINE_MS;
    this.now = options.now ?? Date.now;
  }

  async putMany(items: readonly StoredMapping[]): Promise<void> {
    const requests = dedupeBy(items, (item) => partitionKey(item)).map(
      (item): WriteRequest => ({ PutRequest: { Item: toItem(item) } }),
    );
    await this.inBatches(chunk(requests, MAX_BATCH_WRITE), (batch, budget) => this.writeBatch(batch, budget));
  }

  async delete(keys: readonly MappingKey[]): Promise<void> {
    const requests = dedupeBy(keys, partitionKey).map(
      (key): WriteRequest => ({ DeleteRequest: { Key: { pk: { S: partitionKey(key) } } } }),
    );
    await this.inBatches(chunk(requests, MAX_BATCH_WRITE), (batch, budget) => this.writeBatch(batch, budget));
  }

  /**
   * One page of every mapping in the table, expired ones included, for maintenance jobs (key
   * rotation). `cursor` is the previous page's; none is returned after the last page.
   */
  async scanPage(cursor: string | undefined, limit: number): Promise<{ mappings: StoredMapping[]; cursor?: string }> {
    const output = await this.withBudget((budget) =>
      this.send<ScanCommandOutput>(
        new ScanCommand({ TableName: this.table, Limit: limit, ConsistentRead: true, ...(cursor ? { ExclusiveStartKey: { pk: { S: cursor } } } : {}) }),
        budget,
      ),
    );
    const mappings = (output.Items ?? []).map(fromItem).filter((mapping) => mapping !== undefined);
    const next = output.LastEvaluatedKey?.pk?.S;
    return next ? { mappings, cursor: next } : { mappings };
  }

  /**
   * Swaps a mapping's ciphertext, only if the item still holds `previous`: a mapping deleted
   * (erased) or rewritten meanwhile is left alone, never recreated. Resolves to whether it swapped.
   */
  replaceCiphertext(mapping: MappingKey, previous: Uint8Array, next: Uint8Array): Promise<boolean> {
    return this.conditionally(
      new UpdateItemCommand({
        TableName: this.table,
        Key: { pk: { S: partitionKey(mapping) } },
        UpdateExpression: 'SET ct = :next',
        ConditionExpression: 'ct = :previous',
        ExpressionAttributeValues: { ':next': { B: next }, ':previous': { B: previous } },
      }),
    );
  }

  /** Deletes a mapping only if it still holds `ciphertext` (one rewritten meanwhile stays); resolves to whether it did. */
  deleteIfUnchanged(mapping: MappingKey, ciphertext: Uint8Array): Promise<boolean> {
    return this.conditionally(
      new DeleteItemCommand({
        TableName: this.table,
        Key: { pk: { S: partitionKey(mapping) } },
        ConditionExpression: 'ct = :seen',
        ExpressionAttributeValues: { ':seen': { B: ciphertext } },
      }),
    );
  }

  async getTenantKey(tenant: string): Promise<TenantKeyRecord | undefined> {
    const { Item } = await this.withBudget((budget) =>
      this.send<GetItemCommandOutput>(new GetItemCommand({ TableName: this.table, Key: { pk: { S: tenantKeyPk(tenant) } }, ConsistentRead: true }), budget),
    );
    const id = Item?.sid?.S;
    if (!Item || !id) return undefined;
    return {
      id,
      legacyReadable: Item.legacy?.BOOL === true,
      ...(Item.secret?.B ? { secret: Item.secret.B } : {}),
      ...(Item.shreddedAt?.N ? { shreddedAt: Number(Item.shreddedAt.N) } : {}),
    };
  }

  swapTenantKey(tenant: string, previousId: string | undefined, next: TenantKeyRecord): Promise<boolean> {
    const item: Item = { pk: { S: tenantKeyPk(tenant) }, tenant: { S: tenant }, sid: { S: next.id }, legacy: { BOOL: next.legacyReadable } };
    if (next.secret) item.secret = { B: next.secret };
    if (next.shreddedAt !== undefined) item.shreddedAt = { N: String(next.shreddedAt) };
    return this.conditionally(
      new PutItemCommand({
        TableName: this.table,
        Item: item,
        ...(previousId === undefined
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : { ConditionExpression: 'sid = :previous', ExpressionAttributeValues: { ':previous': { S: previousId } } }),
      }),
    );
  }

  /** A conditional write: false when its condition did not hold. */
  private async conditionally(command: { input: object }): Promise<boolean> {
    try {
      await this.withBudget((budget) => this.send(command, budget));
      return true;
    } catch (error) {
      if (error instanceof StoreUnavailableError && (error.cause as Error | undefined)?.name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  async ping(): Promise<void> {
    const { Table } = await this.withBudget((budget) => this.send<DescribeTableCommandOutput>(new DescribeTableCommand({ TableName: this.table }), budget));
    if (Table?.TableStatus !== 'ACTIVE' && Table?.TableStatus !== 'UPDATING') {
      throw new StoreUnavailableError(`the token table is ${Table?.TableStatus ?? 'missing'}`);
    }
  }

  async getMany(keys: readonly MappingKey[]): Promise<(StoredMapping | undefined)[]> {
    const found = new Map<string, StoredMapping>();
    const unique = [...new Set(keys.map(partitionKey))];
    await this.inBatches(chunk(unique, MAX_BATCH_GET), async (batch, budget) => {
      for (const item of await this.readBatch(batch, budget)) {
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

  /**
   * Runs one call within its budget: a signal that fires at the deadline (withDeadline: its timer
   * ends with the call), or when `cancel` is called because a sibling batch failed.
   */
  private withBudget<T>(work: (budget: Budget) => Promise<T>): Promise<T> {
    return withDeadline(this.deadlineMs, (controller) => {
      // Every SDK request of the call listens on it (a cold 3,000-value flush makes 120); the
      // signal lives only as long as the call, so many listeners are expected, not a leak.
      setMaxListeners(0, controller.signal);
      return work({ deadline: this.now() + this.deadlineMs, signal: controller.signal, cancel: () => controller.abort() });
    });
  }

  /** The batches of one call, a few at a time; the first failure cancels the others in flight. */
  private inBatches<T>(batches: T[], work: (batch: T, budget: Budget) => Promise<void>): Promise<void> {
    return this.withBudget(async (budget) => {
      try {
        await forEachLimited(batches, this.concurrency, (batch) => work(batch, budget));
      } catch (error) {
        budget.cancel();
        throw error;
      }
    });
  }

  private async writeBatch(batch: WriteRequest[], budget: Budget): Promise<void> {
    let pending = batch;
    for (let attempt = 0; ; attempt++) {
      const output = await this.sendOrThrottled<BatchWriteItemCommandOutput>(new BatchWriteItemCommand({ RequestItems: { [this.table]: pending } }), budget);
      if (output) pending = output.UnprocessedItems?.[this.table] ?? [];
      if (pending.length === 0) return;
      await this.beforeRetry(attempt, budget, output ? `left ${pending.length} writes unprocessed` : 'kept throttling');
    }
  }

  private async readBatch(pks: string[], budget: Budget): Promise<Item[]> {
    const items: Item[] = [];
    let pending: KeysAndAttributes | undefined = { Keys: pks.map((pk) => ({ pk: { S: pk } })), ConsistentRead: true };
    for (let attempt = 0; ; attempt++) {
      const request: KeysAndAttributes = pending;
      const output: BatchGetItemCommandOutput | undefined = await this.sendOrThrottled(new BatchGetItemCommand({ RequestItems: { [this.table]: request } }), budget);
      if (output) {
        items.push(...(output.Responses?.[this.table] ?? []));
        pending = output.UnprocessedKeys?.[this.table];
      }
      if (!pending?.Keys?.length) return items;
      await this.beforeRetry(attempt, budget, output ? `left ${pending.Keys.length} reads unprocessed` : 'kept throttling');
    }
  }

  /** Waits out the backoff, or gives up when the attempts are spent or the wait would pass the deadline. */
  private async beforeRetry(attempt: number, budget: Budget, what: string): Promise<void> {
    if (attempt + 1 >= this.backoff.attempts) throw new StoreUnavailableError(`the token store ${what} after ${attempt + 1} attempts`);
    const delay = backoffDelay(attempt, this.backoff);
    if (this.now() + delay >= budget.deadline) throw new StoreUnavailableError(`the token store ${what} by its ${this.deadlineMs} ms deadline`);
    await sleep(delay, undefined, { signal: budget.signal }).catch(() => {
      throw new StoreUnavailableError('the token store call was cancelled');
    });
  }

  /**
   * A batch call whose throttling (after the SDK's own few retries) is retried here like
   * unprocessed work, within the same attempts and deadline: undefined means "throttled".
   */
  private async sendOrThrottled<Output>(command: { input: object }, budget: Budget): Promise<Output | undefined> {
    try {
      return await this.send<Output>(command, budget);
    } catch (error) {
      if (error instanceof StoreUnavailableError && THROTTLING.has((error.cause as Error | undefined)?.name ?? '')) return undefined;
      throw error;
    }
  }

  /** One SDK call, aborted at the deadline or when its call failed elsewhere; errors become StoreUnavailableError. */
  private async send<Output>(command: { input: object }, budget: Budget): Promise<Output> {
    if (budget.signal.aborted) throw new StoreUnavailableError(`the token store call ended (deadline of ${this.deadlineMs} ms, or another batch failed)`);
    try {
      return (await this.client.send(command, { abortSignal: budget.signal })) as Output;
    } catch (error) {
      throw new StoreUnavailableError(describeStoreFailure((error as Error)?.name ?? 'unknown error', this.table), { cause: error });
    }
  }
}

/** What went wrong with the token table, from the SDK error's class name only: its message can quote request data. */
export function describeStoreFailure(name: string, table: string): string {
  if (name === 'ResourceNotFoundException') return `the token table ${table} does not exist (create it, or let the gateway: TOKEN_TABLE_CREATE=true)`;
  if (CREDENTIAL_FAILURES.has(name)) return `the token store refused the gateway's AWS credentials, or found none (${name})`;
  return `the token store failed: ${name}`;
}

/** SDK errors that mean the caller is not who DynamoDB accepts, or may not do this. */
const CREDENTIAL_FAILURES = new Set(['UnrecognizedClientException', 'InvalidSignatureException', 'AccessDeniedException', 'ExpiredTokenException', 'CredentialsProviderError', 'MissingAuthenticationTokenException']);

function partitionKey(key: MappingKey): string {
  return `${key.tenant}#${key.token}`;
}

/** The tenant's key record lives in the token table under a name no token can have. */
function tenantKeyPk(tenant: string): string {
  return `${tenant}#~key`;
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
