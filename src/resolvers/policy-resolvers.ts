import { requireScope, Scope } from '../auth/scopes.js';
import { ErrorCode, GatewayError } from '../errors/gateway-error.js';
import { detectableKinds, TEXT_RECOGNIZERS } from '../detect/detect.js';
import type { MutationResolvers } from '../generated/resolvers-types.js';
import { anonymizeRules, type PayloadRule, type PiiRuleInput } from '../payload/payload-rules.js';
import { checkPolicy } from '../policy/policy-definition.js';
import { pathLabel, POLICY_NAME, PolicyError, type PolicySet } from '../policy/policy.js';
import { withTokenize, type TransformContext } from '../transform/field-transform.js';
import type { RequestPiiContext } from '../transform/request-pii-context.js';
import type { RequestVault } from '../vault/vault.js';
import { anonymizeOne } from './payload-operations.js';
import { itemError } from './resolver-support.js';

/** What anonymize applies: the rules, and the life bound of what they store. */
export interface ChosenRules {
  rules: PayloadRule[] | null;
  retention?: number | undefined;
}

/** A named policy of the caller's tenant, or the call's own fields and rules. */
export function chooseRules(
  args: { fields?: string[] | null; rules?: unknown[] | null; policy?: string | null },
  policies: PolicySet,
  tenant: string,
): ChosenRules {
  if (args.policy == null) return { rules: anonymizeRules(args.fields, args.rules as PiiRuleInput[] | null | undefined) };
  if (args.fields != null || args.rules != null) throw new GatewayError(ErrorCode.BAD_USER_INPUT, 'policy replaces fields and rules: give one or the other');
  if (!POLICY_NAME.test(args.policy)) throw new GatewayError(ErrorCode.BAD_USER_INPUT, 'policy is not a valid policy name');
  const policy = policies.find(tenant, args.policy);
  if (!policy) throw new GatewayError(ErrorCode.BAD_USER_INPUT, 'policy names no policy of PII_POLICY_FILE for this tenant');
  return policy;
}

/** The request's transform context, with what it tokenizes stored under the policy's retention. */
export function contextFor(pii: RequestPiiContext, vault: RequestVault, retention: number | undefined): TransformContext {
  if (retention === undefined) return pii;
  return withTokenize(pii, (kind, value) => vault.tokenize(kind, value, retention));
}

export const policyResolvers: Pick<MutationResolvers, 'validatePolicy'> = {
  validatePolicy: (_, { policy, sample }, { pii, identity, audit, vault }) => {
    requireScope(identity, Scope.ANONYMIZE);
    let checked;
    try {
      checked = checkPolicy(policy, { detectableKinds: detectableKinds(TEXT_RECOGNIZERS, pii.detectLists) });
    } catch (error) {
      if (!(error instanceof PolicyError)) throw error;
      return { valid: false, problem: { path: pathLabel(error.path), message: error.message }, preview: null, sampleError: null };
    }
    if (sample == null) return { valid: true, problem: null, preview: null, sampleError: null };
    // Tokens computed as anonymize would, but never queued: the preview writes nothing.
    const preview = withTokenize(pii, (kind, value) => vault.previewToken(kind, value));
    try {
      return { valid: true, problem: null, preview: anonymizeOne(sample, checked.rules, preview, audit), sampleError: null };
    } catch (error) {
      return { valid: true, problem: null, preview: null, sampleError: itemError(error) };
    }
  },
};
