import { describe, expect, it } from 'vitest';
import { inexactIntegerAt, isExactInteger } from '../../src/json-numbers.js';

describe('integers a double would round', () => {
  it('finds an integer whose text would change, and says where', () => {
    const json = '{"a": 1, "id": 12345678901234567890}';
    expect(inexactIntegerAt(json)).toBe(json.indexOf('1234'));
    expect(inexactIntegerAt('[9007199254740993]')).toBe(1);
    expect(inexactIntegerAt('{"n":-9007199254740993}')).toBe(5);
    // 10^21 is a double exactly, but it would come back written as 1e+21.
    expect(inexactIntegerAt('[1000000000000000000000]')).toBe(1);
    // A string ending in an escaped backslash ends there.
    const afterEscape = '{"s": "\\\\", "n": 12345678901234567890}';
    expect(inexactIntegerAt(afterEscape)).toBe(afterEscape.indexOf('1234'));
  });

  it('passes integers that come back as the same text, floats, and digits inside strings', () => {
    expect(inexactIntegerAt('[9007199254740991, -9007199254740991, 9007199254740992]')).toBe(-1);
    // What JSON.stringify writes for any double reads back as itself: a JavaScript client is never refused.
    expect(inexactIntegerAt(JSON.stringify([12345678901234567890, 2 ** 60, -(2 ** 70), 1e21, 123456789012345680000]))).toBe(-1);
    expect(inexactIntegerAt('[1.2345678901234567890, 12345678901234567890e0, 1.5E300]')).toBe(-1);
    expect(inexactIntegerAt('{"card": "4242424242424242", "12345678901234567890": "x \\" 12345678901234567890 \\\\", "n": 1}')).toBe(-1);
  });

  it('given the parsed value, looks at the text only when the value holds an integer of 2^53 or more', () => {
    const cards = '{"card": "4242424242424242", "n": 12}';
    expect(inexactIntegerAt(cards, JSON.parse(cards))).toBe(-1);
    const rounded = '{"card": "4242424242424242", "deep": [[{"n": 12345678901234567890}]]}';
    expect(inexactIntegerAt(rounded, JSON.parse(rounded))).toBe(rounded.indexOf('1234'));
    // A value without such a number means no literal was rounded, whatever the text says.
    expect(inexactIntegerAt(rounded, { n: 12 })).toBe(-1);
  });

  it('judges GraphQL literals by the same rule', () => {
    expect(isExactInteger('12345678901234567000')).toBe(true);
    expect(isExactInteger('12345678901234567890')).toBe(false);
    expect(isExactInteger('-123')).toBe(true);
  });
});
