import type { Recognizer, Span } from '../span.js';
import { digitCount } from './boundaries.js';

// Issuer prefixes 2-6; 13 to 19 digits in one run, or the printed groupings 4-4-4-4(-1..3) and
// Amex's 4-6-5, with one separator (space or dash) used throughout.
const CARD = /(?<![\d-])(?:[2-6]\d{12,18}|[2-6]\d{3}([ -])\d{4}\1\d{4}\1\d{4}(?:\1\d{1,3})?|3\d{3}([ -])\d{6}\2\d{5})(?![\d-])/g;

/** Card numbers that pass the Luhn check; a failing checksum is no detection. */
export const creditCardRecognizer: Recognizer = {
  name: 'credit-card-luhn',
  kinds: ['credit_card'],
  find(text: string): Span[] {
    return cardNumbers(text).map(({ start, end }) => ({ start, end, kind: 'credit_card', score: 0.9, source: this.name }));
  },
};

/** Where the text holds a card number that passes the Luhn check, as [start, end) offsets. */
export function cardNumbers(text: string): { start: number; end: number }[] {
  if (!digitCount(text, 13)) return [];
  const found: { start: number; end: number }[] = [];
  for (const match of text.matchAll(CARD)) {
    if (luhn(match[0].replace(/\D/g, ''))) found.push({ start: match.index, end: match.index + match[0].length });
  }
  return found;
}

export function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}
