import type { AddressInfo } from 'node:net';
import { createApp } from './app.js';
import { createAuthenticate } from './auth/create-authenticate.js';
import { loadDevelopmentKey } from './auth/development-key.js';
import { ConfigError, loadConfig } from './config.js';
import { AnnotationError } from './directive/pii-annotation.js';
import { UpstreamSchemaError } from './gateway/gateway-schema.js';
import { createHttpServer } from './http/http-server.js';
import { createLogger } from './log.js';
import { openTokenStore } from './store/open-token-store.js';
import { loadMasterKey, MasterKeyError } from './tokens/master-key.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const masterKey = await loadMasterKey(config.masterKey, config.dataDir);
  if (masterKey.origin === 'generated') {
    logger.warn({ file: masterKey.file }, 'no PII_MASTER_KEY set: generated a development master key and saved it (keep it: tokens depend on it)');
  } else if (masterKey.origin === 'data-dir') {
    logger.info({ file: masterKey.file }, 'using the development master key from the data directory');
  }
  const opened = await openTokenStore(config.store, config.dataDir);
  logger.info({ store: opened.description }, 'token store ready');
  const authenticate = await createAuthenticate(config.auth, config.dataDir, config.devTenant);
  logger.info(
    config.auth.kind === 'jwt'
      ? { auth: 'jwt', keys: config.auth.jwksUrl ?? config.auth.jwksFile ?? 'shared secret', algorithms: config.auth.algorithms }
      : { auth: 'development', tenant: config.devTenant },
    config.auth.kind === 'jwt' ? 'bearer JWTs required' : 'development mode: requests without a token are the development tenant; `npm run token` signs tokens',
  );
  const app = await createApp({ config, masterKey: masterKey.key, store: opened.store, logger, authenticate });
  logger.info(config.upstream ? { upstream: config.upstream.url } : { upstream: 'built-in demo clinic' }, 'upstream ready');
  const devKey = config.auth.kind === 'development' ? await loadDevelopmentKey(config.dataDir) : undefined;
  const server = createHttpServer(app, {
    maxBodyBytes: config.maxBodyBytes,
    logger,
    ...(config.graphiql
      ? {
          graphiql: {
            // Development: GraphiQL opens with a working token for the development tenant.
            headers: async () =>
              devKey && {
                authorization: `Bearer ${await devKey.sign({ [config.auth.claims.tenant]: config.devTenant, [config.auth.claims.scope]: 'pii:anonymize pii:deanonymize' }, { subject: 'graphiql', expiresIn: '8h' })}`,
              },
          },
        }
      : {}),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '127.0.0.1' ? 'localhost' : config.host;
  logger.info({ url: `http://${host}:${port}/graphql`, tenant: config.devTenant }, 'PII gateway ready; open the URL in a browser to explore');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, graceMs: config.shutdownTimeoutMs }, 'shutting down: no new requests; in-flight ones finish, with their writes');
    // server.close waits for in-flight requests (whose token writes finish before they answer);
    // past the grace period the remaining connections are cut.
    const grace = setTimeout(() => server.closeAllConnections(), config.shutdownTimeoutMs);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    clearTimeout(grace);
    await app.stop();
    await opened.close();
    process.exit(0);
  };
  process.on('SIGINT', (signal) => void stop(signal));
  process.on('SIGTERM', (signal) => void stop(signal));
}

main().catch((error: unknown) => {
  // Config and key errors are ours and safe to print; anything else only by class name.
  const known = error instanceof ConfigError || error instanceof MasterKeyError || error instanceof AnnotationError || error instanceof UpstreamSchemaError;
  const message = known ? (error as Error).message : `startup failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
  process.stderr.write(`pii-gateway: ${message}\n`);
  process.exit(1);
});
