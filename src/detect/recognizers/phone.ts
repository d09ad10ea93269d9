import { findPhoneNumbersInText, type CountryCode } from 'libphonenumber-js/max';
import type { Recognizer, Span } from '../span.js';
import { digitCount } from './boundaries.js';
import { cardNumbers } from './credit-card.js';
import { shortRunsOfDigits, type Range } from './phone-short-runs.js';
import { usSsnRecognizer } from './us-ssn.js';

/**
 * Phone numbers found and validated by libphonenumber-js (full metadata): international numbers
 * anywhere, national ones for the default country. Invalid numbers are no detection.
 *
 * libphonenumber tries every run of digits as a number, and a run that fails costs it a walk
 * through each country of the calling code (25 for +1). So before it reads the text, what cannot
 * be a phone is blanked in place (offsets unchanged):
 * - card numbers (Luhn-valid) and social security numbers (valid AAA-GG-SSSS), except after a "+":
 *   a phone found inside one would be no longer than it and lose to it, and blanked they cannot
 *   be read as a phone's extension ("(650) 253-0000, ext 123-45-6789" is not "…, ext 123");
 * - runs of digits that no valid number can come from (`shortRunsOfDigits`), which changes
 *   nothing libphonenumber finds.
 */
export function phoneRecognizer(defaultCountry: CountryCode = 'US'): Recognizer {
  const shortRuns = shortRunsOfDigits(defaultCountry);
  return {
    name: 'phone-libphonenumber',
    kinds: ['phone'],
    find(text: string): Span[] {
      if (!digitCount(text, shortRuns.fewestDigits) && !shortRuns.hasDigitsOfOtherScripts(text)) return [];
      const blanks = [...claimedNumbers(text), ...shortRuns.find(text)];
      // The default leniency, VALID, keeps only numbers that pass isValid().
      return findPhoneNumbersInText(blankedOut(text, blanks), { defaultCountry }).map((found) => ({
        start: found.startsAt,
        end: found.endsAt,
        kind: 'phone',
        score: 0.8,
        source: 'phone-libphonenumber',
      }));
    },
  };
}

/** Card numbers and social security numbers that pass their checks, except those right after a "+" (that may be an international phone number). */
function claimedNumbers(text: string): Range[] {
  return [...cardNumbers(text), ...usSsnRecognizer.find(text)].filter(({ start }) => text[start - 1] !== '+' && text[start - 1] !== '＋');
}

// A character none of libphonenumber's patterns reads, as a number, an extension or a separator.
const BLANK = '_';

/** The text with the ranges (any order, possibly overlapping) replaced by BLANK, so offsets are unchanged. */
function blankedOut(text: string, ranges: Range[]): string {
  if (ranges.length === 0) return text;
  ranges.sort((a, b) => a.start - b.start);
  const pieces: string[] = [];
  let from = 0;
  for (const { start, end } of ranges) {
    if (end <= from) continue;
    const at = Math.max(start, from);
    pieces.push(text.slice(from, at), BLANK.repeat(end - at));
    from = end;
  }
  return pieces.join('') + text.slice(from);
}
