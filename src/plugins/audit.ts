import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from '../context.js';
import type { Logger } from '../log.js';

/**
 * One structured line per GraphQL operation: who (tenant, subject), what (operation name and
 * type), how many values were tokenized, revealed and deanonymized per kind, how many tokens
 * did not resolve, how long, and the outcome as error codes. Reveals and deanonymizations also
 * get an event line of their own (who saw which kinds, how many, and the stated reason).
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
          const { identity, audit, requestId } = contextValue;
          const who = { audit: true, requestId, tenant: identity?.tenant, subject: identity?.subject };
          const revealed = Object.fromEntries(contextValue.pii?.revealedCounts() ?? []);
          const deanonymized = Object.fromEntries(audit?.deanonymized ?? []);
          const delivered = codes.length === 0 || (body.kind === 'single' && body.singleResult.data != null);
          logger.info(
            {
              ...who,
              operation: operationName ?? null,
              operationType: operation?.operation ?? null,
              tokenized: Object.fromEntries(contextValue.vault?.tokenizedCounts() ?? []),
              revealed,
              deanonymized,
              unresolved: audit?.unresolved ?? 0,
              durationMs: Math.round((performance.now() - started) * 100) / 100,
              outcome: codes.length === 0 ? 'ok' : 'error',
              ...(codes.length ? { errorCodes: codes } : {}),
            },
            'operation',
          );
          // Only what actually left: a response replaced by an error revealed nothing.
          if (!delivered) return;
          if (Object.keys(revealed).length > 0) logger.info({ ...who, event: 'reveal', kinds: revealed, reason: audit?.reason ?? null }, 'reveal');
          if (Object.keys(deanonymized).length > 0) {
            logger.info({ ...who, event: 'deanonymize', kinds: deanonymized, unresolved: audit.unresolved, reason: audit.reason ?? null }, 'deanonymize');
          }
        },
      };
    },
  };
}
