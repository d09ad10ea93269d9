import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from '../context.js';
import type { Logger } from '../log.js';

/**
 * One structured line per GraphQL operation: who (tenant, subject), what (operation name and
 * type), how many values were tokenized per kind, how long, and the outcome as error codes.
 * Never a value, a token's original or the query text.
 */
export function auditPlugin(logger: Logger): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ contextValue, operation, operationName, response }) {
          const body = response.body;
          const errors = body.kind === 'single' ? body.singleResult.errors : body.initialResult.errors;
          const codes = [...new Set((errors ?? []).map((error) => String(error.extensions?.code ?? 'UNKNOWN')))];
          logger.info(
            {
              audit: true,
              requestId: contextValue.requestId,
              tenant: contextValue.identity?.tenant,
              subject: contextValue.identity?.subject,
              operation: operationName ?? null,
              operationType: operation?.operation ?? null,
              tokenized: Object.fromEntries(contextValue.vault?.tokenizedCounts() ?? []),
              revealed: Object.fromEntries(contextValue.pii?.revealedCounts() ?? []),
              durationMs: Math.round((performance.now() - started) * 100) / 100,
              outcome: codes.length === 0 ? 'ok' : 'error',
              ...(codes.length ? { errorCodes: codes } : {}),
            },
            'operation',
          );
        },
      };
    },
  };
}
