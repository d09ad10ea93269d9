import { requireScope, Scope } from '../auth/scopes.js';
import { auditReason } from '../audit.js';
import { ErrorCode, GatewayError, storeUnavailable } from '../errors/gateway-error.js';
import type { MutationResolvers, QueryResolvers, TenantShredding } from '../generated/resolvers-types.js';
import type { ShreddingProgress } from '../shredding/tenant-shredder.js';
import { StoreUnavailableError } from '../store/token-store.js';

/** shredTenant and tenantShredding (schema/service.graphql). */
export const shreddingResolvers: { Mutation: Pick<MutationResolvers, 'shredTenant'>; Query: Pick<QueryResolvers, 'tenantShredding'> } = {
  Mutation: {
    shredTenant: async (_, { confirmTenant, reason }, { identity, shredder, requestId }) => {
      requireScope(identity, Scope.SHRED);
      // Not quoted: the caller typed it, and it names no one else's tenant in an error.
      if (confirmTenant !== identity.tenant) throw new GatewayError(ErrorCode.BAD_USER_INPUT, "confirmTenant must be the caller's tenant, exactly");
      const why = auditReason(reason);
      if (!why) throw new GatewayError(ErrorCode.BAD_USER_INPUT, 'reason must say why the tenant is shredded');
      try {
        return view(await shredder.shred({ tenant: identity.tenant, subject: identity.subject, requestId, reason: why }));
      } catch (error) {
        throw error instanceof StoreUnavailableError ? storeUnavailable('shredding') : error;
      }
    },
  },
  Query: {
    tenantShredding: (_, __, { identity, shredder }) => {
      requireScope(identity, Scope.SHRED);
      const progress = shredder.progress(identity.tenant);
      return progress ? view(progress) : null;
    },
  },
};

function view(progress: ShreddingProgress): TenantShredding {
  const at = (ms: number) => new Date(ms).toISOString();
  return {
    tenant: progress.tenant,
    state: progress.state,
    keyRetiredAt: at(progress.keyRetiredAt),
    deletionStartsAt: at(progress.deletionStartsAt),
    scanned: progress.scanned,
    deleted: progress.deleted,
    kept: progress.kept,
    finishedAt: progress.finishedAt === undefined ? null : at(progress.finishedAt),
    failure: progress.failure ?? null,
  };
}
