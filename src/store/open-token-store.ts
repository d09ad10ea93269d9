import path from 'node:path';
import type { StoreConfig, StoreResilience } from '../config.js';
import type { Logger } from '../log.js';
import type { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { CircuitBreakingStore } from './circuit-breaking-store.js';
import { createDynamoClient } from './dynamo-client.js';
import { DynamoTokenStore } from './dynamo-token-store.js';
import { startDynaliteThread } from './dynalite-thread.js';
import { startStoreThread, type StoreThread } from './store-thread.js';
import { ensureTableAtStartup } from './table-at-startup.js';
import { ensureTokenTable } from './token-table.js';
import type { TokenStore } from './token-store.js';

export interface OpenedStore {
  store: TokenStore;
  /** The same table without the circuit breaker, for background maintenance (shredding's deletion). */
  maintenance: DynamoTokenStore;
  /** For the startup log: where the mappings live. */
  description: string;
  close(): Promise<void>;
}

/** The configured store's DynamoDB side, without the request path's circuit breaker. */
export interface ConnectedStore {
  /** For the request path: the embedded store's thread runs the calls there (see PortTokenStore). */
  requests: TokenStore;
  /** On this thread, for maintenance jobs (key rotation, shredding's deletion). */
  dynamo: DynamoTokenStore;
  description: string;
  close(): Promise<void>;
}

/**
 * Connects to the embedded dynalite (persisted under `<dataDir>/dynamo`) or a DynamoDB
 * endpoint, with the table created when missing and each call bounded by `deadlineMs`.
 */
export async function connectTokenStore(config: StoreConfig, dataDir: string, deadlineMs: number, logger: Logger): Promise<ConnectedStore> {
  const embedded =
    config.kind === 'embedded'
      ? await startDynaliteThread({
          path: path.join(dataDir, 'dynamo'),
          store: { table: config.table, region: config.region, timeoutMs: config.timeoutMs, deadlineMs },
          onError: (error) => logger.error({ error: error.name }, 'embedded store thread failed'),
        })
      : undefined;
  const endpoint = embedded?.endpoint ?? (config.kind === 'dynamodb' ? config.endpoint : undefined);
  const client = createDynamoClient({ region: config.region, endpoint, timeoutMs: config.timeoutMs });
  let clientThread: StoreThread<unknown> | undefined;
  try {
    if (config.kind === 'embedded') await ensureTokenTable(client, config.table);
    else if (config.createTable) {
      await ensureTableAtStartup(client, {
        table: config.table,
        endpoint,
        region: config.region,
        waitMs: config.startupWaitMs,
        onWaiting: (reason) => logger.warn({ store: endpoint ?? `DynamoDB in ${config.region}`, reason, waitSeconds: config.startupWaitMs / 1000 }, 'waiting for the token store to answer'),
      });
    }
    if (config.kind === 'dynamodb' && config.clientThread) {
      const settings = { table: config.table, region: config.region, timeoutMs: config.timeoutMs, deadlineMs };
      clientThread = await startStoreThread('store-client-worker', { endpoint, store: settings }, (error) => logger.error({ error: error.name }, 'token store client thread failed'));
    }
  } catch (error) {
    client.destroy();
    await embedded?.close();
    throw error;
  }
  const dynamo = new DynamoTokenStore(client, config.table, { deadlineMs });
  return {
    requests: embedded?.store ?? clientThread?.store ?? dynamo,
    dynamo,
    description: embedded
      ? `embedded dynalite (own thread) at ${embedded.endpoint} (files in ${path.join(dataDir, 'dynamo')}), table ${config.table}`
      : `DynamoDB ${endpoint ?? `in ${config.region}`}, table ${config.table}${clientThread ? ', client on its own thread' : ''}`,
    async close() {
      client.destroy();
      await embedded?.close();
      await clientThread?.close();
    },
  };
}

/** The configured token store for the request path: connected, and behind a circuit breaker. */
export async function openTokenStore(config: StoreConfig, dataDir: string, resilience: StoreResilience, logger: Logger, metrics?: GatewayMetrics): Promise<OpenedStore> {
  const connected = await connectTokenStore(config, dataDir, resilience.deadlineMs, logger);
  return {
    store: new CircuitBreakingStore(connected.requests, resilience.breaker, (state, reason) => {
      logger[state === 'closed' ? 'info' : 'warn']({ circuit: state, ...(reason ? { reason } : {}) }, `token store circuit ${state}`);
      metrics?.circuitOpen.set(state === 'closed' ? 0 : 1);
    }),
    maintenance: connected.dynamo,
    description: connected.description,
    close: () => connected.close(),
  };
}
