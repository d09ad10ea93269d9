import { maskValue } from '../mask.js';
import { holdsText, StrategyOptionError, type FieldTransform, type StrategyTarget } from '../field-transform.js';

export interface MaskOptions {
  keepFirst: number;
  keepLast: number;
  char: string;
}

/** Characters that keep their place and are never masked, so `**** **** **** 4242` keeps its groups. */
const SEPARATOR = /[\s\-.()/+_,:]/u;
const EMAIL = /^([^@\s]+)(@[^@\s]+)$/u;

/**
 * MASK. Without options, the shape decides (the same mask as the MASKED reveal level:
 * `j***@example.com`, `**** **** **** 4242`, `J*** S****`). With options, keepFirst/keepLast
 * characters stay (separators are kept and not counted); in an email only the local part is
 * masked. The mask is as long as what it hides.
 */
export function mask(given: Partial<MaskOptions> | undefined, target: StrategyTarget): FieldTransform {
  if (!holdsText(target)) throw new StrategyOptionError(`MASK needs a String or ID field, not ${target.type}`);
  if (given === undefined) return (value) => maskValue(String(value));
  const options: MaskOptions = { keepFirst: 0, keepLast: 0, char: '*', ...given };
  for (const name of ['keepFirst', 'keepLast'] as const) {
    if (!Number.isInteger(options[name]) || options[name] < 0 || options[name] > 64) {
      throw new StrategyOptionError(`mask.${name} must be a whole number from 0 to 64`);
    }
  }
  if ([...options.char].length !== 1) throw new StrategyOptionError('mask.char must be exactly one character');
  return (value) => maskWith(String(value), options);
}

export function maskWith(value: string, options: MaskOptions): string {
  const email = EMAIL.exec(value);
  if (email) return maskRun(email[1]!, options) + email[2]!;
  return maskRun(value, options);
}

function maskRun(text: string, { keepFirst, keepLast, char }: MaskOptions): string {
  const chars = [...text];
  const maskable = chars.filter((c) => !SEPARATOR.test(c)).length;
  let seen = 0;
  return chars
    .map((c) => {
      if (SEPARATOR.test(c)) return c;
      const index = seen++;
      return index < keepFirst || index >= maskable - keepLast ? c : char;
    })
    .join('');
}
