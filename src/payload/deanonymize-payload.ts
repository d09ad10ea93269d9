import { isJsonObject, mapValues, type JsonValue } from '../json.js';
import type { TokenFormat } from '../tokens/token-format.js';
import type { Resolved } from '../vault/vault.js';
import { checkDepth, RestoredSize } from './payload-limits.js';

export type ResolveFn = (tokens: readonly string[]) => Promise<(Resolved | undefined)[]>;

export interface DeanonymizeOutcome {
  payload: JsonValue;
  resolved: number;
  unresolved: number;
  /** Resolved occurrences per kind. */
  kinds: Map<string, number>;
}

/**
 * Replaces every token in string values with its original: a string that is exactly one
 * token becomes the original value with its own JSON type; a token inside a longer string
 * becomes the original's text. All tokens are looked up together, so the store sees
 * ceil(distinct / 100) reads. Object keys are left alone (anonymize never tokenizes keys).
 */
export async function deanonymizePayload(
  payload: JsonValue,
  format: TokenFormat,
  resolve: ResolveFn,
  /** What the answer holds of restored originals so far (shared by the items of a batch). */
  size: RestoredSize = new RestoredSize(),
): Promise<DeanonymizeOutcome> {
  const distinct = new Set<string>();
  collectTokens(payload, format, distinct, 0);
  const tokens = [...distinct];
  const results = await resolve(tokens);
  const originals = new Map<string, Resolved>();
  tokens.forEach((token, i) => {
    const result = results[i];
    // The kind is in the token text too; a mapping that disagrees is not trusted.
    if (result && result.kind === format.kindOf(token)) originals.set(token, result);
  });
  const outcome: DeanonymizeOutcome = { payload, resolved: 0, unresolved: 0, kinds: new Map() };
  const count = (match: { token: string; kind: string }) => {
    if (originals.has(match.token)) {
      outcome.resolved++;
      outcome.kinds.set(match.kind, (outcome.kinds.get(match.kind) ?? 0) + 1);
    } else {
      outcome.unresolved++;
    }
  };
  // The length an original adds at each occurrence: its JSON text (the same token may recur).
  const lengths = new Map<string, number>();
  const counted = (match: { token: string; kind: string }) => {
    count(match);
    const original = originals.get(match.token);
    if (!original) return;
    let length = lengths.get(match.token);
    if (length === undefined) lengths.set(match.token, (length = asText(original.value).length));
    size.add(length);
  };
  outcome.payload = distinct.size === 0 ? payload : restore(payload, format, originals, counted);
  return outcome;
}

function collectTokens(value: JsonValue, format: TokenFormat, into: Set<string>, depth: number): void {
  checkDepth(depth);
  if (typeof value === 'string') {
    for (const match of format.findAll(value)) into.add(match.token);
  } else if (Array.isArray(value)) {
    for (const item of value) collectTokens(item, format, into, depth + 1);
  } else if (isJsonObject(value)) {
    for (const item of Object.values(value)) collectTokens(item, format, into, depth + 1);
  }
}

function restore(
  value: JsonValue,
  format: TokenFormat,
  originals: Map<string, Resolved>,
  count: (match: { token: string; kind: string }) => void,
): JsonValue {
  if (typeof value === 'string') {
    const matches = format.findAll(value);
    if (matches.length === 0) return value;
    matches.forEach(count);
    const only = matches[0]!;
    if (matches.length === 1 && only.start === 0 && only.end === value.length) {
      const original = originals.get(only.token);
      return original ? original.value : value;
    }
    let out = '';
    let last = 0;
    for (const match of matches) {
      const original = originals.get(match.token);
      out += value.slice(last, match.start) + (original === undefined ? match.token : asText(original.value));
      last = match.end;
    }
    return out + value.slice(last);
  }
  if (Array.isArray(value)) return value.map((item) => restore(item, format, originals, count));
  if (isJsonObject(value)) return mapValues(value, (item) => restore(item, format, originals, count));
  return value;
}

function asText(value: JsonValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
