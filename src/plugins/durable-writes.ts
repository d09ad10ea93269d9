import { HeaderMap, type ApolloServerPlugin, type GraphQLRequestContext, type GraphQLResponse } from '@apollo/server';
import type { GatewayContext } from '../context.js';
import { ErrorCode, storeUnavailable } from '../errors/gateway-error.js';
import type { Logger } from '../log.js';
import { storeFailureReason } from '../store/token-store.js';

/**
 * Invariant 1: no token leaves unless its mapping is durably stored.
 *
 * When execution ends, the request's queued mappings are written (in store batches) and
 * awaited. If that fails, the whole response is replaced by STORE_UNAVAILABLE with HTTP 503:
 * the data already computed carries tokens the store does not have, so none of it is sent.
 * The replacement happens synchronously in willSendResponse, so plugins listed after this one
 * (the audit line) see the final response.
 */
export function durableWritesPlugin(logger: Logger): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      let failure: unknown;
      return {
        async executionDidStart({ contextValue }) {
          return {
            async executionDidEnd() {
              try {
                await contextValue.vault.flush();
              } catch (error) {
                failure = error;
              }
            },
          };
        },
        async willSendResponse(requestContext) {
          const { vault } = requestContext.contextValue;
          if (failure !== undefined) {
            logger.warn({ requestId: requestContext.contextValue.requestId, error: errorName(failure), reason: storeFailureReason(failure), pending: vault?.pendingCount }, 'token store write failed; response withheld');
            replaceWithError(requestContext, storeUnavailable().message, ErrorCode.STORE_UNAVAILABLE, 503);
          } else if (vault && vault.pendingCount > 0) {
            // Tokens were queued outside execution; they were never written, so fail closed.
            logger.error({ requestId: requestContext.contextValue.requestId, pending: vault.pendingCount }, 'tokens queued after execution; response withheld');
            replaceWithError(requestContext, 'Internal server error', ErrorCode.INTERNAL_SERVER_ERROR, 500);
          }
        },
      };
    },
  };
}

/**
 * For paths that answer without graphql-js execution (the upstream passthrough): writes the
 * request's queued mappings, or, when that fails, drops them and returns the STORE_UNAVAILABLE
 * response to send instead of the one that carries their tokens.
 */
export async function flushOrFailure(context: GatewayContext, logger: Logger): Promise<GraphQLResponse | undefined> {
  try {
    await context.vault.flush();
    return undefined;
  } catch (error) {
    logger.warn({ requestId: context.requestId, error: errorName(error), reason: storeFailureReason(error), pending: context.vault.pendingCount }, 'token store write failed; response withheld');
    context.vault.discardPending();
    return errorResponse(storeUnavailable().message, ErrorCode.STORE_UNAVAILABLE, 503);
  }
}

/** A response that is one error and no data: what is sent instead of a response that may not leave. */
export function errorResponse(message: string, code: string, status: number): GraphQLResponse {
  return { http: { status, headers: new HeaderMap() }, body: { kind: 'single', singleResult: { errors: [{ message, extensions: { code } }] } } };
}

function replaceWithError(requestContext: GraphQLRequestContext<GatewayContext>, message: string, code: string, status: number): void {
  const replacement = errorResponse(message, code, status);
  requestContext.response.body = replacement.body;
  requestContext.response.http.status = status;
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
