import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from '../context.js';

/** What one GraphQL operation did with personal data: counts and codes, never a value. */
export interface OperationSummary {
  requestId: string;
  tenant: string | undefined;
  subject: string | undefined;
  operationName: string | null;
  operationType: string | null;
  /** Values tokenized, per kind. */
  tokenized: Record<string, number>;
  /** Values revealed, per `kind:plain` / `kind:masked`. */
  revealed: Record<string, number>;
  /** Tokens resolved by deanonymize, per kind. */
  deanonymized: Record<string, number>;
  unresolved: number;
  /** Mappings erased by forget / forgetValues, per kind, and erasure targets not found. */
  forgotten: Record<string, number>;
  forgetNotFound: number;
  durationMs: number;
  /** Distinct error codes of the response; empty when it succeeded. */
  errorCodes: string[];
  /** Whether data left (a response replaced by an error revealed nothing). */
  delivered: boolean;
  reason: string | null;
  /** Time spent in detection (anonymizeText, anonymize without fields). */
  detectionMs: number;
}

export type SummaryConsumer = (summary: OperationSummary) => void;

/**
 * Works out each operation's summary once, when its response is ready, and hands it to the
 * audit log and the metrics.
 */
export function operationSummaryPlugin(...consumers: SummaryConsumer[]): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ contextValue, operation, operationName, response }) {
          const body = response.body;
          const errors = body.kind === 'single' ? body.singleResult.errors : body.initialResult.errors;
          const errorCodes = [...new Set((errors ?? []).map((error) => String(error.extensions?.code ?? 'UNKNOWN')))];
          const { identity, audit } = contextValue;
          const summary: OperationSummary = {
            requestId: contextValue.requestId,
            tenant: identity?.tenant,
            subject: identity?.subject,
            operationName: operationName ?? null,
            operationType: operation?.operation ?? null,
            tokenized: Object.fromEntries(contextValue.vault?.tokenizedCounts() ?? []),
            revealed: Object.fromEntries(contextValue.pii?.revealedCounts() ?? []),
            deanonymized: Object.fromEntries(audit?.deanonymized ?? []),
            unresolved: audit?.unresolved ?? 0,
            forgotten: Object.fromEntries(audit?.forgotten ?? []),
            forgetNotFound: audit?.forgetNotFound ?? 0,
            durationMs: Math.round((performance.now() - started) * 100) / 100,
            errorCodes,
            delivered: errorCodes.length === 0 || (body.kind === 'single' && body.singleResult.data != null),
            reason: audit?.reason ?? null,
            detectionMs: audit?.detectionMs ?? 0,
          };
          for (const consume of consumers) consume(summary);
        },
      };
    },
  };
}
