import type { Logger } from '../log.js';
import type { SummaryConsumer } from './operation-summary.js';

/**
 * One structured line per GraphQL operation: who (tenant, subject), what (operation name and
 * type), how many values were tokenized, revealed and deanonymized per kind, how many tokens
 * did not resolve, how long, and the outcome as error codes. Reveals, deanonymizations and
 * erasures also get an event line of their own (who, which kinds, how many, the stated reason).
 * Never a value, a token's original or the query text.
 */
export function auditLog(logger: Logger): SummaryConsumer {
  return (summary) => {
    const who = { audit: true, requestId: summary.requestId, tenant: summary.tenant, subject: summary.subject };
    logger.info(
      {
        ...who,
        operation: summary.operationName,
        operationType: summary.operationType,
        tokenized: summary.tokenized,
        revealed: summary.revealed,
        deanonymized: summary.deanonymized,
        unresolved: summary.unresolved,
        durationMs: summary.durationMs,
        outcome: summary.errorCodes.length === 0 ? 'ok' : 'error',
        ...(summary.errorCodes.length ? { errorCodes: summary.errorCodes } : {}),
      },
      'operation',
    );
    // An erasure happened once the store deleted, whatever became of the response.
    if (Object.keys(summary.forgotten).length > 0 || summary.forgetNotFound > 0) {
      logger.info({ ...who, event: 'forget', kinds: summary.forgotten, notFound: summary.forgetNotFound, reason: summary.reason }, 'forget');
    }
    // Only what actually left: a response replaced by an error revealed nothing.
    if (!summary.delivered) return;
    if (Object.keys(summary.revealed).length > 0) logger.info({ ...who, event: 'reveal', kinds: summary.revealed, reason: summary.reason }, 'reveal');
    if (Object.keys(summary.deanonymized).length > 0) {
      logger.info({ ...who, event: 'deanonymize', kinds: summary.deanonymized, unresolved: summary.unresolved, reason: summary.reason }, 'deanonymize');
    }
  };
}
