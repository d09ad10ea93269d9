import { requireScope, Scope } from '../auth/scopes.js';
import { ErrorCode, GatewayError } from '../errors/gateway-error.js';
import type { MutationResolvers } from '../generated/resolvers-types.js';
import { RestoredSize } from '../payload/payload-limits.js';
import { restoreRules, type PiiRuleInput } from '../payload/payload-rules.js';
import type { PolicySet } from '../policy/policy.js';
import { anonymizeOne, deanonymizeOne, spansOffThread, textSpansOffThread } from './payload-operations.js';
import { withTextSpans } from '../transform/field-transform.js';
import { chooseRules, contextFor } from './policy-resolvers.js';
import { itemError, recordReason } from './resolver-support.js';

export const DEFAULT_MAX_BATCH_ITEMS = 1000;

/**
 * anonymizeBatch and deanonymizeBatch: the single-payload operations item by item, sharing the
 * request's vault, so new mappings of every item go out in shared write batches when the
 * request flushes, and the tokens of every item are resolved in shared reads.
 */
export function batchResolvers(maxItems: number, policies: PolicySet): Pick<MutationResolvers, 'anonymizeBatch' | 'deanonymizeBatch'> {
  const checkSize = (count: number) => {
    if (count > maxItems) throw new GatewayError(ErrorCode.BAD_USER_INPUT, `payloads takes at most ${maxItems} items per call (MAX_BATCH_ITEMS)`);
  };
  return {
    anonymizeBatch: async (_, args, { pii, identity, audit, vault, detection }) => {
      requireScope(identity, Scope.ANONYMIZE);
      checkSize(args.payloads.length);
      // Rules are the same for every item: a bad one fails the call, not each item.
      const chosen = chooseRules(args, policies, identity.tenant);
      // What detection needs, of all items in one job, off the event loop when large: the strings
      // of a scan without rules, or the values of TEXT rules. If that fails (one item too deep,
      // say), items are scanned in place and fail one by one.
      const found = chosen.rules ? undefined : await spansOffThread(args.payloads, pii.detectLists, detection, audit).catch(() => undefined);
      const textSpans = chosen.rules ? await textSpansOffThread(args.payloads, chosen.rules, pii.detectLists, detection, audit).catch(() => undefined) : undefined;
      const context = withTextSpans(contextFor(pii, vault, chosen.retention), textSpans);
      const items = args.payloads.map((payload) => {
        const undo = vault.checkpoint();
        try {
          return { result: anonymizeOne(payload, chosen.rules, context, audit, found), error: null };
        } catch (error) {
          undo();
          return { result: null, error: itemError(error) };
        }
      });
      return {
        items,
        tokenized: items.reduce((total, item) => total + (item.result?.tokenized ?? 0), 0),
        failed: items.filter((item) => item.error).length,
      };
    },
    deanonymizeBatch: async (_, { payloads, reason, rules }, { pii, identity, audit, vault }) => {
      requireScope(identity, Scope.DEANONYMIZE);
      checkSize(payloads.length);
      const restore = restoreRules(rules as PiiRuleInput[] | null | undefined);
      recordReason(identity, audit, reason, 'deanonymizeBatch', true);
      // All items start before any awaits, so their tokens meet in the same store reads. What
      // they restore counts against one answer's limit: the items share the response.
      const size = new RestoredSize();
      const items = await Promise.all(
        payloads.map(async (payload) => {
          try {
            return { result: await deanonymizeOne(payload, restore, vault, pii, audit, size), error: null };
          } catch (error) {
            return { result: null, error: itemError(error) };
          }
        }),
      );
      // A store that cannot answer fails the call: no item could be resolved honestly.
      const unavailable = items.find((item) => item.error?.code === ErrorCode.STORE_UNAVAILABLE);
      if (unavailable) throw new GatewayError(ErrorCode.STORE_UNAVAILABLE, unavailable.error!.message);
      return {
        items,
        resolved: items.reduce((total, item) => total + (item.result?.resolved ?? 0), 0),
        unresolved: items.reduce((total, item) => total + (item.result?.unresolved ?? 0), 0),
        failed: items.filter((item) => item.error).length,
      };
    },
  };
}
