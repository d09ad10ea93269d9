import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../src/json.js';
import { luhn } from '../../src/detect/recognizers/credit-card.js';
import { TenantKeyring } from '../../src/tokens/tenant-keys.js';
import { TransformFailure, type Scalar, type StrategyTarget, type TransformContext } from '../../src/transform/field-transform.js';
import { createTransform, type StrategyArguments } from '../../src/transform/strategies.js';
import { formatPreservingCipher } from '../../src/transform/strategies/format-preserving.js';
import { laplace } from '../../src/transform/strategies/noise.js';

const keyring = new TenantKeyring(Buffer.alloc(32, 7));

function contextFor(tenant: string): TransformContext {
  return {
    tokenize: (kind: string, value: JsonValue) => `tok_${kind}_${String(value)}`,
    keys: keyring.keysFor(tenant),
    detectLists: {},
    reveals: false,
    revealLevel: () => 'TOKEN',
    countRevealed: () => {},
  };
}
const acme = contextFor('acme');
const globex = contextFor('globex');
const STRING: StrategyTarget = { type: 'String', nullable: true };

function run(args: StrategyArguments, value: Scalar, target: StrategyTarget = STRING, kind = 'k', context = acme) {
  return createTransform(args, target).transform(value, kind, context);
}

describe('FORMAT_PRESERVING', () => {
  const fpe = (value: string, formatPreserving?: object, kind = 'phone', context = acme) => run({ strategy: 'FORMAT_PRESERVING', formatPreserving }, value, STRING, kind, context) as string;
  const restore = (value: string, options = {}, kind = 'phone', context = acme) =>
    formatPreservingCipher(context.keys.fpe, { alphabet: 'DIGITS', keepLast: 0, luhn: false, ...options }).decrypt(value, kind);

  it('keeps length and separators, changes the digits, and is deterministic per tenant and kind', () => {
    const phone = '+1 (415) 555-0142';
    const out = fpe(phone);
    expect(out).toMatch(/^\+\d \(\d{3}\) \d{3}-\d{4}$/);
    expect(out).not.toBe(phone);
    expect(fpe(phone)).toBe(out);
    expect(fpe(phone, undefined, 'phone', globex)).not.toBe(out);
    expect(fpe(phone, undefined, 'fax')).not.toBe(out);
    expect(restore(out)).toBe(phone);
  });

  it('card: keeps the last four and a valid Luhn digit, and still round-trips', () => {
    const card = '4242 4242 4242 4242';
    const out = fpe(card, { keepLast: 4, luhn: true }, 'card');
    expect(out).toMatch(/^\d{4} \d{4} \d{4} 4242$/);
    expect(luhn(out.replace(/\D/g, ''))).toBe(true);
    expect(out).not.toBe(card);
    expect(restore(out, { keepLast: 4, luhn: true }, 'card')).toBe(card);
    expect(() => fpe('4242 4242 4242 4241', { luhn: true }, 'card')).toThrow(TransformFailure);
  });

  it('ALPHANUMERIC keeps non-alphabet characters (unicode included) in place', () => {
    const value = 'Zoë-AB12cd';
    const out = fpe(value, { alphabet: 'ALPHANUMERIC' }, 'ref');
    expect([...out]).toHaveLength([...value].length);
    expect(out[2]).toBe('ë');
    expect(out[3]).toBe('-');
    expect(formatPreservingCipher(acme.keys.fpe, { alphabet: 'ALPHANUMERIC', keepLast: 0, luhn: false }).decrypt(out, 'ref')).toBe(value);
  });

  it('withholds values too short for FF1 (and the empty string), saying how many digits it needs', () => {
    expect(() => fpe('12345')).toThrow(/at least 6 digits/);
    expect(() => fpe('')).toThrow(TransformFailure);
    expect(() => fpe('1234567', { keepLast: 4 })).toThrow(/at least 10 digits/);
  });

  it('withholds values with more than 256 digits to encrypt (FF1 grows with the square of the length)', () => {
    const long = '7'.repeat(256);
    expect(restore(fpe(long))).toBe(long);
    expect(() => fpe(`${long}7`)).toThrow(/at most 256 digits/);
    expect(fpe(`${long}1234`, { keepLast: 4 })).toMatch(/1234$/); // kept digits are not encrypted
    expect(() => fpe('9'.repeat(1_000_000))).toThrow(TransformFailure); // refused before any work
  });

  it('round-trips any digit string with separators (property)', () => {
    const text = fc.array(fc.constantFrom(...'0123456789', ' ', '-', '+', '(', ')', 'é'), { minLength: 0, maxLength: 40 });
    fc.assert(
      fc.property(text, fc.integer({ min: 0, max: 4 }), fc.string({ minLength: 1, maxLength: 8 }), (chars, keepLast, tenant) => {
        const value = chars.join('');
        const context = contextFor(tenant);
        let out: string;
        try {
          out = fpe(value, { keepLast }, 'phone', context);
        } catch (error) {
          expect(error).toBeInstanceOf(TransformFailure);
          expect(value.replace(/\D/g, '').length).toBeLessThan(6 + keepLast);
          return;
        }
        expect(out.replace(/\d/g, '#')).toBe(value.replace(/\d/g, '#'));
        expect(restore(out, { keepLast }, 'phone', context)).toBe(value);
      }),
      { numRuns: 300 },
    );
  });
});

