import { detectSpans, PATTERN_RECOGNIZERS } from '../detect/detect.js';
import type { Span } from '../detect/span.js';
import { badUserInput } from '../errors/gateway-error.js';
import { isJsonObject, mapValues, type JsonValue } from '../json.js';
import { TransformFailure, withTokenize, type TransformContext } from '../transform/field-transform.js';
import { replaceAtPaths } from './json-path.js';
import { checkDepth } from './payload-limits.js';
import type { PayloadRule } from './payload-rules.js';

export type TokenizeFn = (kind: string, value: JsonValue) => string;

export interface AnonymizeOutcome {
  payload: JsonValue;
  /** Tokenized values per kind. */
  kinds: Map<string, number>;
  /** Transformed values per strategy, TOKENIZE included. */
  strategies: Map<string, number>;
  unmatchedFields: string[];
}

/**
 * Applies each rule to the values at its path, or, without rules, replaces every recognized
 * span inside every string leaf with a token. TOKENIZE takes any JSON value (restored with its
 * type); the other strategies take one scalar each (`[*]` reaches the items of a list). Returns
 * a new value; the input is not modified.
 */
export function anonymizePayload(
  payload: JsonValue,
  rules: readonly PayloadRule[] | null,
  context: TransformContext,
  /** Spans already found for the payload's strings (on a detection thread); others are scanned here. */
  found?: FoundSpans,
): AnonymizeOutcome {
  const kinds = new Map<string, number>();
  const strategies = new Map<string, number>();
  const tokenize: TokenizeFn = (kind, value) => {
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    return context.tokenize(kind, value);
  };
  if (rules == null) {
    const spansOf = (text: string) => found?.get(text) ?? detectSpans(text, PATTERN_RECOGNIZERS, context.detectLists);
    const scanned = scanStrings(payload, tokenize, spansOf, 0);
    if (kinds.size > 0) strategies.set('TOKENIZE', [...kinds.values()].reduce((a, b) => a + b, 0));
    return { payload: scanned, kinds, strategies, unmatchedFields: [] };
  }
  // Strategies that tokenize inside a value (TEXT) count their tokens like TOKENIZE does.
  const counting = withTokenize(context, tokenize);
  const matched = new Set<PayloadRule>();
  const result = replaceAtPaths(
    payload,
    rules.map((rule) => ({
      steps: rule.steps,
      reached: () => matched.add(rule),
      replace: (value: JsonValue) => {
        if (value === null) return null;
        strategies.set(rule.strategy, (strategies.get(rule.strategy) ?? 0) + 1);
        if (rule.strategy === 'TOKENIZE') return tokenize(rule.kind, value);
        return transformOne(rule, value, counting);
      },
    })),
  );
  const unmatchedFields = rules.filter((rule) => !matched.has(rule)).map((rule) => rule.entry);
  return { payload: result, kinds, strategies, unmatchedFields };
}

function transformOne(rule: PayloadRule, value: JsonValue, context: TransformContext): JsonValue {
  if (typeof value === 'object') {
    throw badUserInput(`${rule.label}: ${rule.strategy} applies to single values, not objects or lists; use [*] to reach the items`);
  }
  try {
    return rule.transform(value as string | number | boolean, rule.kind, context);
  } catch (error) {
    if (error instanceof TransformFailure) throw badUserInput(`${rule.label}: a value at this path cannot be transformed by ${rule.strategy} (${error.message})`);
    throw error;
  }
}

/** Spans per distinct string of a payload, found before anonymizePayload runs. */
export type FoundSpans = ReadonlyMap<string, Span[]>;

/** The distinct strings of a payload: what a scan without rules reads. */
export function payloadStrings(payload: JsonValue): string[] {
  const strings = new Set<string>();
  const walk = (value: JsonValue, depth: number): void => {
    checkDepth(depth);
    if (typeof value === 'string') strings.add(value);
    else if (Array.isArray(value)) for (const item of value) walk(item, depth + 1);
    else if (isJsonObject(value)) for (const item of Object.values(value)) walk(item, depth + 1);
  };
  walk(payload, 0);
  return [...strings];
}

function scanStrings(value: JsonValue, tokenize: TokenizeFn, spansOf: (text: string) => Span[], depth: number): JsonValue {
  checkDepth(depth);
  if (typeof value === 'string') return replaceSpans(value, tokenize, spansOf(value));
  if (Array.isArray(value)) return value.map((item) => scanStrings(item, tokenize, spansOf, depth + 1));
  if (isJsonObject(value)) return mapValues(value, (item) => scanStrings(item, tokenize, spansOf, depth + 1));
  return value;
}

function replaceSpans(text: string, tokenize: TokenizeFn, spans: Span[]): string {
  if (spans.length === 0) return text;
  let out = '';
  let last = 0;
  for (const span of spans) {
    out += text.slice(last, span.start) + tokenize(span.kind, text.slice(span.start, span.end));
    last = span.end;
  }
  return out + text.slice(last);
}
