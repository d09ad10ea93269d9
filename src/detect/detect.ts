import { standsAlone } from './recognizers/boundaries.js';
import { creditCardRecognizer } from './recognizers/credit-card.js';
import { customRecognizer, type CustomRecognizerSpec } from './recognizers/custom-pattern.js';
import { dateRecognizer } from './recognizers/date.js';
import { emailRecognizer } from './recognizers/email.js';
import { ibanRecognizer } from './recognizers/iban.js';
import { ipAddressRecognizer } from './recognizers/ip-address.js';
import { nerRecognizer } from './recognizers/ner.js';
import { phoneRecognizer } from './recognizers/phone.js';
import { urlRecognizer } from './recognizers/url.js';
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

/**
 * For prose: the patterns, plus URLs and dates (identifying in a note, mostly not in a JSON
 * field, so payload scanning leaves them), plus names, organizations and places (compromise).
 */
export const TEXT_RECOGNIZERS: readonly Recognizer[] = [...PATTERN_RECOGNIZERS, urlRecognizer, dateRecognizer, nerRecognizer];

export const DEFAULT_RECOGNIZERS = PATTERN_RECOGNIZERS;

/**
 * Per-call additions to detection: values never treated as personal data, values always treated
 * as such, and recognizers defined by a regular expression. Plain data, so it can travel to a
 * detection thread.
 */
export interface DetectLists {
  /** Compared case-insensitively with the whole span found. */
  allow?: readonly string[];
  /** Every occurrence (case-insensitive, standing alone) is a span of this kind, score 1. */
  deny?: readonly { value: string; kind: string }[];
  /** Checked beforehand (checkCustomRecognizers): run on a linear-time engine. */
  recognizers?: readonly CustomRecognizerSpec[];
}

/**
 * Every span the recognizers (and the lists' custom ones) find, without overlaps, in text order, and only spans that do not
 * run into letters, digits, `_` or `-` on either side (a token must be found again in their
 * place). Allowed values are dropped, denied values added (a value on both lists is denied).
 * A context word of the kind shortly before a span ("SSN", "card", "tel") raises its score;
 * it never makes a span by itself. Where spans overlap the longest wins, then the highest
 * score, then the earliest, so the outcome never depends on recognizer order.
 */
export function detectSpans(text: string, recognizers: readonly Recognizer[] = DEFAULT_RECOGNIZERS, lists: DetectLists = {}): Span[] {
  const allowed = new Set((lists.allow ?? []).map((value) => value.trim().toLowerCase()));
  if (lists.recognizers?.length) recognizers = [...recognizers, ...lists.recognizers.map(customRecognizer)];
  const found = recognizers.flatMap((recognizer) => recognizer.find(text)).filter((span) => !allowed.has(text.slice(span.start, span.end).trim().toLowerCase()));
  const all = [...found, ...denied(text, lists.deny ?? [])].filter((span) => standsAlone(text, span.start, span.end));
  for (const span of all) span.score = withContext(text, span);
  if (all.length <= 1) return all;
  all.sort((a, b) => b.end - b.start - (a.end - a.start) || b.score - a.score || a.start - b.start);
  // Which characters kept spans cover: each candidate is checked against its own characters
  // only, not against every span kept so far (quadratic: 100,000 emails in a 1 MiB text took 11 s).
  const taken = new Uint8Array(text.length);
  const kept: Span[] = [];
  for (const span of all) {
    if (taken.subarray(span.start, span.end).includes(1)) continue;
    taken.fill(1, span.start, span.end);
    kept.push(span);
  }
  return kept.sort((a, b) => a.start - b.start);
}

/** The kinds the recognizers and the lists can find: what a caller may ask for by name. */
export function detectableKinds(recognizers: readonly Recognizer[], lists: DetectLists = {}): Set<string> {
  return new Set([
    ...recognizers.flatMap((recognizer) => recognizer.kinds),
    ...(lists.deny ?? []).map(({ kind }) => kind),
    ...(lists.recognizers ?? []).map(({ kind }) => kind),
  ]);
}

type DenyTerms = readonly { value: string; kind: string }[];

/** Each deny list's patterns, compiled once: a payload scan checks every string against the same list. */
const denyPatterns = new WeakMap<DenyTerms, { pattern: RegExp; kind: string }[]>();

function denied(text: string, deny: DenyTerms): Span[] {
  if (deny.length === 0) return [];
  let patterns = denyPatterns.get(deny);
  if (!patterns) {
    // Case-insensitive matches in the text itself, not a search of text.toLowerCase(): lowercasing
    // can lengthen a string ("İ" becomes two code units), which shifted every later offset, and
    // a denied value after one was missed.
    patterns = deny.flatMap(({ value, kind }) => {
      const needle = value.trim();
      return needle ? [{ pattern: new RegExp(needle.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'), 'giu'), kind }] : [];
    });
    denyPatterns.set(deny, patterns);
  }
  const spans: Span[] = [];
  for (const { pattern, kind } of patterns) {
    pattern.lastIndex = 0;
    for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
      spans.push({ start: match.index, end: match.index + match[0].length, kind, score: 1, source: 'deny-list' });
    }
  }
  return spans;
}

/** Words that, within 40 characters before a span, make its kind more likely. */
const CONTEXT = new Map<string, RegExp>([
  ['us_ssn', /\b(ssn|social security|ss#)/i],
  ['credit_card', /\b(card|visa|mastercard|amex|cc)\b/i],
  ['iban', /\b(iban|account|bank)\b/i],
  ['phone', /\b(phone|tel|mobile|cell|call|fax)\b/i],
  ['email', /\b(e-?mail|mail)\b/i],
  ['date', /\b(born|birth|dob|date)\b/i],
  ['ip_address', /\b(ip|address|host)\b/i],
]);

function withContext(text: string, span: Span): number {
  // A Map, not an object: a user's recognizer may name its kind `constructor`.
  const words = CONTEXT.get(span.kind);
  if (!words || span.score >= 1) return span.score;
  return words.test(text.slice(Math.max(0, span.start - 40), span.start)) ? Math.min(1, Math.round((span.score + 0.1) * 100) / 100) : span.score;
}
