import type { AddressInfo } from 'node:net';
import { ConfigError, loadConfig } from './config.js';
import { AnnotationError } from './directive/pii-annotation.js';
import { UpstreamSchemaError } from './gateway/gateway-schema.js';
import { createHttpServer, drain } from './http/http-server.js';
import { createLogger } from './log.js';
import { openGateway } from './open-gateway.js';
import { MasterKeyError } from './tokens/master-key-ring.js';
import { PolicyFileError } from './policy/policy-file.js';
import { isEmbeddedStoreError } from './store/embedded-store-errors.js';
import { StoreStartupError } from './store/table-at-startup.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const { app, store, devKey } = await openGateway(config, logger);
  const server = createHttpServer(app, {
    maxBodyBytes: config.maxBodyBytes,
    logger,
    metrics: config.metrics,
    corsOrigins: config.corsOrigins,
    keepAliveTimeoutMs: config.keepAliveTimeoutMs,
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
    server.once('error', (error: NodeJS.ErrnoException) => reject(ListenError.explain(error, config.host, config.port) ?? error));
    server.listen(config.port, config.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '127.0.0.1' ? 'localhost' : config.host;
  // The development tenant and the browser hint only where they apply.
  logger.info(
    { url: `http://${host}:${port}/graphql`, ...(config.auth.kind === 'development' ? { tenant: config.devTenant } : {}) },
    config.graphiql ? 'PII gateway ready; open the URL in a browser to explore' : 'PII gateway ready',
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, graceMs: config.shutdownTimeoutMs }, 'shutting down: no new requests; in-flight ones finish, with their writes');
    // server.close waits for in-flight requests (whose token writes finish before they answer);
    // past the grace period the remaining connections are cut.
    drain(server);
    const grace = setTimeout(() => server.closeAllConnections(), config.shutdownTimeoutMs);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    clearTimeout(grace);
    await app.stop();
    await store.close();
    process.exit(0);
  };
  process.on('SIGINT', (signal) => void stop(signal));
  process.on('SIGTERM', (signal) => void stop(signal));
}

/** Why the gateway cannot listen at HOST:PORT, for the causes a user can fix. */
class ListenError extends Error {
  static explain(error: NodeJS.ErrnoException, host: string, port: number): ListenError | undefined {
    switch (error.code) {
      case 'EADDRINUSE':
        return new ListenError(`Port ${port} on ${host} is already in use (is another \`npm start\` running?). Stop it, or set PORT to a free port.`);
      case 'ENOTFOUND':
      case 'EADDRNOTAVAIL':
        return new ListenError(`HOST is not an address of this machine: use 127.0.0.1 (this machine only) or 0.0.0.0 (every interface).`);
      default:
        return undefined;
    }
  }
}

main().catch((error: unknown) => {
  // Our own startup errors say what to do and are printed as they are; anything else is marked
  // "startup failed" (nothing personal is handled yet at startup).
  const known =
    error instanceof ConfigError ||
    error instanceof MasterKeyError ||
    error instanceof PolicyFileError ||
    error instanceof AnnotationError ||
    error instanceof UpstreamSchemaError ||
    error instanceof ListenError ||
    error instanceof StoreStartupError ||
    isEmbeddedStoreError(error);
  const message = known ? (error as Error).message : `startup failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
  process.stderr.write(`pii-gateway: ${message}\n`);
  process.exit(1);
});