describe('MASK', () => {
  const mask = (value: string, options?: object) => run({ strategy: 'MASK', mask: options }, value);

  it('without options, by shape: email, card, words (unicode)', () => {
    expect(mask('jane.doe@example.com')).toBe('j***@example.com');
    expect(mask('4242 4242 4242 4242')).toBe('**** **** **** 4242');
    expect(mask('Zoë Ångström')).toBe('Z** Å*******');
    expect(mask('')).toBe('');
  });

  it('with options: keepFirst/keepLast over non-separators, email local part only, another mask character', () => {
    expect(mask('jane.doe@example.com', { keepFirst: 1 })).toBe('j***.***@example.com');
    expect(mask('4242-4242-4242-4242', { keepLast: 4, char: '•' })).toBe('••••-••••-••••-4242');
    expect(mask('Ångström', { keepFirst: 2, keepLast: 1 })).toBe('Ån*****m');
    expect(mask('ab', { keepFirst: 5 })).toBe('ab');
    expect(mask('', { keepFirst: 1 })).toBe('');
  });
});

describe('HASH', () => {
  const hash = (value: Scalar, options?: object, context = acme) => run({ strategy: 'HASH', hash: options }, value, STRING, 'ssn', context) as string;

  it('keyed per tenant, deterministic, hex or base64url, truncated on request', () => {
    const full = hash('123-45-6789');
    expect(full).toMatch(/^[0-9a-f]{64}$/);
    expect(hash('123-45-6789')).toBe(full);
    expect(hash('123-45-6789', undefined, globex)).not.toBe(full);
    expect(hash('123-45-6780')).not.toBe(full);
    expect(hash('123-45-6789', { length: 16 })).toBe(full.slice(0, 16));
    expect(hash('123-45-6789', { encoding: 'BASE64URL' })).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(hash('')).toMatch(/^[0-9a-f]{64}$/);
    expect(hash('Zoë')).not.toBe(hash('Zoe'));
  });
});

describe('REDACT', () => {
  it('null by default, a fixed text on request', () => {
    expect(run({ strategy: 'REDACT' }, 'anything')).toBeNull();
    expect(run({ strategy: 'REDACT', redact: { to: 'TEXT', text: '[REDACTED]' } }, 'anything')).toBe('[REDACTED]');
    expect(run({ strategy: 'REDACT', redact: { to: 'TEXT', text: '—' } }, 42, { type: 'ID', nullable: false })).toBe('—');
  });
});

