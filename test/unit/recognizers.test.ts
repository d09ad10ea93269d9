import { describe, expect, it } from 'vitest';
import { detectSpans } from '../../src/detect/detect.js';
import { luhn } from '../../src/detect/recognizers/credit-card.js';
import { mod97 } from '../../src/detect/recognizers/iban.js';

const found = (text: string) => detectSpans(text).map((span) => [span.kind, text.slice(span.start, span.end)]);

describe('validated pattern recognizers', () => {
  it.each([
    ['Call +1 212-555-0147 or (415) 555-2671 today', [['phone', '+1 212-555-0147'], ['phone', '(415) 555-2671']]],
    ['London: +44 20 7946 0958.', [['phone', '+44 20 7946 0958']]],
    ['Visa 4242 4242 4242 4242, Amex 3782 822463 10005, plain 5555555555554444', [['credit_card', '4242 4242 4242 4242'], ['credit_card', '3782 822463 10005'], ['credit_card', '5555555555554444']]],
    ['Pay to DE89 3704 0044 0532 0130 00 or GB82WEST12345698765432.', [['iban', 'DE89 3704 0044 0532 0130 00'], ['iban', 'GB82WEST12345698765432']]],
    ['SSN 123-45-6789 on file', [['us_ssn', '123-45-6789']]],
    ['from 192.168.0.1 and 2001:db8::ff00:42:8329', [['ip_address', '192.168.0.1'], ['ip_address', '2001:db8::ff00:42:8329']]],
  ])('finds %j', (text, expected) => {
    expect(found(text)).toEqual(expected);
  });

  it.each([
    'Luhn-invalid 4242 4242 4242 4241',
    'mixed separators 4242-4242 4242 4242',
    'IBAN with a wrong check GB82WEST12345698765433',
    'SSNs never issued: 000-12-3456, 666-12-3456, 923-12-3456, 123-00-4567, 123-45-0000',
    'not an address 999.1.1.1 nor 1.2.3',
    'too short for a phone: 555-0100',
    'inside a word: x4242424242424242y and id_192.168.0.1',
    'order 12345 shipped in 2024',
  ])('finds nothing in %j', (text) => {
    expect(found(text)).toEqual([]);
  });

  it('checks the checksums themselves', () => {
    expect(luhn('79927398713')).toBe(true);
    expect(luhn('79927398710')).toBe(false);
    expect(mod97('GB82WEST12345698765432')).toBe(1);
    expect(mod97('GB82WEST12345698765431')).not.toBe(1);
  });
});
