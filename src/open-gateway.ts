import path from 'node:path';
import { createApp, type App } from './app.js';
import { createAuthenticate } from './auth/create-authenticate.js';
import { loadDevelopmentKey, type DevelopmentKey } from './auth/development-key.js';
import type { Config } from './config.js';
import { prepareDataDir } from './data-dir.js';
import { detectableKinds, TEXT_RECOGNIZERS } from './detect/detect.js';
import type { Logger } from './log.js';
import { openTokenStore, type OpenedStore } from './store/open-token-store.js';
import { storeFailureReason } from './store/token-store.js';
import { loadMasterKeys } from './tokens/master-key.js';
import { GatewayMetrics } from './metrics/gateway-metrics.js';
import { loadPolicyFile } from './policy/policy-file.js';

export interface OpenedGateway {
  app: App;
  store: OpenedStore;
  /** Development mode's signing key, loaded once for authentication and GraphiQL's token. */
  devKey: DevelopmentKey | undefined;
}

/**
 * Everything behind an entry point (the HTTP server, the Lambda handler): master key, token
 * store, authentication and app, in that order, each step logged without secrets.
 */
export async function openGateway(config: Config, logger: Logger, options: { startApollo?: boolean } = {}): Promise<OpenedGateway> {
  // Only where something is kept there: production (keys from the environment, DynamoDB, JWTs)
  // may run on a read-only file system.
  const keepsFiles = (config.masterKey === undefined && config.masterKeys === undefined) || config.auth.kind === 'development' || config.store.kind === 'embedded';
  if (keepsFiles) await prepareDataDir(config.dataDir);
  const masterKey = await loadMasterKeys(config, config.dataDir);
  if (masterKey.origin === 'generated') {
    logger.warn({ file: masterKey.file }, 'no PII_MASTER_KEY set: generated a development master key and saved it (keep it: tokens depend on it)');
  } else if (masterKey.origin === 'data-dir') {
    logger.info({ file: masterKey.file }, 'using the development master key from the data directory');
  } else if (masterKey.origin === 'key-ring') {
    // Ids only: which key makes tokens and which encrypts, for whoever is rotating.
    logger.info({ tokenKey: masterKey.ring.tokenKey.id, currentKey: masterKey.ring.current.id, keys: masterKey.ring.ids }, 'using the master key ring');
  }
  const policies = config.policyFile ? await loadPolicyFile(config.policyFile, detectableKinds(TEXT_RECOGNIZERS, config.detectLists)) : undefined;
  if (policies) logger.info({ file: config.policyFile, policies: policies.size }, 'policies loaded');
  const metrics = new GatewayMetrics();
  const store = await openTokenStore(config.store, config.dataDir, config.storeResilience, logger, metrics);
  logger.info({ store: store.description }, 'token store ready');
  if (config.store.kind === 'dynamodb') {
    // Not awaited, so startup (a Lambda's cold start) does not wait on it; a table missing or
    // credentials refused are then said at once, not at the first request.
    store.maintenance.ping().catch((error: unknown) => logger.warn({ reason: storeFailureReason(error) }, 'the token store is not usable yet; requests that need it get STORE_UNAVAILABLE until it is'));
  }
  const devKey = config.auth.kind === 'development' ? await loadDevelopmentKey(config.dataDir) : undefined;
  const authenticate = await createAuthenticate(config.auth, config.dataDir, config.devTenant, devKey);
  logger.info(
    config.auth.kind === 'jwt'
      ? { auth: 'jwt', keys: config.auth.jwksUrl ?? config.auth.jwksFile ?? 'shared secret', algorithms: config.auth.algorithms }
      : { auth: 'development', tenant: config.devTenant },
    config.auth.kind === 'jwt' ? 'bearer JWTs required' : 'development mode: requests without a token are the development tenant; `npm run token` signs tokens',
  );
  const app = await createApp({ config, masterKey: masterKey.ring, ...(policies ? { policies } : {}), store: store.store, maintenance: store.maintenance, logger, authenticate, metrics, ...(options.startApollo === false ? { startApollo: false } : {}) });
  if (!config.upstream) logger.info({ upstream: 'built-in demo clinic' }, 'upstream ready');
  else if (app.annotatedFields) logger.info({ upstream: config.upstream.url, annotatedFields: app.annotatedFields }, 'upstream ready');
  // Introspection carries no directives: an upstream proxied without annotations is proxied in the clear.
  else logger.warn({ upstream: config.upstream.url, annotatedFields: 0 }, `upstream ready, but no field is @pii: its data passes through unchanged. Annotate fields in ${config.upstream.annotationsFile ? path.relative(process.cwd(), config.upstream.annotationsFile) : 'an annotations file (PII_ANNOTATIONS)'}, or give UPSTREAM_SDL with @pii`);
  return { app, store, devKey };
}
