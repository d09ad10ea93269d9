import { JSONResolver } from 'graphql-scalars';
import { requireScope, Scope } from '../auth/scopes.js';
import { auditReason } from '../audit.js';
import { ErrorCode, GatewayError, storeUnavailable } from '../errors/gateway-error.js';
import { StoreUnavailableError } from '../store/token-store.js';
import type { KindCount, Resolvers } from '../generated/resolvers-types.js';
import { anonymizePayload } from '../payload/anonymize-payload.js';
import { deanonymizePayload } from '../payload/deanonymize-payload.js';

/** The gateway's own API (schema/service.graphql). */
export const serviceResolvers: Resolvers = {
  JSON: JSONResolver,
  Mutation: {
    anonymize: (_, { payload, fields }, { vault, identity }) => {
      requireScope(identity, Scope.ANONYMIZE);
      const outcome = anonymizePayload(payload, fields, (kind, value) => vault.tokenize(kind, value));
      return {
        payload: outcome.payload,
        tokenized: sum(outcome.kinds),
        kinds: kindCounts(outcome.kinds),
        unmatchedFields: outcome.unmatchedFields,
      };
    },
    deanonymize: async (_, { payload, reason }, { vault, identity, audit }) => {
      requireScope(identity, Scope.DEANONYMIZE);
      audit.reason = auditReason(reason) ?? audit.reason;
      if (identity.revealRequiresReason && !audit.reason) {
        throw new GatewayError(ErrorCode.FORBIDDEN, 'Your token requires a reason for deanonymize (the reason argument)');
      }
      const outcome = await deanonymizePayload(payload, vault.tokenFormat, async (tokens) => {
        try {
          return await vault.resolveMany(tokens);
        } catch (error) {
          throw error instanceof StoreUnavailableError ? storeUnavailable('read') : error;
        }
      });
      audit.countDeanonymized(outcome.kinds, outcome.unresolved);
      return {
        payload: outcome.payload,
        resolved: outcome.resolved,
        unresolved: outcome.unresolved,
        kinds: kindCounts(outcome.kinds),
      };
    },
  },
};

function sum(counts: Map<string, number>): number {
  let total = 0;
  for (const count of counts.values()) total += count;
  return total;
}

function kindCounts(counts: Map<string, number>): KindCount[] {
  return [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([kind, count]) => ({ kind, count }));
}
