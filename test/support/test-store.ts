import { createDynamoClient } from '../../src/store/dynamo-client.js';
import { DynamoTokenStore } from '../../src/store/dynamo-token-store.js';
import { startEmbeddedDynalite, type EmbeddedDynalite } from '../../src/store/embedded-dynalite.js';
import { ensureTokenTable } from '../../src/store/token-table.js';

export interface TestStore {
  dynalite: EmbeddedDynalite;
  store: DynamoTokenStore;
  client: ReturnType<typeof createDynamoClient>;
  /** DynamoDB operations the store received, by name (BatchWriteItem, BatchGetItem ...). */
  requests: Map<string, number>;
  count(operation: string): number;
  resetCounts(): void;
  close(): Promise<void>;
}

/** A real dynalite on a free loopback port, in memory, with its traffic counted. */
export async function startTestStore(options: { table?: string; timeoutMs?: number } = {}): Promise<TestStore> {
  const dynalite = await startEmbeddedDynalite();
  const requests = new Map<string, number>();
  dynalite.server.on('request', (request) => {
    const operation = String(request.headers['x-amz-target'] ?? '').split('.')[1] ?? 'unknown';
    requests.set(operation, (requests.get(operation) ?? 0) + 1);
  });
  const table = options.table ?? 'pii_tokens_test';
  const client = createDynamoClient({ region: 'us-east-1', endpoint: dynalite.endpoint, timeoutMs: options.timeoutMs ?? 2000 });
  await ensureTokenTable(client, table);
  requests.clear();
  return {
    dynalite,
    store: new DynamoTokenStore(client, table, { backoff: { attempts: 4, baseDelayMs: 5, maxDelayMs: 20 } }),
    client,
    requests,
    count: (operation) => requests.get(operation) ?? 0,
    resetCounts: () => requests.clear(),
    async close() {
      client.destroy();
      await dynalite.close();
    },
  };
}
