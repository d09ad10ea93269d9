import { isJsonObject, type JsonObject, type JsonValue } from '../json.js';
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

/** One rewrite: every value at `steps` becomes what `replace` makes of it. */
export interface PathEdit {
  steps: readonly PathStep[];
  replace: (value: JsonValue) => JsonValue;
  /** Told each time the path reaches a value, replaced by this edit or, before it, by another. */
  reached?: () => void;
}

/**
 * A copy of `value` with the edits applied; paths that lead nowhere change nothing, and `value`
 * itself is never modified.
 *
 * Each value is replaced at most once, and never inside a value already replaced: edits with
 * shorter paths go first (then in the order given), and an edit whose path reaches a value an
 * earlier edit replaced, or goes through one, leaves it. Overlapping paths (`a`, `a`;
 * `list[*].e`, `list[0].e`; `customer`, `customer.email`) would otherwise transform a value
 * twice, and a token of a token does not deanonymize to the original.
 *
 * Copy on write, once: each object or list on an edited path is copied the first time an edit
 * goes through it and changed in place after. Copying it per edit instead made many edits of one
 * large object quadratic (10,000 fields of a 10,000-key object: 70 s).
 */
export function replaceAtPaths(value: JsonValue, edits: readonly PathEdit[]): JsonValue {
  const root: JsonValue[] = [value];
  const walk: Walk = { owned: new Set<object>([root]), replaced: new Map() };
  const ordered = edits.map((edit, index) => ({ edit, index })).sort((a, b) => a.edit.steps.length - b.edit.steps.length || a.index - b.index);
  for (const { edit } of ordered) apply(root, 0, edit, 0, walk);
  return root[0]!;
}

/** Calls `visit` with every value at the path, copying nothing. */
export function forEachAtPath(value: JsonValue, steps: readonly PathStep[], visit: (value: JsonValue) => void, at = 0): void {
  if (at === steps.length) return visit(value);
  checkDepth(at);
  const step = steps[at]!;
  if (step.type === 'key') {
    if (isJsonObject(value) && Object.hasOwn(value, step.name)) forEachAtPath(value[step.name]!, steps, visit, at + 1);
  } else if (Array.isArray(value)) {
    if (step.type === 'each') for (const item of value) forEachAtPath(item, steps, visit, at + 1);
    else if (step.index < value.length) forEachAtPath(value[step.index]!, steps, visit, at + 1);
  }
}

type Container = JsonObject | JsonValue[];

interface Walk {
  /** Containers this call copied: safe to change in place. */
  owned: Set<object>;
  /** Positions (container, key) an edit replaced. */
  replaced: Map<object, Set<string | number>>;
}

/** Applies one edit below `parent[key]`; `parent` is already this call's own copy. */
function apply(parent: Container, key: string | number, edit: PathEdit, at: number, walk: Walk): void {
  if (walk.replaced.get(parent)?.has(key)) return edit.reached?.();
  const value = (parent as Record<string | number, JsonValue>)[key]!;
  const { steps } = edit;
  if (at === steps.length) {
    edit.reached?.();
    put(parent, key, edit.replace(value));
    let keys = walk.replaced.get(parent);
    if (!keys) walk.replaced.set(parent, (keys = new Set()));
    keys.add(key);
    return;
  }
  checkDepth(at);
  const step = steps[at]!;
  if (step.type === 'key') {
    if (!isJsonObject(value) || !Object.hasOwn(value, step.name)) return;
    apply(own(parent, key, value, walk.owned), step.name, edit, at + 1, walk);
    return;
  }
  if (!Array.isArray(value)) return;
  if (step.type === 'each') {
    const list = own(parent, key, value, walk.owned) as JsonValue[];
    for (let i = 0; i < list.length; i++) apply(list, i, edit, at + 1, walk);
  } else if (step.index < value.length) {
    apply(own(parent, key, value, walk.owned), step.index, edit, at + 1, walk);
  }
}

/** `value` (found at parent[key]) as a copy this call may change, made on first need. */
function own(parent: Container, key: string | number, value: Container, owned: Set<object>): Container {
  if (owned.has(value)) return value;
  // Spreading defines "__proto__" as a plain own key, as JSON.parse made it.
  const copy = Array.isArray(value) ? value.slice() : { ...value };
  put(parent, key, copy);
  owned.add(copy);
  return copy;
}

function put(parent: Container, key: string | number, value: JsonValue): void {
  if (Array.isArray(parent)) parent[key as number] = value;
  else Object.defineProperty(parent, key, { value, enumerable: true, writable: true, configurable: true });
}
