import { detectableKinds, detectSpans, TEXT_RECOGNIZERS, type DetectLists } from '../detect/detect.js';
import type { Span } from '../detect/span.js';
import { badUserInput } from '../errors/gateway-error.js';
import { kindFromName } from '../tokens/token-format.js';
import { placeholder } from './placeholders.js';

export type TextMode = 'TOKENS' | 'PLACEHOLDERS';

export interface AnonymizedText {
  text: string;
  /** Where each value was in the original text; never the values. */
  spans: Span[];
  /** PLACEHOLDERS mode: placeholder -> original, for the caller to restore with. */
  mapping: Record<string, string> | null;
  kinds: Map<string, number>;
}

/**
 * Replaces what the recognizers find in free text: by stored tokens (TOKENS, reversible through
 * the store), or by numbered placeholders consistent within the call (PLACEHOLDERS: nothing
 * stored, the mapping returned; for prompts sent to an LLM and restored afterwards).
 */
export function anonymizeText(
  text: string,
  kinds: readonly string[] | null | undefined,
  mode: TextMode,
  tokenize: (kind: string, value: string) => string,
  lists: DetectLists = {},
  /** Spans found already (by the detection threads, for a large text). */
  found: readonly Span[] = detectSpans(text, TEXT_RECOGNIZERS, lists),
): AnonymizedText {
  const wanted = kinds ? new Set(kinds.map((kind, i) => normalizeKind(kind, i))) : undefined;
  const spans = found.filter((span) => !wanted || wanted.has(span.kind));
  const counts = new Map<string, number>();
  const placeholders = new Map<string, string>(); // `${kind}\0${value}` -> placeholder
  const numbered = new Map<string, number>(); // kind -> placeholders given so far
  const mapping: Record<string, string> = {};
  let out = '';
  let last = 0;
  for (const span of spans) {
    const value = text.slice(span.start, span.end);
    counts.set(span.kind, (counts.get(span.kind) ?? 0) + 1);
    let replacement: string;
    if (mode === 'TOKENS') {
      replacement = tokenize(span.kind, value);
    } else {
      const key = `${span.kind}\0${value}`;
      let known = placeholders.get(key);
      if (known === undefined) {
        const number = (numbered.get(span.kind) ?? 0) + 1;
        numbered.set(span.kind, number);
        placeholders.set(key, (known = placeholder(span.kind, number)));
        mapping[known] = value;
      }
      replacement = known;
    }
    out += text.slice(last, span.start) + replacement;
    last = span.end;
  }
  return { text: out + text.slice(last), spans, mapping: mode === 'PLACEHOLDERS' ? mapping : null, kinds: counts };
}

/**
 * Refuses a requested kind that no detector of this call can find: a misspelt kind ("emails")
 * would otherwise leave those values in the text without a word.
 */
export function checkRequestedKinds(kinds: readonly string[] | null | undefined, lists: DetectLists): void {
  if (!kinds) return;
  const detectable = detectableKinds(TEXT_RECOGNIZERS, lists);
  kinds.forEach((kind, index) => {
    if (!detectable.has(normalizeKind(kind, index))) {
      throw badUserInput(`kinds[${index}] is not a kind the detectors find; they find ${[...detectable].sort().join(', ')} (deny-list entries and custom recognizers add their kinds)`);
    }
  });
}

function normalizeKind(kind: string, index: number): string {
  const normalized = kindFromName(kind);
  if (!normalized) throw badUserInput(`kinds[${index}] is not a kind (letters, digits and underscores)`);
  return normalized;
}
