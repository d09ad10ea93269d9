import { findPhoneNumbersInText, type CountryCode } from 'libphonenumber-js/max';
import type { Recognizer, Span } from '../span.js';
import { digitCount } from './boundaries.js';
import { cardNumbers } from './credit-card.js';

/**
 * Phone numbers found and validated by libphonenumber-js (full metadata): international numbers
 * anywhere, national ones for the default country. Invalid numbers are no detection, and so is
 * anything inside a card number (Luhn-valid, not after a "+"): libphonenumber tries each group of
 * "4242 4242 4242 4242" as a number of its own, which took half of its time on the bench's clinic
 * notes, and a phone found there would be no longer than the card and lose to it.
 */
export function phoneRecognizer(defaultCountry: CountryCode = 'US'): Recognizer {
  return {
    name: 'phone-libphonenumber',
    kinds: ['phone'],
    find(text: string): Span[] {
      if (!digitCount(text, 7)) return [];
      return findPhoneNumbersInText(withoutCardNumbers(text), { defaultCountry })
        .filter((found) => found.number.isValid())
        .map((found) => ({ start: found.startsAt, end: found.endsAt, kind: 'phone', score: 0.8, source: 'phone-libphonenumber' }));
    },
  };
}

/** The text with its card numbers blanked out in place (offsets unchanged); one after a "+" may be an international phone number. */
function withoutCardNumbers(text: string): string {
  const pieces: string[] = [];
  let from = 0;
  for (const { start, end } of cardNumbers(text)) {
    if (text[start - 1] === '+') continue;
    pieces.push(text.slice(from, start), ' '.repeat(end - start));
    from = end;
  }
  return from === 0 ? text : pieces.join('') + text.slice(from);
}
