import { buildHTTPExecutor } from '@graphql-tools/executor-http';
import { fetch } from '@whatwg-node/fetch';
import type { ExecutionRequest, ExecutionResult, Executor } from '@graphql-tools/utils';
import type { UpstreamConfig } from '../config.js';
import type { GatewayContext } from '../context.js';
import type { TokenArguments } from './token-arguments.js';
import { toGatewayError } from './upstream-errors.js';

/**
 * Sends delegated operations to the upstream over HTTP: with the configured static headers and
 * the forwarded ones of the incoming request, tokens in arguments resolved first, a timeout,
 * and the upstream's errors turned into UPSTREAM_* errors.
 */
export function createUpstreamExecutor(config: UpstreamConfig, tokenArguments?: TokenArguments): Executor {
  const http = buildHTTPExecutor({
    endpoint: config.url,
    // The timeout is set here rather than by the executor's `timeout` option, which joins each
    // request's timer to the executor's lifelong abort signal with an event listener that only
    // garbage collection removes: past ten concurrent upstream requests Node printed a
    // MaxListenersExceededWarning ("possible memory leak"). AbortSignal.any keeps no listener
    // on its sources. The fetch is the executor's default one.
    fetch: (url: string, init?: RequestInit) => {
      const timeout = AbortSignal.timeout(config.timeoutMs);
      return fetch(url, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout });
    },
    // No coalescing of identical in-flight queries: each caller's request goes upstream as its
    // own (no sharing between callers of a privacy gateway), and no deep copy of each shared
    // result (measured: cloning a 1,000-row result was the executor's largest cost).
    deduplicateInflightRequests: false,
    headers: (request?: ExecutionRequest) => {
      const context = request?.context as Partial<GatewayContext> | undefined;
      // The request's id goes along, so the upstream's logs and the audit line can be matched.
      return { ...config.headers, ...context?.upstreamHeaders, ...(context?.requestId ? { 'x-request-id': context.requestId } : {}) };
    },
  });
  return async (request: ExecutionRequest) => {
    const context = request.context as GatewayContext | undefined;
    const outgoing = tokenArguments && context?.vault
      ? await tokenArguments.resolve(request, context.vault.tokenFormat, (tokens) => context.vault.resolveMany(tokens))
      : request;
    const result = (await http(outgoing)) as ExecutionResult;
    if (!result.errors?.length) return result;
    return { ...result, errors: result.errors.map((error) => toGatewayError(error, config.errorMessages, config.timeoutMs)) };
  };
}
