import { describe, expect, it } from 'vitest';
import { checkJsonLimits } from '../../src/payload/payload-limits.js';

const limits = { maxDepth: 4, maxNodes: 10, maxStringBytes: 16 };

describe('JSON limits', () => {
  it('accepts what fits', () => {
    expect(() => checkJsonLimits({ a: [1, 'ééé', { b: null }] }, limits)).not.toThrow();
  });

  it.each([
    [[[[[['deep']]]]], /nesting exceeds 4 levels/],
    [Array.from({ length: 11 }, (_, i) => i), /more than 10 values/],
    [{ note: 'secret-value-that-is-long' }, /a JSON string exceeds 16 bytes/],
    [{ 'a-very-long-key-indeed': 1 }, /a JSON key exceeds 16 bytes/],
    [['ééééééééé'], /a JSON string exceeds 16 bytes/],
  ])('refuses %j with PAYLOAD_TOO_LARGE, quoting nothing', (value, message) => {
    let error: unknown;
    try {
      checkJsonLimits(value, limits);
    } catch (caught) {
      error = caught;
    }
    expect((error as Error).message).toMatch(message);
    expect((error as { extensions?: { code?: string } }).extensions?.code).toBe('PAYLOAD_TOO_LARGE');
    expect((error as Error).message).not.toMatch(/secret|very-long|éé/);
  });
});
