import { luhn } from '../../detect/recognizers/credit-card.js';
import { FF1 } from '../fpe/ff1.js';
import { holdsText, StrategyOptionError, TransformFailure, type FieldTransform, type StrategyTarget } from '../field-transform.js';

/** The most numerals one value may have encrypted (card numbers have 19, IBANs 34). */
export const MAX_ENCRYPTED = 256;

export interface FormatPreservingOptions {
  alphabet: 'DIGITS' | 'ALPHANUMERIC';
  keepLast: number;
  luhn: boolean;
}

const DEFAULTS: FormatPreservingOptions = { alphabet: 'DIGITS', keepLast: 0, luhn: false };

const ALPHABETS = {
  DIGITS: '0123456789',
  ALPHANUMERIC: '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
} as const;

/** FORMAT_PRESERVING, checked against its target once. */
export function formatPreserving(given: Partial<FormatPreservingOptions> | undefined, target: StrategyTarget): FieldTransform {
  const options = checkFormatPreservingOptions(given, target);
  return (value, kind, context) => formatPreservingCipher(context.keys.fpe, options).encrypt(String(value), kind);
}

export function checkFormatPreservingOptions(given: Partial<FormatPreservingOptions> | undefined, target: StrategyTarget): FormatPreservingOptions {
  const options = { ...DEFAULTS, ...given };
  if (!holdsText(target)) throw new StrategyOptionError(`FORMAT_PRESERVING needs a String or ID field, not ${target.type}`);
  if (!(options.alphabet in ALPHABETS)) throw new StrategyOptionError('formatPreserving.alphabet must be DIGITS or ALPHANUMERIC');
  if (!Number.isInteger(options.keepLast) || options.keepLast < 0 || options.keepLast > 64) {
    throw new StrategyOptionError('formatPreserving.keepLast must be a whole number from 0 to 64');
  }
  if (options.luhn && options.alphabet !== 'DIGITS') throw new StrategyOptionError('formatPreserving.luhn needs alphabet DIGITS');
  return options;
}

const ciphers = new WeakMap<Buffer, Map<string, FormatPreservingCipher>>();

/** The cipher for one tenant key and options, made once: FF1 keeps its AES context. */
export function formatPreservingCipher(key: Buffer, options: FormatPreservingOptions): FormatPreservingCipher {
  let byOptions = ciphers.get(key);
  if (!byOptions) ciphers.set(key, (byOptions = new Map()));
  const id = `${options.alphabet}/${options.keepLast}/${options.luhn}`;
  let cipher = byOptions.get(id);
  if (!cipher) byOptions.set(id, (cipher = new FormatPreservingCipher(key, options)));
  return cipher;
}

/**
 * FF1 over the characters of one alphabet inside a value; every other character (separators,
 * `+`, spaces, letters of a phone number written with them) stays where it was, so the result
 * has the value's shape. The kind is the FF1 tweak: one number under two kinds encrypts apart.
 */
export class FormatPreservingCipher {
  private readonly ff1: FF1;
  private readonly alphabet: string;

  constructor(
    key: Buffer,
    private readonly options: FormatPreservingOptions,
  ) {
    this.alphabet = ALPHABETS[options.alphabet];
    this.ff1 = new FF1(key, this.alphabet.length);
  }

  encrypt(value: string, kind: string): string {
    return this.apply(value, kind, true);
  }

  decrypt(value: string, kind: string): string {
    return this.apply(value, kind, false);
  }

  private apply(value: string, kind: string, encrypt: boolean): string {
    const chars = [...value];
    const positions: number[] = [];
    const numerals: number[] = [];
    chars.forEach((char, at) => {
      const numeral = this.alphabet.indexOf(char);
      if (numeral >= 0) {
        positions.push(at);
        numerals.push(numeral);
      }
    });
    const { keepLast, luhn: withLuhn } = this.options;
    // With luhn, the last digit before the kept ones is not encrypted but recomputed, so the
    // result passes Luhn; the original passed too, which makes that digit recoverable.
    const end = numerals.length - keepLast - (withLuhn ? 1 : 0);
    if (withLuhn && encrypt && !luhn(numerals.join(''))) {
      throw new TransformFailure('the value is not a card number with a valid Luhn check digit');
    }
    if (end > MAX_ENCRYPTED) {
      // FF1's big-number arithmetic grows with the square of the length: 64,000 digits took a
      // second of event loop, 256,000 took 17. No format worth preserving is this long.
      throw new TransformFailure(`FORMAT_PRESERVING encrypts at most ${MAX_ENCRYPTED} ${this.options.alphabet === 'DIGITS' ? 'digits' : 'letters or digits'} of a value`);
    }
    if (end < this.ff1.minLength()) {
      throw new TransformFailure(
        `FORMAT_PRESERVING needs at least ${this.ff1.minLength() + keepLast + (withLuhn ? 1 : 0)} ${this.options.alphabet === 'DIGITS' ? 'digits' : 'letters or digits'} here`,
      );
    }
    const tweak = Buffer.from(kind);
    const head = numerals.slice(0, end);
    const result = [...(encrypt ? this.ff1.encrypt(head, tweak) : this.ff1.decrypt(head, tweak)), ...numerals.slice(end)];
    if (withLuhn) result[end] = luhnDigitAt(result, end);
    positions.forEach((at, i) => (chars[at] = this.alphabet[result[i]!]!));
    return chars.join('');
  }
}

/** The digit at `at` that makes the whole sequence pass Luhn (exactly one does). */
function luhnDigitAt(digits: readonly number[], at: number): number {
  const weight = (digit: number, fromRight: number) => (fromRight % 2 === 1 ? (digit * 2 > 9 ? digit * 2 - 9 : digit * 2) : digit);
  let others = 0;
  for (let i = 0; i < digits.length; i++) if (i !== at) others += weight(digits[i]!, digits.length - 1 - i);
  for (let digit = 0; digit < 10; digit++) {
    if ((others + weight(digit, digits.length - 1 - at)) % 10 === 0) return digit;
  }
  throw new Error('unreachable: every Luhn position has a solution');
}
