import { randomUUID } from 'node:crypto';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { developmentAuthenticate } from './auth/development-identity.js';
import type { Authenticate } from './auth/identity.js';
import type { Config, UpstreamConfig } from './config.js';
import type { GatewayContext } from './context.js';
import { generateClinic, type Clinic } from './demo/clinic-data.js';
import { clinicResolvers } from './demo/clinic-resolvers.js';
import { collectPiiAnnotations, type PiiAnnotations } from './directive/pii-annotation.js';
import { applyPiiAnnotations } from './directive/pii-directive.js';
import { checkTextKinds } from './directive/text-kinds.js';
import { formatError } from './errors/format-error.js';
import { buildGatewaySchema } from './gateway/gateway-schema.js';
import type { Logger } from './log.js';
import { auditLog } from './plugins/audit.js';
import { requestIdPlugin } from './plugins/request-id.js';
import { operationSummaryPlugin } from './plugins/operation-summary.js';
import { GatewayMetrics } from './metrics/gateway-metrics.js';
import { MeteredStore } from './metrics/metered-store.js';
import { recordOperation } from './metrics/record-operation.js';
import { durableWritesPlugin } from './plugins/durable-writes.js';
import { upstreamPassthroughPlugin } from './plugins/upstream-passthrough.js';
import { introspectionOffRule } from './plugins/introspection-off.js';
import { DEFAULT_QUERY_LIMITS, queryLimitProtection } from './plugins/query-limits.js';
import type { Passthrough } from './gateway/passthrough.js';
import { createServiceResolvers, type ServiceOptions } from './resolvers/service-resolvers.js';
import { PolicySet } from './policy/policy.js';
import type { JsonLimits } from './payload/payload-limits.js';
import { loadTypeDefs } from './schema-files.js';
import type { TokenStore } from './store/token-store.js';
import { OriginalCipher } from './tokens/original-cipher.js';
import { TenantKeyring } from './tokens/tenant-keys.js';
import { StoreReader } from './vault/store-reader.js';
import { RetentionPolicy } from './retention/retention-policy.js';
import { DEFAULT_OFFLOAD_BYTES, DetectionPool } from './detect/detection-pool.js';
import { textSpansLoader } from './detect/detection-offload.js';
import { TokenFormat } from './tokens/token-format.js';
import { Tokenizer } from './tokens/tokenizer.js';
import { MappingWriter } from './vault/mapping-writer.js';
import type { MasterKeyRing } from './tokens/master-key-ring.js';
import { cacheMaxAgeMs, StoredTokenCache } from './vault/stored-token-cache.js';
import { Vault } from './vault/vault.js';
import { DEFAULT_TENANT_KEY_CACHE_MAX_AGE_SECONDS, TenantSecrets } from './vault/tenant-secrets.js';
import { TenantShredder, type ShreddableStore } from './shredding/tenant-shredder.js';
import { RequestPiiContext } from './transform/request-pii-context.js';
import { AuditRecord, auditReason } from './audit.js';

export interface AppOptions {
  config: Pick<Config, 'production' | 'tokenPrefix' | 'tokenCacheSize' | 'devTenant' | 'upstream'> &
    Partial<Pick<Config, 'tokenCacheMaxAge' | 'tenantKeyCacheMaxAge' | 'maxBatchItems' | 'introspection' | 'jsonLimits' | 'queryLimits' | 'retention' | 'detection' | 'detectLists' | 'storeResilience'>>;
  /** Named anonymize policies (PII_POLICY_FILE); none by default. */
  policies?: PolicySet;
  /** The master key ring, or one key (a ring of one). */
  masterKey: MasterKeyRing | Buffer;
  store: TokenStore;
  /** The store's maintenance side (table scans, conditional deletes) for shredding's background deletion. */
  maintenance?: ShreddableStore;
  logger: Logger;
  authenticate?: Authenticate;
  clinic?: Clinic;
  /** False leaves starting Apollo to an integration that starts it itself (the Lambda handler). */
  startApollo?: boolean;
  /** Where the app's metrics go; a registry of its own when not given. */
  metrics?: GatewayMetrics;
}

