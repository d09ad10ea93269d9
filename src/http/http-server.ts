import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { ErrorCode } from '../errors/gateway-error.js';
import { INEXACT_INTEGER_ADVICE, inexactIntegerAt, inexactIntegerParameter } from '../json-numbers.js';
import type { Logger } from '../log.js';
import { corsHandler } from './cors.js';
import { graphiqlAsset, graphiqlPage } from './graphiql.js';
import { BodyTooLargeError, readBody } from './read-body.js';

/** What the HTTP front serves: a started Apollo Server and how to build a request's context. */
export interface GraphQLEndpoint<TContext extends BaseContext> {
  apollo: ApolloServer<TContext>;
  createContext(headers: ReadonlyMap<string, string>): Promise<TContext>;
  /** For GET /readyz; without it, the route answers ready. */
  readiness?(): Promise<{ ready: boolean; checks: Record<string, string> }>;
  /** For GET /metrics (Prometheus text format). */
  metrics?: { contentType: string; text(): Promise<string> };
}

export interface HttpOptions {
  maxBodyBytes: number;
  logger: Logger;
  /** Serve GraphiQL to browsers at / and /graphql; `headers` pre-fills its header editor. */
  graphiql?: { headers?: () => Promise<Record<string, string> | undefined> };
  /** Serve the app's metrics at /metrics. */
  metrics?: boolean;
  /** Origins whose pages may call /graphql (CORS); none when absent or empty. */
  corsOrigins?: readonly string[] | '*';
  /** How long an idle keep-alive connection stays open (Node's default: 5 s). */
  keepAliveTimeoutMs?: number;
}

/**
 * The HTTP front: `/graphql` (and `/`, for the landing page) to Apollo, `/healthz` for
 * liveness, `/readyz` for readiness (store, and upstream in gateway mode), `/metrics` for
 * Prometheus. The body is read here, with a size limit, and parsed with an error that never
 * quotes it: Apollo only ever sees a parsed JSON body.
 */
