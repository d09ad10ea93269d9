import { GraphQLScalarType } from 'graphql';
import { JSONResolver } from 'graphql-scalars';
import { checkJsonLimits, DEFAULT_JSON_LIMITS, type JsonLimits } from '../payload/payload-limits.js';
import { requireScope, Scope } from '../auth/scopes.js';
import { auditReason, type AuditRecord } from '../audit.js';
import type { Identity } from '../auth/identity.js';
import { ErrorCode, GatewayError, storeUnavailable } from '../errors/gateway-error.js';
import { StoreUnavailableError } from '../store/token-store.js';
import type { KindCount, Resolvers } from '../generated/resolvers-types.js';
import { anonymizePayload } from '../payload/anonymize-payload.js';
import { deanonymizePayload, type ResolveFn } from '../payload/deanonymize-payload.js';
import { anonymizeRules, restoreRules, type PiiRuleInput } from '../payload/payload-rules.js';
import { restoreFormatPreserved } from '../payload/restore-format-preserved.js';
import { PII_STRATEGIES } from '../transform/strategies.js';
import { isValidKind } from '../tokens/token-format.js';
import type { ForgetTarget, RequestVault } from '../vault/vault.js';
import type { TokenFormat } from '../tokens/token-format.js';
import { detectSpans, TEXT_RECOGNIZERS } from '../detect/detect.js';
import { anonymizeText } from '../text/anonymize-text.js';
import { checkCustomRecognizers, CustomRecognizerError, type CustomRecognizerSpec } from '../detect/recognizers/custom-pattern.js';
import { deanonymizeText } from '../text/deanonymize-text.js';

/** The JSON scalar, refusing values past the limits before any resolver sees them. */
function limitedJson(limits: JsonLimits): GraphQLScalarType {
  const config = JSONResolver.toConfig();
  return new GraphQLScalarType({
    ...config,
    parseValue(value) {
      checkJsonLimits(value, limits);
      return config.parseValue!(value);
    },
    parseLiteral(ast, variables) {
      const value = config.parseLiteral!(ast, variables);
      checkJsonLimits(value, limits);
      return value;
    },
  });
}

/** The gateway's own API (schema/service.graphql). */
export function createServiceResolvers(limits: JsonLimits = DEFAULT_JSON_LIMITS): Resolvers {
  return {
    JSON: limitedJson(limits),
    Mutation: {
      anonymize: (_, { payload, fields, rules }, { pii, identity, audit }) => {
        requireScope(identity, Scope.ANONYMIZE);
        const checked = anonymizeRules(fields, rules as PiiRuleInput[] | null | undefined);
        // Without rules every string is scanned by the recognizers: that is detection time.
        const outcome = checked ? anonymizePayload(payload, checked, pii) : audit.timeDetection(() => anonymizePayload(payload, null, pii));
        return {
          payload: outcome.payload,
          tokenized: sum(outcome.kinds),
          kinds: kindCounts(outcome.kinds),
          strategies: PII_STRATEGIES.filter((strategy) => outcome.strategies.has(strategy)).map((strategy) => ({ strategy, count: outcome.strategies.get(strategy)! })),
          unmatchedFields: outcome.unmatchedFields,
        };
      },
      deanonymize: async (_, { payload, reason, rules }, { vault, identity, audit, pii }) => {
        requireScope(identity, Scope.DEANONYMIZE);
        const restore = restoreRules(rules as PiiRuleInput[] | null | undefined);
        recordReason(identity, audit, reason, 'deanonymize', true);
        const decrypted = restoreFormatPreserved(payload, restore, pii.keys.fpe);
        const outcome = await deanonymizePayload(decrypted.payload, vault.tokenFormat, storeReads(vault));
        for (const [kind, count] of decrypted.kinds) outcome.kinds.set(kind, (outcome.kinds.get(kind) ?? 0) + count);
        audit.countDeanonymized(outcome.kinds, outcome.unresolved);
        return {
          payload: outcome.payload,
          resolved: outcome.resolved + sum(decrypted.kinds),
          unresolved: outcome.unresolved,
          kinds: kindCounts(outcome.kinds),
        };
      },
      anonymizeText: async (_, { text, kinds, mode, allow, deny, recognizers }, { vault, identity, audit, detection, pii }) => {
        requireScope(identity, Scope.ANONYMIZE);
        const bytes = checkTextSize(text);
        // The request's lists and recognizers add to the configured ones.
        const lists = {
          allow: [...(pii.detectLists.allow ?? []), ...(allow ?? [])],
          deny: [...(pii.detectLists.deny ?? []), ...(deny ?? []).map(({ value, kind }, index) => ({ value, kind: denyKind(kind, index) }))],
          recognizers: [...(pii.detectLists.recognizers ?? []), ...checkedRecognizers(recognizers ?? [])],
        };
        const started = performance.now();
        // A large text is scanned on a detection thread, so the event loop keeps serving.
        const spans = bytes > detection.offloadBytes ? await detection.pool.detect(text, lists) : detectSpans(text, TEXT_RECOGNIZERS, lists);
        audit.detectionMs += performance.now() - started;
        const result = anonymizeText(text, kinds, mode ?? 'TOKENS', (kind, value) => vault.tokenize(kind, value), lists, spans);
        return {
          text: result.text,
          spans: result.spans.map(({ kind, start, end, score }) => ({ kind, start, end, score })),
          mapping: result.mapping,
          kinds: kindCounts(result.kinds),
        };
      },
      deanonymizeText: async (_, { text, mapping, reason }, { vault, identity, audit }) => {
        checkTextSize(text);
        // Placeholders come from the caller's own mapping; tokens need the deanonymize right.
        const hasTokens = vault.tokenFormat.findAll(text).length > 0;
        requireScope(identity, hasTokens ? Scope.DEANONYMIZE : Scope.ANONYMIZE);
        recordReason(identity, audit, reason, 'deanonymizeText', hasTokens);
        const result = await deanonymizeText(text, mapping, vault.tokenFormat, storeReads(vault));
        if (hasTokens) audit.countDeanonymized(result.kinds, result.unresolved);
        return { text: result.text, resolved: result.resolved, unresolved: result.unresolved, kinds: kindCounts(result.kinds) };
      },
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
    },
  };
}

