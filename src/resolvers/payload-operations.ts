import type { AuditRecord } from '../audit.js';
import type { AnonymizeResult, DeanonymizeResult } from '../generated/resolvers-types.js';
import type { JsonValue } from '../json.js';
import type { GatewayContext } from '../context.js';
import type { DetectLists } from '../detect/detect.js';
import { offThreadIfLarge } from '../detect/detection-offload.js';
import { forEachAtPath } from '../payload/json-path.js';
import { anonymizePayload, payloadStrings, type FoundSpans } from '../payload/anonymize-payload.js';
import { deanonymizePayload } from '../payload/deanonymize-payload.js';
import type { RestoredSize } from '../payload/payload-limits.js';
import type { PayloadRule, RestoreRule } from '../payload/payload-rules.js';
import { restoreFormatPreserved } from '../payload/restore-format-preserved.js';
import type { TransformContext } from '../transform/field-transform.js';
import type { RequestPiiContext } from '../transform/request-pii-context.js';
import { PII_STRATEGIES } from '../transform/strategies.js';
import type { RequestVault } from '../vault/vault.js';
import { kindCounts, storeReads, sum } from './resolver-support.js';

/** One payload through anonymize's rules (or, without rules, the recognizers, unless `found` has the spans already). */
export function anonymizeOne(payload: JsonValue, rules: PayloadRule[] | null, pii: TransformContext, audit: AuditRecord, found?: FoundSpans): AnonymizeResult {
  // Without rules every string is scanned by the recognizers: that is detection time.
  const outcome = rules ? anonymizePayload(payload, rules, pii) : audit.timeDetection(() => anonymizePayload(payload, null, pii, found));
  return {
    payload: outcome.payload,
    tokenized: sum(outcome.kinds),
    kinds: kindCounts(outcome.kinds),
    strategies: PII_STRATEGIES.filter((strategy) => outcome.strategies.has(strategy)).map((strategy) => ({ strategy, count: outcome.strategies.get(strategy)! })),
    unmatchedFields: outcome.unmatchedFields,
  };
}

/**
 * For a scan without rules: when the payload's strings exceed DETECT_OFFLOAD_BYTES, their spans
 * are found on a detection thread, so a large payload does not stall the event loop; undefined
 * when they are few enough to scan in place.
 */
export async function spansOffThread(payload: JsonValue, lists: DetectLists, detection: GatewayContext['detection'], audit: AuditRecord): Promise<FoundSpans | undefined> {
  return offThreadIfLarge(payloadStrings(payload), lists, 'patterns', detection, audit);
}

/**
 * For rules with the TEXT strategy: the same for the values at their paths (in all the payloads
 * of a batch), found with the free-text recognizers, NER included.
 */
export async function textSpansOffThread(
  payloads: readonly JsonValue[],
  rules: readonly PayloadRule[],
  lists: DetectLists,
  detection: GatewayContext['detection'],
  audit: AuditRecord,
): Promise<FoundSpans | undefined> {
  const texts = new Set<string>();
  for (const rule of rules) {
    if (rule.strategy !== 'TEXT') continue;
    for (const payload of payloads) {
      forEachAtPath(payload, rule.steps, (value) => {
        if (typeof value === 'string') texts.add(value);
      });
    }
  }
  return offThreadIfLarge([...texts], lists, 'text', detection, audit);
}

/** One payload's tokens resolved and its FORMAT_PRESERVING paths decrypted; counted in the audit record. */
export async function deanonymizeOne(payload: JsonValue, rules: RestoreRule[], vault: RequestVault, pii: RequestPiiContext, audit: AuditRecord, size?: RestoredSize): Promise<DeanonymizeResult> {
  const decrypted = restoreFormatPreserved(payload, rules, pii.keys.fpe);
  const outcome = await deanonymizePayload(decrypted.payload, vault.tokenFormat, storeReads(vault), size);
  for (const [kind, count] of decrypted.kinds) outcome.kinds.set(kind, (outcome.kinds.get(kind) ?? 0) + count);
  audit.countDeanonymized(outcome.kinds, outcome.unresolved);
  return {
    payload: outcome.payload,
    resolved: outcome.resolved + sum(decrypted.kinds),
    unresolved: outcome.unresolved,
    kinds: kindCounts(outcome.kinds),
  };
}
