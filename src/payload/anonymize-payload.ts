import { detectSpans } from '../detect/detect.js';
import type { Recognizer } from '../detect/span.js';
import { badUserInput } from '../errors/gateway-error.js';
import { isJsonObject, mapValues, type JsonValue } from '../json.js';
import { parseFieldSpec, PathSyntaxError, type FieldSpec, type PathStep } from './json-path.js';
import { checkDepth } from './payload-limits.js';

export type TokenizeFn = (kind: string, value: JsonValue) => string;

export interface AnonymizeOutcome {
  payload: JsonValue;
  /** Tokenized values per kind. */
  kinds: Map<string, number>;
  unmatchedFields: string[];
}

/**
 * Replaces the values at `fields` with tokens, or, without fields, every recognized span
 * inside every string leaf. Returns a new value; the input is not modified.
 */
export function anonymizePayload(
  payload: JsonValue,
  fields: readonly string[] | null | undefined,
  tokenize: TokenizeFn,
  recognizers?: readonly Recognizer[],
): AnonymizeOutcome {
  const kinds = new Map<string, number>();
  const counted: TokenizeFn = (kind, value) => {
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    return tokenize(kind, value);
  };
  if (fields == null) {
    return { payload: scanStrings(payload, counted, recognizers, 0), kinds, unmatchedFields: [] };
  }
  const specs = fields.map((entry, index) => parseEntry(entry, index));
  const unmatchedFields: string[] = [];
  let result = payload;
  specs.forEach((spec, index) => {
    let matched = false;
    result = replaceAt(result, spec.steps, 0, (value) => {
      matched = true;
      return value === null ? null : counted(spec.kind, value);
    });
    if (!matched) unmatchedFields.push(fields[index]!);
  });
  return { payload: result, kinds, unmatchedFields };
}

function parseEntry(entry: string, index: number): FieldSpec {
  try {
    return parseFieldSpec(entry);
  } catch (error) {
    if (error instanceof PathSyntaxError) throw badUserInput(`fields[${index}] is not a valid path: ${error.message}`);
    throw error;
  }
}

function replaceAt(value: JsonValue, steps: PathStep[], at: number, replace: (value: JsonValue) => JsonValue): JsonValue {
  if (at === steps.length) return replace(value);
  checkDepth(at);
  const step = steps[at]!;
  if (step.type === 'key') {
    if (!isJsonObject(value) || !Object.hasOwn(value, step.name)) return value;
    return { ...value, [step.name]: replaceAt(value[step.name]!, steps, at + 1, replace) };
  }
  if (!Array.isArray(value)) return value;
  if (step.type === 'each') return value.map((item) => replaceAt(item, steps, at + 1, replace));
  if (step.index >= value.length) return value;
  const copy = value.slice();
  copy[step.index] = replaceAt(value[step.index]!, steps, at + 1, replace);
  return copy;
}

function scanStrings(value: JsonValue, tokenize: TokenizeFn, recognizers: readonly Recognizer[] | undefined, depth: number): JsonValue {
  checkDepth(depth);
  if (typeof value === 'string') return replaceSpans(value, tokenize, recognizers);
  if (Array.isArray(value)) return value.map((item) => scanStrings(item, tokenize, recognizers, depth + 1));
  if (isJsonObject(value)) return mapValues(value, (item) => scanStrings(item, tokenize, recognizers, depth + 1));
  return value;
}

function replaceSpans(text: string, tokenize: TokenizeFn, recognizers: readonly Recognizer[] | undefined): string {
  const spans = detectSpans(text, recognizers);
  if (spans.length === 0) return text;
  let out = '';
  let last = 0;
  for (const span of spans) {
    out += text.slice(last, span.start) + tokenize(span.kind, text.slice(span.start, span.end));
    last = span.end;
  }
  return out + text.slice(last);
}
