import { detectSpans, type DetectLists } from '../detect/detect.js';
import type { Recognizer } from '../detect/span.js';
import { badUserInput } from '../errors/gateway-error.js';
import { isJsonObject, mapValues, type JsonValue } from '../json.js';
import { TransformFailure, type TransformContext } from '../transform/field-transform.js';
import { replaceAtPath } from './json-path.js';
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
  recognizers?: readonly Recognizer[],
): AnonymizeOutcome {
  const kinds = new Map<string, number>();
  const strategies = new Map<string, number>();
  const tokenize: TokenizeFn = (kind, value) => {
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    return context.tokenize(kind, value);
  };
  if (rules == null) {
    const scanned = scanStrings(payload, tokenize, recognizers, context.detectLists, 0);
    if (kinds.size > 0) strategies.set('TOKENIZE', [...kinds.values()].reduce((a, b) => a + b, 0));
    return { payload: scanned, kinds, strategies, unmatchedFields: [] };
  }
  // Strategies that tokenize inside a value (TEXT) count their tokens like TOKENIZE does.
  const counting: TransformContext = {
    tokenize,
    keys: context.keys,
    detectLists: context.detectLists,
    reveals: context.reveals,
    revealLevel: (kind) => context.revealLevel(kind),
    countRevealed: (kind, level) => context.countRevealed(kind, level),
  };
  const unmatchedFields: string[] = [];
  let result = payload;
  for (const rule of rules) {
    let matched = false;
    result = replaceAtPath(result, rule.steps, (value) => {
      matched = true;
      if (value === null) return null;
      strategies.set(rule.strategy, (strategies.get(rule.strategy) ?? 0) + 1);
      if (rule.strategy === 'TOKENIZE') return tokenize(rule.kind, value);
      return transformOne(rule, value, counting);
    });
    if (!matched) unmatchedFields.push(rule.entry);
  }
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

function scanStrings(value: JsonValue, tokenize: TokenizeFn, recognizers: readonly Recognizer[] | undefined, lists: DetectLists, depth: number): JsonValue {
  checkDepth(depth);
  if (typeof value === 'string') return replaceSpans(value, tokenize, recognizers, lists);
  if (Array.isArray(value)) return value.map((item) => scanStrings(item, tokenize, recognizers, lists, depth + 1));
  if (isJsonObject(value)) return mapValues(value, (item) => scanStrings(item, tokenize, recognizers, lists, depth + 1));
  return value;
}

function replaceSpans(text: string, tokenize: TokenizeFn, recognizers: readonly Recognizer[] | undefined, lists: DetectLists): string {
  const spans = detectSpans(text, recognizers, lists);
  if (spans.length === 0) return text;
  let out = '';
  let last = 0;
  for (const span of spans) {
    out += text.slice(last, span.start) + tokenize(span.kind, text.slice(span.start, span.end));
    last = span.end;
  }
  return out + text.slice(last);
}