describe('GENERALIZE', () => {
  const g = (value: Scalar, generalize: object, target: StrategyTarget = STRING) => run({ strategy: 'GENERALIZE', generalize }, value, target);
  const INT: StrategyTarget = { type: 'Int', nullable: true };
  const FLOAT: StrategyTarget = { type: 'Float', nullable: true };

  it('dates to year, month and age band (ISO dates read as UTC; written dates too)', () => {
    expect(g('1984-03-09', { to: 'YEAR' })).toBe('1984');
    expect(g('1984-03-09T23:30:00-05:00', { to: 'YEAR' }, INT)).toBe(1984);
    expect(g('1984-03-09', { to: 'MONTH' })).toBe('1984-03');
    expect(g('March 9, 1984', { to: 'MONTH' })).toBe('1984-03');
    const today = new Date();
    const thirtyFive = `${today.getUTCFullYear() - 35}-01-01`;
    expect(g(thirtyFive, { to: 'AGE_BAND' })).toBe('30-39');
    expect(g(thirtyFive, { to: 'AGE_BAND', size: 5 })).toBe('35-39');
    expect(() => g('not a date', { to: 'YEAR' })).toThrow(TransformFailure);
    expect(() => g('1984-13-01', { to: 'YEAR' })).toThrow(TransformFailure);
    expect(() => g('', { to: 'YEAR' })).toThrow(TransformFailure);
  });

  it('numbers to buckets: a label on text fields, the lower bound on number fields', () => {
    expect(g(37, { to: 'NUMBER_BUCKET' })).toBe('30-39');
    expect(g('37', { to: 'NUMBER_BUCKET', size: 5 })).toBe('35-39');
    expect(g(37, { to: 'NUMBER_BUCKET' }, INT)).toBe(30);
    expect(g(-3, { to: 'NUMBER_BUCKET' }, INT)).toBe(-10);
    expect(g(3.7, { to: 'NUMBER_BUCKET', size: 2.5 }, FLOAT)).toBe(2.5);
    expect(() => g('thirty', { to: 'NUMBER_BUCKET' })).toThrow(TransformFailure);
  });

  it('emails to domain, postal codes to prefix, coordinates to a grid', () => {
    expect(g('Jane@Example.COM', { to: 'EMAIL_DOMAIN' })).toBe('example.com');
    expect(() => g('jane', { to: 'EMAIL_DOMAIN' })).toThrow(TransformFailure);
    expect(g('sw1a 1aa', { to: 'POSTAL_PREFIX' })).toBe('SW1');
    expect(g('75008', { to: 'POSTAL_PREFIX', length: 2 })).toBe('75');
    expect(g('51.50735,-0.12776', { to: 'GEO_GRID' })).toBe('51.5,-0.2');
    expect(g('51.50735, -0.12776', { to: 'GEO_GRID', cell: 0.01 })).toBe('51.50,-0.13');
    expect(g(48.8566, { to: 'GEO_GRID', cell: 1 }, FLOAT)).toBe(48);
    expect(() => g('51.5', { to: 'GEO_GRID' })).toThrow(TransformFailure);
  });
});

describe('NOISE', () => {
  const noisy = (value: Scalar, noise: object, target: StrategyTarget = { type: 'Float', nullable: true }, context = acme) =>
    run({ strategy: 'NOISE', noise }, value, target, 'income', context) as number;

  it('is the same for the same value (no averaging by repetition), different per tenant', () => {
    const a = noisy(52_000, { epsilon: 1, sensitivity: 1000 });
    expect(noisy(52_000, { epsilon: 1, sensitivity: 1000 })).toBe(a);
    expect(noisy(52_000, { epsilon: 1, sensitivity: 1000 }, undefined, globex)).not.toBe(a);
    expect(a).not.toBe(52_000);
  });

  it('rounds for Int fields and decimals, keeps strings strings', () => {
    expect(Number.isInteger(noisy(40, { epsilon: 0.5 }, { type: 'Int', nullable: true }))).toBe(true);
    expect(String(noisy(40, { epsilon: 0.5, decimals: 2 }))).toMatch(/^-?\d+(\.\d{1,2})?$/);
    expect(typeof run({ strategy: 'NOISE', noise: { epsilon: 1 } }, '40', STRING)).toBe('string');
    expect(() => noisy('forty', { epsilon: 1 }, STRING)).toThrow(TransformFailure);
  });

  it('follows a Laplace distribution of scale sensitivity/epsilon over many values', () => {
    const scale = 10;
    const draws = Array.from({ length: 20_000 }, (_, i) => noisy(i, { epsilon: 0.1, sensitivity: 1 }) - i);
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    const meanAbs = draws.reduce((a, b) => a + Math.abs(b), 0) / draws.length;
    // Laplace(0, b): mean 0, mean absolute deviation b. 20,000 draws put both within a few percent.
    expect(Math.abs(mean)).toBeLessThan(0.5);
    expect(meanAbs).toBeGreaterThan(scale * 0.95);
    expect(meanAbs).toBeLessThan(scale * 1.05);
    expect(laplace(0.5, scale)).toBeCloseTo(0);
  });
});

describe('TOKENIZE', () => {
  it('hands the value to the request vault', () => {
    expect(run({ strategy: 'TOKENIZE' }, 'x', STRING, 'email')).toBe('tok_email_x');
  });
});