export interface App {
  apollo: ApolloServer<GatewayContext>;
  schema: GraphQLSchema;
  vault: Vault;
  /** GET /metrics. */
  metrics: GatewayMetrics;
  /** Whether the store (and the upstream, in gateway mode) answer: GET /readyz. */
  readiness(): Promise<Readiness>;
  /** In gateway mode, how many upstream fields are @pii (annotations file and UPSTREAM_SDL). */
  annotatedFields: number | undefined;
  /** Builds the context of one request from its headers. */
  createContext(headers: ReadonlyMap<string, string>): Promise<GatewayContext>;
  stop(): Promise<void>;
}

export interface Readiness {
  ready: boolean;
  checks: Record<string, 'ok' | 'unavailable'>;
}

/** A readiness probe: 'ok' when `check` settles within 2 s, 'unavailable' otherwise. */
async function probe(check: () => Promise<void>): Promise<'ok' | 'unavailable'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), 2000)));
  try {
    await Promise.race([check(), timeout]);
    return 'ok';
  } catch {
    return 'unavailable';
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The gateway's API merged with its upstream, @pii applied: a real upstream proxied over HTTP
 * when one is configured, otherwise the built-in demo clinic.
 */
export async function buildSchema(
  upstream: UpstreamConfig | undefined,
  clinic?: Clinic,
  service: ServiceOptions = {},
  onUpstreamWaiting?: (reason: string) => void,
): Promise<{ schema: GraphQLSchema; passthrough?: Passthrough; pingUpstream?: () => Promise<void>; annotations: PiiAnnotations }> {
  const typeDefs = loadTypeDefs();
  const serviceResolvers = createServiceResolvers(service);
  if (upstream) {
    const gateway = await buildGatewaySchema(upstream, { typeDefs: [typeDefs.pii, typeDefs.service], resolvers: [serviceResolvers] }, typeDefs.pii, onUpstreamWaiting);
    return { ...gateway, annotations: gateway.annotations.fields };
  }
  const schema = makeExecutableSchema<GatewayContext>({
    typeDefs: [typeDefs.pii, typeDefs.service, typeDefs.demo],
    resolvers: [serviceResolvers, clinicResolvers(clinic ?? generateClinic())],
  });
  const annotations = collectPiiAnnotations(schema);
  return { schema: applyPiiAnnotations(schema, annotations), annotations };
}

/** Wires schema, vault and plugins into a started Apollo Server. Used by main and the tests. */
export async function createApp(options: AppOptions): Promise<App> {
  const { config, logger } = options;
  const keyring = new TenantKeyring(options.masterKey);
  const cipher = new OriginalCipher(keyring);
  const retention = config.retention ?? RetentionPolicy.none();
  const policies = options.policies ?? new PolicySet();
  const cache = new StoredTokenCache(config.tokenCacheSize, cacheMaxAgeMs(retention, config.tokenCacheMaxAge, policies.retentions()));
  const metrics = options.metrics ?? new GatewayMetrics();
  metrics.trackTokenCache(() => cache.stats);
  const store = new MeteredStore(options.store, metrics);
  const concurrency = config.storeResilience?.concurrency;
  const pool = new DetectionPool(config.detection?.threads, (set) => metrics.detectionThreadJobs.inc({ recognizers: set }));
  const detection = { pool, offloadBytes: config.detection?.offloadBytes ?? DEFAULT_OFFLOAD_BYTES };
  const secrets = new TenantSecrets(store, (config.tenantKeyCacheMaxAge ?? DEFAULT_TENANT_KEY_CACHE_MAX_AGE_SECONDS) * 1000);
  const writer = new MappingWriter(store, cipher, cache, secrets, retention, undefined, concurrency);
  const vault = new Vault({ tokenizer: new Tokenizer(new TokenFormat(config.tokenPrefix), keyring), cipher, reader: new StoreReader(store, concurrency), cache, writer, secrets });
  const shredder = new TenantShredder({ secrets, cipher, cache, store: options.maintenance, logger, onDeleted: (count) => metrics.shreddedMappingsDeleted.inc(count) });
  const authenticate = options.authenticate ?? developmentAuthenticate(config.devTenant);
  const { schema, passthrough, pingUpstream, annotations } = await buildSchema(config.upstream, options.clinic, { jsonLimits: config.jsonLimits, maxBatchItems: config.maxBatchItems, policies }, (reason) =>
    logger.warn({ upstream: config.upstream?.url, reason, waitSeconds: (config.upstream?.startupWaitMs ?? 0) / 1000 }, 'waiting for the upstream to answer'),
  );
  checkTextKinds(annotations, config.detectLists ?? {});
  const forwardHeaders = config.upstream?.forwardHeaders ?? [];
  const limits = queryLimitProtection(config.queryLimits ?? DEFAULT_QUERY_LIMITS);
  const introspection = config.introspection ?? !config.production;
  const apollo = new ApolloServer<GatewayContext>({
    schema,
    formatError,
    validationRules: [...limits.validationRules, ...(introspection ? [] : [introspectionOffRule])],
    parseOptions: limits.parseOptions,
    includeStacktraceInErrorResponses: false,
    // When off, introspectionOffRule refuses it instead: its message says how to turn it on.
    introspection: true,
    // No "Did you mean …?" field suggestions in production: they map the schema for a prober.
    hideSchemaDetailsFromClientErrors: config.production,
    // main.ts owns shutdown: it stops the HTTP server, then Apollo, then the store, in that order.
    stopOnTerminationSignals: false,
    // Order matters: durable writes may replace the response, and the audit line reads it after.
    plugins: [
      ...limits.plugins,
      ...(passthrough ? [upstreamPassthroughPlugin(passthrough, logger)] : []),
      durableWritesPlugin(logger),
      operationSummaryPlugin(auditLog(logger), recordOperation(metrics)),
      requestIdPlugin(),
      // Responses carry tokens or originals and are never cacheable (the HTTP front sends
      // no-store), so per-field cache hints would be work on every field for nothing.
      ApolloServerPluginCacheControlDisabled(),
      // The browser IDE is GraphiQL, served offline by the HTTP front (GRAPHIQL=on|off).
      ApolloServerPluginLandingPageDisabled(),
    ],
  });
  if (options.startApollo !== false) await apollo.start();
  return {
    apollo,
    schema,
    vault,
    metrics,
    annotatedFields: config.upstream ? annotations.size : undefined,
    async createContext(headers) {
      const identity = await authenticate(headers);
      const requestVault = vault.forRequest(identity.tenant);
      const audit = new AuditRecord(auditReason(headers.get('x-pii-reason')));
      const requestId = headers.get('x-request-id');
      return {
        requestId: requestId && /^[A-Za-z0-9._-]{1,64}$/.test(requestId) ? requestId : randomUUID(),
        identity,
        vault: requestVault,
        pii: new RequestPiiContext(requestVault, identity, audit, keyring.keysFor(identity.tenant), config.detectLists, textSpansLoader(config.detectLists ?? {}, detection, audit)),
        audit,
        detection,
        shredder,
        upstreamHeaders: Object.fromEntries(forwardHeaders.flatMap((name) => (headers.has(name) ? [[name, headers.get(name)!]] : []))),
      };
    },
    readiness: async () => {
      const checks: Record<string, 'ok' | 'unavailable'> = {};
      await Promise.all([
        probe(() => store.ping()).then((state) => (checks.store = state)),
        ...(pingUpstream ? [probe(pingUpstream).then((state) => (checks.upstream = state))] : []),
      ]);
      return { ready: Object.values(checks).every((state) => state === 'ok'), checks };
    },
    stop: async () => {
      await shredder.close();
      cache.close();
      await detection.pool.close();
      await apollo.stop();
      // The other batches of a request that failed on one are still being written: they land
      // (or fail) before the caller closes the store.
      await writer.settle();
    },
  };
}
