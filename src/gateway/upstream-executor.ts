import type { ExecutionRequest, ExecutionResult, Executor } from '@graphql-tools/utils';
import type { UpstreamConfig } from '../config.js';
import type { GatewayContext } from '../context.js';
import type { TokenArguments } from './token-arguments.js';
import { createUpstreamHttp } from './upstream-http.js';

/**
 * Sends operations to the upstream (upstream-http.ts), tokens in arguments resolved first: a
 * token that does not resolve throws its GatewayError and nothing goes upstream.
 */
export function createUpstreamExecutor(config: UpstreamConfig, tokenArguments?: TokenArguments): Executor {
  const http = createUpstreamHttp(config);
  return async (request: ExecutionRequest): Promise<ExecutionResult> => {
    const context = request.context as GatewayContext | undefined;
    const outgoing = tokenArguments && context?.vault
      ? await tokenArguments.resolve(request, context.vault.tokenFormat, (tokens) => context.vault.resolveMany(tokens))
      : request;
    return http(outgoing);
  };
}
