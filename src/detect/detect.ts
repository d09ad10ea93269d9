import { emailRecognizer } from './email-recognizer.js';
import type { Recognizer, Span } from './span.js';

export const DEFAULT_RECOGNIZERS: readonly Recognizer[] = [emailRecognizer];

/**
 * Every span the recognizers find, without overlaps, in text order. Where spans overlap the
 * longest wins, then the highest score, then the earliest, so the outcome never depends on
 * recognizer order.
 */
export function detectSpans(text: string, recognizers: readonly Recognizer[] = DEFAULT_RECOGNIZERS): Span[] {
  const all = recognizers.flatMap((recognizer) => recognizer.find(text));
  if (all.length <= 1) return all;
  all.sort((a, b) => b.end - b.start - (a.end - a.start) || b.score - a.score || a.start - b.start);
  const kept: Span[] = [];
  for (const span of all) {
    if (kept.every((other) => span.end <= other.start || span.start >= other.end)) kept.push(span);
  }
  return kept.sort((a, b) => a.start - b.start);
}
