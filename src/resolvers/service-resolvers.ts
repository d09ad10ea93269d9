import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { JSONResolver } from 'graphql-scalars';
import { requireScope, Scope } from '../auth/scopes.js';
import { textSpansOf } from '../detect/detection-offload.js';
import { checkCustomRecognizers, CustomRecognizerError, type CustomRecognizerSpec } from '../detect/recognizers/custom-pattern.js';
import { ErrorCode, GatewayError } from '../errors/gateway-error.js';
import type { Resolvers } from '../generated/resolvers-types.js';
import { INEXACT_INTEGER_ADVICE, isExactInteger } from '../json-numbers.js';
import { checkJsonLimits, DEFAULT_JSON_LIMITS, type JsonLimits } from '../payload/payload-limits.js';
import { restoreRules, type PiiRuleInput } from '../payload/payload-rules.js';
import { PolicySet } from '../policy/policy.js';
import { anonymizeText, checkRequestedKinds } from '../text/anonymize-text.js';
import { deanonymizeText } from '../text/deanonymize-text.js';
import { batchResolvers, DEFAULT_MAX_BATCH_ITEMS } from './batch-resolvers.js';
import { erasureResolvers } from './erasure-resolvers.js';
import { anonymizeOne, deanonymizeOne, spansOffThread, textSpansOffThread } from './payload-operations.js';
import { withTextSpans } from '../transform/field-transform.js';
import { chooseRules, contextFor, policyResolvers } from './policy-resolvers.js';
import { shreddingResolvers } from './shredding-resolvers.js';
import { checkKind, kindCounts, recordReason, storeReads } from './resolver-support.js';

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
      checkIntegerLiterals(ast);
      const value = config.parseLiteral!(ast, variables);
      checkJsonLimits(value, limits);
      return value;
    },
  });
}

/** Integers written in the query itself (not in variables, which the HTTP layer checks) that a double would round. */
function checkIntegerLiterals(ast: ValueNode): void {
  if (ast.kind === Kind.INT && !isExactInteger(ast.value)) throw new GatewayError(ErrorCode.BAD_USER_INPUT, `An integer in a JSON literal ${INEXACT_INTEGER_ADVICE}`);
  if (ast.kind === Kind.LIST) for (const item of ast.values) checkIntegerLiterals(item);
  if (ast.kind === Kind.OBJECT) for (const field of ast.fields) checkIntegerLiterals(field.value);
}

export interface ServiceOptions {
  jsonLimits?: JsonLimits | undefined;
  /** MAX_BATCH_ITEMS. */
  maxBatchItems?: number | undefined;
  /** The policies of PII_POLICY_FILE. */
  policies?: PolicySet | undefined;
}

/** The gateway's own API (schema/service.graphql). */
export function createServiceResolvers(options: ServiceOptions = {}): Resolvers {
  const policies = options.policies ?? new PolicySet();
  return {
    JSON: limitedJson(options.jsonLimits ?? DEFAULT_JSON_LIMITS),
    Mutation: {
      anonymize: async (_, args, { pii, identity, audit, vault, detection }) => {
        requireScope(identity, Scope.ANONYMIZE);
        const chosen = chooseRules(args, policies, identity.tenant);
        const context = contextFor(pii, vault, chosen.retention);
        if (!chosen.rules) return anonymizeOne(args.payload, null, context, audit, await spansOffThread(args.payload, pii.detectLists, detection, audit));
        const textSpans = await textSpansOffThread([args.payload], chosen.rules, pii.detectLists, detection, audit);
        return anonymizeOne(args.payload, chosen.rules, textSpans ? withTextSpans(context, textSpans) : context, audit);
      },
      deanonymize: async (_, { payload, reason, rules }, { vault, identity, audit, pii }) => {
        requireScope(identity, Scope.DEANONYMIZE);
        const restore = restoreRules(rules as PiiRuleInput[] | null | undefined);
        recordReason(identity, audit, reason, 'deanonymize', true);
        return deanonymizeOne(payload, restore, vault, pii, audit);
      },
      anonymizeText: async (_, { text, kinds, mode, allow, deny, recognizers }, { vault, identity, audit, detection, pii }) => {
        requireScope(identity, Scope.ANONYMIZE);
        checkTextSize(text);
        // The request's lists and recognizers add to the configured ones.
        const lists = {
          allow: [...(pii.detectLists.allow ?? []), ...(allow ?? [])],
          deny: [...(pii.detectLists.deny ?? []), ...(deny ?? []).map(({ value, kind }, index) => ({ value, kind: denyKind(kind, index) }))],
          recognizers: [...(pii.detectLists.recognizers ?? []), ...checkedRecognizers(recognizers ?? [])],
        };
        checkRequestedKinds(kinds, lists);
        // A large text is scanned on a detection thread, so the event loop keeps serving.
        const [spans] = await textSpansOf([text], lists, detection, audit);
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
      ...erasureResolvers,
      ...batchResolvers(options.maxBatchItems ?? DEFAULT_MAX_BATCH_ITEMS, policies),
      ...policyResolvers,
      ...shreddingResolvers.Mutation,
    },
    Query: shreddingResolvers.Query,
  };
}

/** With the default JSON limits: for the benchmark and tests that build schemas themselves. */
export const serviceResolvers: Resolvers = createServiceResolvers();

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

/** Free text above this many bytes is refused before any detection runs. */
export const MAX_TEXT_BYTES = 1024 * 1024;

function checkTextSize(text: string): void {
  if (Buffer.byteLength(text) > MAX_TEXT_BYTES) {
    throw new GatewayError(ErrorCode.PAYLOAD_TOO_LARGE, `text exceeds ${MAX_TEXT_BYTES} bytes`);
  }
}
