import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from '../context.js';
import { formatError } from '../errors/format-error.js';
import { ErrorCode } from '../errors/gateway-error.js';
import type { Passthrough } from '../gateway/passthrough.js';
import type { Logger } from '../log.js';
import { errorResponse, flushOrFailure } from './durable-writes.js';

/**
 * Answers operations that only touch the upstream through the passthrough, skipping graphql-js
 * execution; everything else is left to the normal path. Its tokens are made durable here,
 * before the response is handed back, exactly as the durable-writes plugin does for executed
 * operations.
 */
export function upstreamPassthroughPlugin(passthrough: Passthrough, logger: Logger): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async responseForOperation({ document, operation, operationName, request, contextValue }) {
          if (!passthrough.handles(document, operation, request.variables)) return null;
          let result;
          try {
            result = await passthrough.execute({ document, operation, operationName: operationName ?? undefined, variables: request.variables, context: contextValue });
          } catch (error) {
            // Not Apollo's "unexpected error" log: its message could carry data. The class name only.
            logger.error({ requestId: contextValue.requestId, error: error instanceof Error ? error.name : typeof error }, 'upstream passthrough failed');
            contextValue.vault.discardPending();
            return errorResponse('Internal server error', ErrorCode.INTERNAL_SERVER_ERROR, 500);
          }
          const failure = await flushOrFailure(contextValue, logger);
          if (failure) return failure;
          return {
            http: { status: undefined, headers: new HeaderMap() },
            body: {
              kind: 'single',
              singleResult: {
                ...(result.data !== undefined ? { data: result.data } : {}),
                ...(result.errors?.length ? { errors: result.errors.map((error) => formatError(error.toJSON(), error)) } : {}),
              },
            },
          };
        },
      };
    },
  };
}
