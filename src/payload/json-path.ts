import { isJsonObject, type JsonValue } from '../json.js';
import { isValidKind, kindFromName } from '../tokens/token-format.js';
import { checkDepth } from './payload-limits.js';

export type PathStep = { type: 'key'; name: string } | { type: 'each' } | { type: 'index'; index: number };

export interface FieldSpec {
  steps: PathStep[];
  kind: string;
}

/** A path that cannot be parsed. The message gives a position, never the path's text. */
export class PathSyntaxError extends Error {
  override name = 'PathSyntaxError';
}

const KEY_CHAR = /[^.[\]:]/;

/**
 * Parses a field entry of `anonymize(fields:)`: a dot path with `[*]` and `[n]`, optionally
 * ending in `:kind`. Without an explicit kind, the last key names it (`visit.patientEmail` ->
 * `patient_email`), and a path with no key at all (`[*]`) is kind `value`.
 */
export function parseFieldSpec(entry: string): FieldSpec {
  const colon = entry.lastIndexOf(':');
  const pathText = colon >= 0 ? entry.slice(0, colon) : entry;
  const steps = parsePath(pathText);
  if (colon >= 0) {
    const kind = entry.slice(colon + 1);
    if (!isValidKind(kind)) {
      throw new PathSyntaxError(`the kind after ':' must be lowercase letters, digits and underscores, starting with a letter (at most 32)`);
    }
    return { steps, kind };
  }
  const lastKey = [...steps].reverse().find((step) => step.type === 'key');
  const kind = lastKey ? kindFromName(lastKey.name) : 'value';
  if (!kind) throw new PathSyntaxError(`the last key cannot name a kind; add one with ':kind'`);
  return { steps, kind };
}

export function parsePath(text: string): PathStep[] {
  const steps: PathStep[] = [];
  let i = 0;
  const fail = (what: string): never => {
    throw new PathSyntaxError(`${what} at character ${i + 1}`);
  };
  if (text.length === 0) fail('empty path');
  while (i < text.length) {
    const char = text[i]!;
    if (char === '[') {
      const close = text.indexOf(']', i);
      if (close < 0) fail("unclosed '['");
      const inside = text.slice(i + 1, close);
      if (inside === '*') steps.push({ type: 'each' });
      else if (/^(0|[1-9][0-9]{0,8})$/.test(inside)) steps.push({ type: 'index', index: Number(inside) });
      else fail("expected '*' or an index inside '[]'");
      i = close + 1;
      continue;
    }
    if (char === '.') {
      if (steps.length === 0 || i + 1 >= text.length) fail("misplaced '.'");
      i++;
    } else if (steps.length > 0) {
      fail("expected '.' or '['");
    }
    let end = i;
    while (end < text.length && KEY_CHAR.test(text[end]!)) end++;
    if (end === i) fail('expected a key');
    steps.push({ type: 'key', name: text.slice(i, end) });
    i = end;
  }
  return steps;
}

/** A copy of `value` with every value at the path replaced; paths that lead nowhere change nothing. */
export function replaceAtPath(value: JsonValue, steps: readonly PathStep[], replace: (value: JsonValue) => JsonValue, at = 0): JsonValue {
  if (at === steps.length) return replace(value);
  checkDepth(at);
  const step = steps[at]!;
  if (step.type === 'key') {
    if (!isJsonObject(value) || !Object.hasOwn(value, step.name)) return value;
    return { ...value, [step.name]: replaceAtPath(value[step.name]!, steps, replace, at + 1) };
  }
  if (!Array.isArray(value)) return value;
  if (step.type === 'each') return value.map((item) => replaceAtPath(item, steps, replace, at + 1));
  if (step.index >= value.length) return value;
  const copy = value.slice();
  copy[step.index] = replaceAtPath(value[step.index]!, steps, replace, at + 1);
  return copy;
}
