import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FF1 } from '../../src/transform/fpe/ff1.js';

// NIST SP 800-38G sample vectors for FF1 (csrc.nist.gov, "FF1samples.pdf"), all nine.
const KEY128 = '2B7E151628AED2A6ABF7158809CF4F3C';
const KEY192 = '2B7E151628AED2A6ABF7158809CF4F3CEF4359D8D580AA4F';
const KEY256 = '2B7E151628AED2A6ABF7158809CF4F3CEF4359D8D580AA4F7F036D6F04FC6A94';
const TWEAK10 = '39383736353433323130';
const TWEAK11 = '3737373770717273373737';
const DIGITS = '0123456789';
const BASE36 = '0123456789abcdefghi';

const SAMPLES = [
  { sample: 1, key: KEY128, radix: 10, tweak: '', plain: DIGITS, cipher: '2433477484' },
  { sample: 2, key: KEY128, radix: 10, tweak: TWEAK10, plain: DIGITS, cipher: '6124200773' },
  { sample: 3, key: KEY128, radix: 36, tweak: TWEAK11, plain: BASE36, cipher: 'a9tv40mll9kdu509eum' },
  { sample: 4, key: KEY192, radix: 10, tweak: '', plain: DIGITS, cipher: '2830668132' },
  { sample: 5, key: KEY192, radix: 10, tweak: TWEAK10, plain: DIGITS, cipher: '2496655549' },
  { sample: 6, key: KEY192, radix: 36, tweak: TWEAK11, plain: BASE36, cipher: 'xbj3kv35jrawxv32ysr' },
  { sample: 7, key: KEY256, radix: 10, tweak: '', plain: DIGITS, cipher: '6657667009' },
  { sample: 8, key: KEY256, radix: 10, tweak: TWEAK10, plain: DIGITS, cipher: '1001623463' },
  { sample: 9, key: KEY256, radix: 36, tweak: TWEAK11, plain: BASE36, cipher: 'xs8a0azh2avyalyzuwd' },
];

const toNumerals = (text: string, radix: number) => [...text].map((c) => parseInt(c, radix));
const fromNumerals = (numerals: number[], radix: number) => numerals.map((n) => n.toString(radix)).join('');

describe('FF1 (NIST SP 800-38G)', () => {
  for (const { sample, key, radix, tweak, plain, cipher } of SAMPLES) {
    it(`sample ${sample}: AES-${key.length * 4}, radix ${radix}`, () => {
      const ff1 = new FF1(Buffer.from(key, 'hex'), radix);
      const t = Buffer.from(tweak, 'hex');
      expect(fromNumerals(ff1.encrypt(toNumerals(plain, radix), t), radix)).toBe(cipher);
      expect(fromNumerals(ff1.decrypt(toNumerals(cipher, radix), t), radix)).toBe(plain);
    });
  }

  it('round-trips any numeral string at any radix and length it accepts', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 300 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ maxLength: 40 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 60 }),
        (radix, key, tweak, seeds) => {
          const ff1 = new FF1(Buffer.from(key), radix);
          const numerals = seeds.map((s) => s % radix);
          while (numerals.length < ff1.minLength()) numerals.push(0);
          const encrypted = ff1.encrypt(numerals, Buffer.from(tweak));
          expect(encrypted).toHaveLength(numerals.length);
          expect(encrypted.every((n) => n >= 0 && n < radix)).toBe(true);
          expect(ff1.decrypt(encrypted, Buffer.from(tweak))).toEqual(numerals);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses inputs below the standard minimum domain of one million', () => {
    const ff1 = new FF1(Buffer.alloc(32, 1), 10);
    expect(ff1.minLength()).toBe(6);
    expect(() => ff1.encrypt([1, 2, 3, 4, 5], Buffer.alloc(0))).toThrow(/minimum length/);
    expect(new FF1(Buffer.alloc(16), 62).minLength()).toBe(4);
  });
});
