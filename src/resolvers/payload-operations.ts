import type { AuditRecord } from '../audit.js';
import type { AnonymizeResult, DeanonymizeResult } from '../generated/resolvers-types.js';
import type { JsonValue } from '../json.js';
import { anonymizePayload } from '../payload/anonymize-payload.js';
import { deanonymizePayload } from '../payload/deanonymize-payload.js';
import type { PayloadRule, RestoreRule } from '../payload/payload-rules.js';
import { restoreFormatPreserved } from '../payload/restore-format-preserved.js';
import type { TransformContext } from '../transform/field-transform.js';
import type { RequestPiiContext } from '../transform/request-pii-context.js';
import { PII_STRATEGIES } from '../transform/strategies.js';
import type { RequestVault } from '../vault/vault.js';
import { kindCounts, storeReads, sum } from './resolver-support.js';

/** One payload through anonymize's rules (or, without rules, the recognizers). */
export function anonymizeOne(payload: JsonValue, rules: PayloadRule[] | null, pii: TransformContext, audit: AuditRecord): AnonymizeResult {
  // Without rules every string is scanned by the recognizers: that is detection time.
  const outcome = rules ? anonymizePayload(payload, rules, pii) : audit.timeDetection(() => anonymizePayload(payload, null, pii));
  return {
    payload: outcome.payload,
    tokenized: sum(outcome.kinds),
    kinds: kindCounts(outcome.kinds),
    strategies: PII_STRATEGIES.filter((strategy) => outcome.strategies.has(strategy)).map((strategy) => ({ strategy, count: outcome.strategies.get(strategy)! })),
    unmatchedFields: outcome.unmatchedFields,
  };
}

/** One payload's tokens resolved and its FORMAT_PRESERVING paths decrypted; counted in the audit record. */
export async function deanonymizeOne(payload: JsonValue, rules: RestoreRule[], vault: RequestVault, pii: RequestPiiContext, audit: AuditRecord): Promise<DeanonymizeResult> {
  const decrypted = restoreFormatPreserved(payload, rules, pii.keys.fpe);
  const outcome = await deanonymizePayload(decrypted.payload, vault.tokenFormat, storeReads(vault));
  for (const [kind, count] of decrypted.kinds) outcome.kinds.set(kind, (outcome.kinds.get(kind) ?? 0) + count);
  audit.countDeanonymized(outcome.kinds, outcome.unresolved);
  return {
    payload: outcome.payload,
    resolved: outcome.resolved + sum(decrypted.kinds),
    unresolved: outcome.unresolved,
    kinds: kindCounts(outcome.kinds),
  };
}
