import { standsAlone } from './recognizers/boundaries.js';
import { creditCardRecognizer } from './recognizers/credit-card.js';
import { emailRecognizer } from './recognizers/email.js';
import { ibanRecognizer } from './recognizers/iban.js';
import { ipAddressRecognizer } from './recognizers/ip-address.js';
import { nerRecognizer } from './recognizers/ner.js';
import { phoneRecognizer } from './recognizers/phone.js';
import { usSsnRecognizer } from './recognizers/us-ssn.js';
import type { Recognizer, Span } from './span.js';

/** The validated pattern recognizers: a failing checksum or validation means no detection. */
export const PATTERN_RECOGNIZERS: readonly Recognizer[] = [
  emailRecognizer,
  creditCardRecognizer,
  ibanRecognizer,
  usSsnRecognizer,
  ipAddressRecognizer,
  phoneRecognizer(),
];

/** For prose: the patterns plus names, organizations and places (compromise). */
export const TEXT_RECOGNIZERS: readonly Recognizer[] = [...PATTERN_RECOGNIZERS, nerRecognizer];

export const DEFAULT_RECOGNIZERS = PATTERN_RECOGNIZERS;

/**
 * Every span the recognizers find, without overlaps, in text order, and only spans that do not
 * run into letters, digits, `_` or `-` on either side (a token must be found again in their place). Where spans overlap the
 * longest wins, then the highest score, then the earliest, so the outcome never depends on
 * recognizer order.
 */
export function detectSpans(text: string, recognizers: readonly Recognizer[] = DEFAULT_RECOGNIZERS): Span[] {
  const all = recognizers.flatMap((recognizer) => recognizer.find(text)).filter((span) => standsAlone(text, span.start, span.end));
  if (all.length <= 1) return all;
  all.sort((a, b) => b.end - b.start - (a.end - a.start) || b.score - a.score || a.start - b.start);
  const kept: Span[] = [];
  for (const span of all) {
    if (kept.every((other) => span.end <= other.start || span.start >= other.end)) kept.push(span);
  }
  return kept.sort((a, b) => a.start - b.start);
}