export function createHttpServer<TContext extends BaseContext>(app: GraphQLEndpoint<TContext>, options: HttpOptions): Server {
  const cors = corsHandler(options.corsOrigins ?? []);
  const server: Server = createServer((request, response) => {
    handle(app, options, cors, request, response, () => draining.has(server)).catch((error: unknown) => {
      options.logger.error({ error: error instanceof Error ? error.name : typeof error }, 'unhandled HTTP error');
      if (!response.headersSent) sendError(response, 500, ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error');
      else response.destroy();
    });
  });
  if (options.keepAliveTimeoutMs !== undefined) server.keepAliveTimeout = options.keepAliveTimeoutMs;
  return server;
}

const draining = new WeakSet<Server>();

/**
 * Shutdown has begun: requests that arrive from now on, over connections kept alive, are refused
 * with 503 SHUTTING_DOWN (readiness says so too), and every response closes its connection, so
 * clients go elsewhere while the requests in flight finish.
 */
export function drain(server: Server): void {
  draining.add(server);
}

async function handle<TContext extends BaseContext>(
  app: GraphQLEndpoint<TContext>,
  options: HttpOptions,
  cors: ReturnType<typeof corsHandler>,
  request: IncomingMessage,
  response: ServerResponse,
  isDraining: () => boolean,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://gateway');
  if (isDraining() && url.pathname !== '/healthz') {
    // Read (and drop) what was sent first: closing a socket with unread data resets it, and the
    // client would see a reset instead of the answer.
    request.resume();
    if (!request.readableEnded) await once(request, 'end');
    response.setHeader('connection', 'close');
    if (url.pathname === '/readyz') sendJson(response, 503, { status: 'shutting down', checks: {} });
    else sendError(response, 503, ErrorCode.SHUTTING_DOWN, 'The gateway is shutting down; retry the request');
    return;
  }
  if (url.pathname === '/healthz') {
    sendJson(response, 200, { status: 'ok' });
    return;
  }
  if (url.pathname === '/readyz') {
    const readiness = (await app.readiness?.()) ?? { ready: true, checks: {} };
    sendJson(response, readiness.ready ? 200 : 503, { status: readiness.ready ? 'ready' : 'not ready', checks: readiness.checks });
    return;
  }
  if (url.pathname === '/metrics' && options.metrics && app.metrics && request.method === 'GET') {
    response.setHeader('content-type', app.metrics.contentType);
    response.setHeader('cache-control', 'no-store');
    response.end(await app.metrics.text());
    return;
  }
  if (options.graphiql && request.method === 'GET') {
    const asset = graphiqlAsset(url.pathname);
    if (asset) {
      response.setHeader('content-type', `${asset.type}; charset=utf-8`);
      response.setHeader('cache-control', 'public, max-age=86400');
      response.end(asset.body);
      return;
    }
    if ((url.pathname === '/' || url.pathname === '/graphql') && !url.search && /text\/html/.test(request.headers.accept ?? '')) {
      response.setHeader('content-type', 'text/html; charset=utf-8');
      response.setHeader('cache-control', 'no-store');
      const headers = await options.graphiql.headers?.();
      response.end(graphiqlPage({ endpoint: '/graphql', ...(headers ? { headers } : {}) }));
      return;
    }
  }
  if (url.pathname !== '/graphql' && url.pathname !== '/') {
    sendError(response, 404, 'NOT_FOUND', 'Not found; the GraphQL endpoint is /graphql');
    return;
  }
  if (cors && (await cors(request, response))) return;
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  let body: unknown;
  if (request.method === 'POST') {
    let text: string;
    try {
      text = await readBody(request, options.maxBodyBytes);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        response.setHeader('connection', 'close');
        sendError(response, 413, ErrorCode.PAYLOAD_TOO_LARGE, `The request body exceeds ${options.maxBodyBytes} bytes`);
        return;
      }
      throw error;
    }
    if (/^application\/(graphql-response\+)?json\b/i.test(headers.get('content-type') ?? '')) {
      try {
        body = JSON.parse(text);
      } catch {
        sendError(response, 400, ErrorCode.BAD_REQUEST, 'The request body is not valid JSON');
        return;
      }
      const inexact = inexactIntegerAt(text, body);
      if (inexact >= 0) {
        sendError(response, 400, ErrorCode.BAD_REQUEST, `The integer at character ${inexact} of the request body ${INEXACT_INTEGER_ADVICE}`);
        return;
      }
    }
  } else {
    const parameter = inexactIntegerParameter((name) => url.searchParams.get(name));
    if (parameter) {
      sendError(response, 400, ErrorCode.BAD_REQUEST, `An integer in the ${parameter} parameter ${INEXACT_INTEGER_ADVICE}`);
      return;
    }
  }
  const result = await app.apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: request.method ?? 'GET', headers, search: url.search, body },
    context: () => app.createContext(headers),
  });
  for (const [key, value] of result.headers) response.setHeader(key, value);
  // Tokens, and originals for callers allowed to see them: no shared or browser cache keeps them.
  response.setHeader('cache-control', 'no-store');
  if (isDraining()) response.setHeader('connection', 'close');
  response.statusCode = result.status ?? 200;
  if (result.body.kind === 'complete') {
    const body = result.body.string;
    if (body.length > LARGE_BODY_CHARS) {
      // Encoded once: as a string, a body this large is scanned for its Content-Length and then
      // encoded again by the socket write. Measured on the 1,000-row query in gateway mode (20
      // alternating rounds): 7.4 -> 6.4 ms of event loop per request (means), 138 -> 158 req/s.
      const bytes = Buffer.from(body);
      response.setHeader('content-length', bytes.length);
      response.end(bytes);
    } else {
      // Small answers stay strings, as before: a Buffer for every answer was once measured to
      // double p99 under the mixed load (300 req/s), though later A/B runs there were within the noise.
      response.end(body);
    }
    return;
  }
  for await (const chunk of result.body.asyncIterator) response.write(chunk);
  response.end();
}

/** Above this many UTF-16 units an answer is written as one pre-encoded Buffer (see handle). */
const LARGE_BODY_CHARS = 64 * 1024;

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.statusCode = status;
  response.setHeader('content-type', 'application/json; charset=utf-8');
  response.end(JSON.stringify(body));
}

function sendError(response: ServerResponse, status: number, code: string, message: string): void {
  sendJson(response, status, { errors: [{ message, extensions: { code } }] });
}
