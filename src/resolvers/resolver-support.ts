import { auditReason, type AuditRecord } from '../audit.js';
import type { Identity } from '../auth/identity.js';
import { ErrorCode, GatewayError, storeUnavailable } from '../errors/gateway-error.js';
import type { ItemError, KindCount } from '../generated/resolvers-types.js';
import type { ResolveFn } from '../payload/deanonymize-payload.js';
import { StoreUnavailableError } from '../store/token-store.js';
import { isValidKind } from '../tokens/token-format.js';
import type { RequestVault } from '../vault/vault.js';

/**
 * Keeps the stated reason for the audit trail; when the caller's token demands one and
 * originals are at stake, refuses the operation without it.
 */
export function recordReason(identity: Identity, audit: AuditRecord, reason: string | null | undefined, operation: string, revealsOriginals: boolean): void {
  audit.reason = auditReason(reason) ?? audit.reason;
  if (revealsOriginals && identity.revealRequiresReason && !audit.reason) {
    throw new GatewayError(ErrorCode.FORBIDDEN, `Your token requires a reason for ${operation} (the reason argument)`);
  }
}

/** Token lookups for the deanonymize mutations: a store failure becomes STORE_UNAVAILABLE (503). */
export function storeReads(vault: RequestVault): ResolveFn {
  return async (tokens) => {
    try {
      return await vault.resolveMany(tokens);
    } catch (error) {
      throw error instanceof StoreUnavailableError ? storeUnavailable('read') : error;
    }
  };
}

export function checkKind(kind: string, argument: string): string {
  if (!isValidKind(kind)) throw new GatewayError(ErrorCode.BAD_USER_INPUT, `${argument} must be lowercase letters, digits and underscores, starting with a letter (at most 32)`);
  return kind;
}

export function sum(counts: Map<string, number>): number {
  let total = 0;
  for (const count of counts.values()) total += count;
  return total;
}

export function kindCounts(counts: Map<string, number>): KindCount[] {
  return [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([kind, count]) => ({ kind, count }));
}

/** One item's own failure (a batch item, a policy's sample); anything but the gateway's documented errors fails the call. */
export function itemError(error: unknown): ItemError {
  if (error instanceof GatewayError) return { code: error.code, message: error.message };
  throw error;
}