/** Most erasure targets one forget / forgetValues call takes. */
export const MAX_FORGET = 1000;

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

/** With the default JSON limits: for the benchmark and tests that build schemas themselves. */
export const serviceResolvers: Resolvers = createServiceResolvers();

/**
 * Keeps the stated reason for the audit trail; when the caller's token demands one and
 * originals are at stake, refuses the operation without it.
 */
function recordReason(identity: Identity, audit: AuditRecord, reason: string | null | undefined, operation: string, revealsOriginals: boolean): void {
  audit.reason = auditReason(reason) ?? audit.reason;
  if (revealsOriginals && identity.revealRequiresReason && !audit.reason) {
    throw new GatewayError(ErrorCode.FORBIDDEN, `Your token requires a reason for ${operation} (the reason argument)`);
  }
}

/** Token lookups for the deanonymize mutations: a store failure becomes STORE_UNAVAILABLE (503). */
function storeReads(vault: RequestVault): ResolveFn {
  return async (tokens) => {
    try {
      return await vault.resolveMany(tokens);
    } catch (error) {
      throw error instanceof StoreUnavailableError ? storeUnavailable('read') : error;
    }
  };
}

function checkedRecognizers(specs: CustomRecognizerSpec[]): CustomRecognizerSpec[] {
  try {
    checkCustomRecognizers(specs, 'recognizers');
  } catch (error) {
    if (error instanceof CustomRecognizerError) throw new GatewayError(ErrorCode.BAD_USER_INPUT, error.message);
    throw error;
  }
  return specs;
}

function denyKind(kind: string, index: number): string {
  return checkKind(kind, `deny[${index}].kind`);
}

function checkKind(kind: string, argument: string): string {
  if (!isValidKind(kind)) throw new GatewayError(ErrorCode.BAD_USER_INPUT, `${argument} must be lowercase letters, digits and underscores, starting with a letter (at most 32)`);
  return kind;
}

/** Free text above this many bytes is refused before any detection runs. */
export const MAX_TEXT_BYTES = 1024 * 1024;

/** The text's size in bytes, after refusing a text over the limit. */
function checkTextSize(text: string): number {
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_TEXT_BYTES) {
    throw new GatewayError(ErrorCode.PAYLOAD_TOO_LARGE, `text exceeds ${MAX_TEXT_BYTES} bytes`);
  }
  return bytes;
}

function sum(counts: Map<string, number>): number {
  let total = 0;
  for (const count of counts.values()) total += count;
  return total;
}

function kindCounts(counts: Map<string, number>): KindCount[] {
  return [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([kind, count]) => ({ kind, count }));
}
