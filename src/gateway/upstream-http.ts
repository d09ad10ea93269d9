import { print, type DocumentNode } from 'graphql';
import { Agent, request as send } from 'undici';
import type { ExecutionRequest, ExecutionResult } from '@graphql-tools/utils';
import type { UpstreamConfig } from '../config.js';
import type { GatewayContext } from '../context.js';
import { withDeadline } from '../deadline.js';
import { ErrorCode, GatewayError } from '../errors/gateway-error.js';
import { toGatewayError, type UpstreamErrorJson } from './upstream-errors.js';

const ACCEPT = 'application/graphql-response+json, application/json';

/**
 * Keep-alive connections to the upstream, shared by every executor (the proxied operations, the
 * readiness probe, the introspection at startup). Idle ones do not keep the process alive.
 */
const connections = new Agent();

/**
 * One GraphQL-over-HTTP POST to the upstream per operation: the configured static headers, the
 * incoming request's forwarded ones and its id, a deadline (withDeadline), and the answer's errors as the
 * gateway's own (UPSTREAM_UNAVAILABLE when no answer came, UPSTREAM_ERROR otherwise). Each
 * request goes on its own: identical queries of two callers are never shared.
 *
 * Written here rather than taken from @graphql-tools/executor-http, which the gateway used
 * before: for every request, that executor defines a getter closing over the fetch response on
 * an object that also holds the parsed answer, and V8 then kept each answer alive through
 * young-generation collections until the next full one. Measured with --trace-gc-nvp in gateway
 * mode on the 1,000-row query: 13% of the young generation survived each scavenge and 120 MB
 * was promoted in 5 s; without that getter, 1.3% and 4.6 MB (BENCHMARKS.md). The request goes
 * out with undici's `request` rather than the fetch that executor used (whatwg-node's, over
 * node:http): on the same query, the gateway's event loop spent 4.50 instead of 5.14 ms per
 * request, the mean of 8 alternating rounds (BENCHMARKS.md, twelfth session).
 */
export function createUpstreamHttp(config: UpstreamConfig): (request: ExecutionRequest) => Promise<ExecutionResult> {
  const printed = new WeakMap<DocumentNode, string>();
  const queryOf = (document: DocumentNode) => {
    let query = printed.get(document);
    if (query === undefined) printed.set(document, (query = print(document)));
    return query;
  };
  // Names lower-cased, so a configured `Accept` or `Content-Type` replaces the default instead of joining it.
  const baseHeaders = withLowerCaseNames({ 'content-type': 'application/json', accept: ACCEPT }, config.headers);
  return async (request) => {
    const context = request.context as Partial<GatewayContext> | undefined;
    const headers = withLowerCaseNames({ ...baseHeaders }, context?.upstreamHeaders ?? {});
    // The request's id goes along, so the upstream's logs and the audit line can be matched.
    if (context?.requestId) headers['x-request-id'] = context.requestId;
    const body = JSON.stringify({ query: queryOf(request.document), variables: request.variables, operationName: request.operationName });
    const outcome = await withDeadline(config.timeoutMs, async ({ signal }): Promise<{ status: number; text: string } | { failure: string }> => {
      try {
        const response = await send(config.url, { method: 'POST', headers, body, signal, dispatcher: connections });
        return { status: response.statusCode, text: await response.body.text() };
      } catch {
        // The cause (refused, reset, DNS) stays out of the answer: it names hosts and ports.
        return { failure: signal.aborted ? `The upstream API did not answer within ${config.timeoutMs} ms` : 'The upstream API could not be reached' };
      }
    });
    if ('failure' in outcome) return { errors: [new GatewayError(ErrorCode.UPSTREAM_UNAVAILABLE, outcome.failure)] };
    const { status, text } = outcome;
    const answer = graphQLResponse(text);
    if (!answer) {
      // Neither the body nor a piece of it goes into the error: it may carry personal data.
      return { errors: [new GatewayError(ErrorCode.UPSTREAM_ERROR, `The upstream API answered HTTP ${status} without a GraphQL response`)] };
    }
    return {
      ...('data' in answer ? { data: answer.data } : {}),
      ...(answer.errors?.length ? { errors: answer.errors.map((error) => toGatewayError(error, config.errorMessages)) } : {}),
    };
  };
}

function withLowerCaseNames(into: Record<string, string>, headers: Record<string, string>): Record<string, string> {
  for (const [name, value] of Object.entries(headers)) into[name.toLowerCase()] = value;
  return into;
}

interface GraphQLResponseJson {
  data?: Record<string, unknown> | null;
  errors?: UpstreamErrorJson[] | null;
}

/**
 * The body as a GraphQL response, or undefined when it is not one: JSON whose `errors`, if any
 * (not null), is a list of objects, and whose `data` is an object, or absent or null beside an error.
 */
function graphQLResponse(text: string): GraphQLResponseJson | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return undefined;
  const { data, errors } = json as { data?: unknown; errors?: unknown };
  // `errors: null` is read as no errors, as some servers send it.
  if (errors != null && !(Array.isArray(errors) && errors.every((error) => error !== null && typeof error === 'object'))) return undefined;
  if (data === undefined || data === null) return Array.isArray(errors) && errors.length > 0 ? (json as GraphQLResponseJson) : undefined;
  return typeof data === 'object' && !Array.isArray(data) ? (json as GraphQLResponseJson) : undefined;
}
