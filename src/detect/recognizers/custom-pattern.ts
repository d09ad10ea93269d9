import { RE2JS } from 're2js';
import { isValidKind } from '../../tokens/token-format.js';
import type { Recognizer, Span } from '../span.js';

/** A recognizer a user defines by a regular expression (a request's `recognizers`, DETECT_RECOGNIZERS). */
export interface CustomRecognizerSpec {
  name: string;
  kind: string;
  /** RE2 syntax. */
  pattern: string;
  ignoreCase?: boolean | null | undefined;
  /** 0..1; default DEFAULT_CUSTOM_SCORE. */
  score?: number | null | undefined;
}

/** Most custom recognizers one call (or the configuration) may bring. */
export const MAX_CUSTOM_RECOGNIZERS = 20;
/** Longest pattern accepted, in characters: bounds compilation, which is not linear. */
export const MAX_PATTERN_LENGTH = 1000;
export const DEFAULT_CUSTOM_SCORE = 0.8;
const NAME = /^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$/;

/** What is wrong with a spec, without its pattern: the pattern may hold the very data it looks for. */
export class CustomRecognizerError extends Error {
  override name = 'CustomRecognizerError';
}

const compiled = new Map<string, Recognizer>();
const MAX_COMPILED = 256;

/**
 * A recognizer running the spec's pattern on RE2JS, a JavaScript port of RE2: matching time is
 * linear in the text whatever the pattern, so a hostile pattern (`(a+)+$`) cannot stall the
 * thread, and backreferences and lookaheads, which need backtracking, are refused at compile
 * time. Compiled recognizers are kept (bounded), since the configured ones recur on every call.
 * Throws CustomRecognizerError naming the recognizer, never quoting the pattern.
 */
export function customRecognizer(spec: CustomRecognizerSpec): Recognizer {
  const key = JSON.stringify([spec.name, spec.kind, spec.pattern, spec.ignoreCase ?? false, spec.score ?? DEFAULT_CUSTOM_SCORE]);
  let recognizer = compiled.get(key);
  if (!recognizer) {
    recognizer = compile(spec);
    if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value!);
    compiled.set(key, recognizer);
  }
  return recognizer;
}

/**
 * Checks a list of specs, naming the first bad one by position, `<where>[i]`, and with
 * `withName` (the configuration's, written by operators) by its name too. A request's names
 * are not quoted: a caller may have named a recognizer after what it looks for.
 */
export function checkCustomRecognizers(specs: readonly CustomRecognizerSpec[], where: string, options: { withName?: boolean } = {}): void {
  if (specs.length > MAX_CUSTOM_RECOGNIZERS) throw new CustomRecognizerError(`${where} takes at most ${MAX_CUSTOM_RECOGNIZERS} recognizers`);
  specs.forEach((spec, index) => {
    const label = options.withName && NAME.test(spec.name ?? '') ? `${where}[${index}] ("${spec.name}")` : `${where}[${index}]`;
    try {
      customRecognizer(spec);
    } catch (error) {
      throw new CustomRecognizerError(`${label}: ${(error as Error).message}`);
    }
  });
}

function compile(spec: CustomRecognizerSpec): Recognizer {
  if (typeof spec.name !== 'string' || !NAME.test(spec.name)) throw new CustomRecognizerError('name must be 1-64 letters, digits, spaces, ".", "_" or "-", starting with a letter or digit');
  if (typeof spec.kind !== 'string' || !isValidKind(spec.kind)) throw new CustomRecognizerError('kind must be lowercase letters, digits and underscores, starting with a letter (at most 32)');
  if (typeof spec.pattern !== 'string' || spec.pattern.length === 0 || spec.pattern.length > MAX_PATTERN_LENGTH) {
    throw new CustomRecognizerError(`pattern must be 1-${MAX_PATTERN_LENGTH} characters`);
  }
  const score = spec.score ?? DEFAULT_CUSTOM_SCORE;
  if (typeof score !== 'number' || !(score >= 0 && score <= 1)) throw new CustomRecognizerError('score must be from 0 to 1');
  let regex: RE2JS;
  try {
    regex = RE2JS.compile(spec.pattern, spec.ignoreCase ? RE2JS.CASE_INSENSITIVE : 0);
  } catch {
    // RE2JS's message quotes the pattern.
    throw new CustomRecognizerError('pattern is not a valid RE2 regular expression (no backreferences or lookaheads; see https://github.com/google/re2/wiki/Syntax)');
  }
  const source = `custom:${spec.name}`;
  return {
    name: source,
    kinds: [spec.kind],
    find(text: string): Span[] {
      const spans: Span[] = [];
      for (const match of regex.matchAll(text)) {
        // An empty match marks a position, not a value.
        const start = match.index ?? 0;
        if (match[0].length > 0) spans.push({ start, end: start + match[0].length, kind: spec.kind, score, source });
      }
      return spans;
    },
  };
}
