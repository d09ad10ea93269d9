import type { AuditRecord } from '../audit.js';
import type { Identity } from '../auth/identity.js';
import { requireScope, Scope } from '../auth/scopes.js';
import { ErrorCode, GatewayError, storeUnavailable } from '../errors/gateway-error.js';
import type { MutationResolvers } from '../generated/resolvers-types.js';
import { StoreUnavailableError } from '../store/token-store.js';
import type { TokenFormat } from '../tokens/token-format.js';
import type { ForgetTarget, RequestVault } from '../vault/vault.js';
import { checkKind, kindCounts, recordReason, sum } from './resolver-support.js';

/** Most erasure targets one forget / forgetValues call takes. */
export const MAX_FORGET = 1000;

/** forget and forgetValues: erasure of mappings (schema/service.graphql). */
export const erasureResolvers: Pick<MutationResolvers, 'forget' | 'forgetValues'> = {
  forget: async (_, { tokens, reason }, { vault, identity, audit }) => {
    requireScope(identity, Scope.FORGET);
    checkForgetCount(tokens.length, 'tokens');
    const targets = tokens.map((token, index) => ({ token: checkToken(vault.tokenFormat, token, index) }));
    return forget(vault, audit, identity, reason, targets);
  },
  forgetValues: async (_, { values, reason }, { vault, identity, audit }) => {
    requireScope(identity, Scope.FORGET);
    checkForgetCount(values.length, 'values');
    const targets = values.map(({ kind, value }, index) => ({ kind: checkKind(kind, `values[${index}].kind`), value }));
    return forget(vault, audit, identity, reason, targets);
  },
};

async function forget(vault: RequestVault, audit: AuditRecord, identity: Identity, reason: string | null | undefined, targets: ForgetTarget[]) {
  recordReason(identity, audit, reason, 'forget', false);
  let outcome;
  try {
    outcome = await vault.forget(targets);
  } catch (error) {
    throw error instanceof StoreUnavailableError ? storeUnavailable('erasure') : error;
  }
  audit.countForgotten(outcome.forgotten, outcome.notFound);
  return { forgotten: sum(outcome.forgotten), notFound: outcome.notFound, kinds: kindCounts(outcome.forgotten) };
}

function checkForgetCount(count: number, argument: string): void {
  if (count > MAX_FORGET) throw new GatewayError(ErrorCode.BAD_USER_INPUT, `${argument} takes at most ${MAX_FORGET} entries per call`);
}

function checkToken(format: TokenFormat, token: string, index: number): string {
  // Not quoted: a string that is not a token may be the very value being erased.
  if (format.kindOf(token) === undefined) throw new GatewayError(ErrorCode.BAD_USER_INPUT, `tokens[${index}] is not a token of this gateway`);
  return token;
}
