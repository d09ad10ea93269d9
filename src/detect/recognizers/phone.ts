import { findPhoneNumbersInText, type CountryCode } from 'libphonenumber-js/max';
import type { Recognizer, Span } from '../span.js';
import { digitCount } from './boundaries.js';

/**
 * Phone numbers found and validated by libphonenumber-js (full metadata): international numbers
 * anywhere, national ones for the default country. Invalid numbers are no detection.
 */
export function phoneRecognizer(defaultCountry: CountryCode = 'US'): Recognizer {
  return {
    name: 'phone-libphonenumber',
    kinds: ['phone'],
    find(text: string): Span[] {
      if (!digitCount(text, 7)) return [];
      return findPhoneNumbersInText(text, { defaultCountry })
        .filter((found) => found.number.isValid())
        .map((found) => ({ start: found.startsAt, end: found.endsAt, kind: 'phone', score: 0.8, source: 'phone-libphonenumber' }));
    },
  };
}
