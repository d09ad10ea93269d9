import type { Recognizer, Span } from '../span.js';

// Country code, check digits, then 11 to 30 letters or digits, optionally in groups of four.
const IBAN = /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}(?![A-Za-z0-9])/g;

/** IBANs that pass the ISO 7064 mod 97-10 check. */
export const ibanRecognizer: Recognizer = {
  name: 'iban-mod97',
  kinds: ['iban'],
  find(text: string): Span[] {
    const spans: Span[] = [];
    for (const match of text.matchAll(IBAN)) {
      // A trailing group of a longer word may have been swallowed: trim to the longest valid prefix.
      const compact = match[0].replace(/ /g, '');
      if (compact.length <= 34 && mod97(compact) === 1) {
        spans.push({ start: match.index, end: match.index + match[0].length, kind: 'iban', score: 0.95, source: this.name });
      }
    }
    return spans;
  },
};

export function mod97(iban: string): number {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const value = /\d/.test(char) ? char : String(char.charCodeAt(0) - 55);
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder;
}
