import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, type App } from '../../src/app.js';
import type { Authenticate } from '../../src/auth/identity.js';
import { generateClinic, type Clinic } from '../../src/demo/clinic-data.js';
import { createHttpServer } from '../../src/http/http-server.js';
import type { TokenStore } from '../../src/store/token-store.js';
import { DynamoTokenStore } from '../../src/store/dynamo-token-store.js';
import type { ShreddableStore } from '../../src/shredding/tenant-shredder.js';
import type { UpstreamConfig } from '../../src/config.js';
import type { QueryLimits } from '../../src/plugins/query-limits.js';
import type { RetentionPolicy } from '../../src/retention/retention-policy.js';
import type { DetectLists } from '../../src/detect/detect.js';
import type { MasterKeyRing } from '../../src/tokens/master-key-ring.js';
import type { PolicySet } from '../../src/policy/policy.js';
import { captureLogs, type LogCapture } from './log-capture.js';

/** Tests choose tenant and scopes with these headers; the JWT path has its own tests. */
const testAuthenticate: Authenticate = async (headers) => ({
  tenant: headers.get('x-test-tenant') ?? 'acme',
  subject: 'test',
  scopes: new Set((headers.get('x-test-scopes') ?? '*').split(' ')),
});

export interface GraphQLResponse {
  status: number;
  body: { data?: Record<string, any> | null; errors?: { message: string; extensions?: { code?: string } }[] };
  text: string;
}

export interface TestGateway {
  url: string;
  app: App;
  server: Server;
  logs: LogCapture;
  gql(query: string, variables?: Record<string, unknown>, options?: { tenant?: string }): Promise<GraphQLResponse>;
  post(body: string, headers?: Record<string, string>): Promise<{ status: number; text: string }>;
  close(): Promise<void>;
}

let sharedClinic: Clinic | undefined;

/** The whole gateway (schema, plugins, HTTP front) on a free loopback port over the given store. */
export async function startTestGateway(
  store: TokenStore,
  options: { masterKey?: Buffer | MasterKeyRing; tokenCacheSize?: number; upstream?: UpstreamConfig; authenticate?: Authenticate; production?: boolean; introspection?: boolean; queryLimits?: QueryLimits; retention?: RetentionPolicy; detection?: { threads: number; offloadBytes: number }; detectLists?: DetectLists; maxBatchItems?: number; policies?: PolicySet; tenantKeyCacheMaxAge?: number; maintenance?: ShreddableStore; corsOrigins?: string[] | '*' } = {},
): Promise<TestGateway> {
  const logs = captureLogs();
  sharedClinic ??= generateClinic();
  const app = await createApp({
    config: {
      production: options.production ?? false,
      tokenPrefix: 'tok',
      tokenCacheSize: options.tokenCacheSize ?? 10_000,
      devTenant: 'dev',
      upstream: options.upstream,
      ...(options.introspection !== undefined ? { introspection: options.introspection } : {}),
      ...(options.queryLimits ? { queryLimits: options.queryLimits } : {}),
      ...(options.retention ? { retention: options.retention } : {}),
      ...(options.detection ? { detection: options.detection } : {}),
      ...(options.detectLists ? { detectLists: options.detectLists } : {}),
      ...(options.maxBatchItems ? { maxBatchItems: options.maxBatchItems } : {}),
      ...(options.tenantKeyCacheMaxAge !== undefined ? { tenantKeyCacheMaxAge: options.tenantKeyCacheMaxAge } : {}),
    },
    masterKey: options.masterKey ?? randomBytes(32),
    ...(options.policies ? { policies: options.policies } : {}),
    store,
    // The real store's maintenance side, unless the test wraps it (fault injection) or gives its own.
    ...(options.maintenance ? { maintenance: options.maintenance } : store instanceof DynamoTokenStore ? { maintenance: store } : {}),
    logger: logs.logger,
    authenticate: options.authenticate ?? testAuthenticate,
    clinic: sharedClinic,
  });
  const server = createHttpServer(app, { maxBodyBytes: 1024 * 1024, logger: logs.logger, graphiql: {}, metrics: true, ...(options.corsOrigins ? { corsOrigins: options.corsOrigins } : {}) });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  const post = async (body: string, headers: Record<string, string> = {}) => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    return { status: response.status, text: await response.text() };
  };
  return {
    url,
    app,
    server,
    logs,
    post,
    async gql(query, variables, { tenant } = {}) {
      const { status, text } = await post(JSON.stringify({ query, variables }), tenant ? { 'x-test-tenant': tenant } : {});
      return { status, text, body: JSON.parse(text) };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await app.stop();
    },
  };
}
