import { describe, expect, it } from 'vitest';
import { detectSpans } from '../../src/detect/detect.js';
import type { Recognizer } from '../../src/detect/span.js';

describe('email recognition', () => {
  it('finds addresses inside prose with exact offsets', () => {
    const text = 'Write to jane.doe+clinic@example.co.uk, or (bob@mail.example.org).';
    const spans = detectSpans(text);
    expect(spans.map((s) => text.slice(s.start, s.end))).toEqual(['jane.doe+clinic@example.co.uk', 'bob@mail.example.org']);
    expect(spans.every((s) => s.kind === 'email' && s.score > 0.5)).toBe(true);
  });

  it('ignores things that only look like addresses', () => {
    for (const text of ['user@localhost', '@example.com', 'a@b', 'price: 5@3.00', 'x@y.c0m']) {
      expect(detectSpans(text)).toEqual([]);
    }
  });

  it('keeps offsets right after unicode', () => {
    const text = 'Zoë 👩‍⚕️ zoe@example.com';
    const [span] = detectSpans(text);
    expect(text.slice(span!.start, span!.end)).toBe('zoe@example.com');
  });

  it('resolves overlaps: longest first, then highest score', () => {
    const fixed = (name: string, start: number, end: number, score: number): Recognizer => ({
      name,
      kinds: [name],
      find: () => [{ start, end, kind: name, score, source: name }],
    });
    const text = ' '.repeat(20);
    expect(detectSpans(text, [fixed('short', 2, 5, 0.99), fixed('long', 0, 8, 0.5)]).map((s) => s.kind)).toEqual(['long']);
    expect(detectSpans(text, [fixed('low', 0, 8, 0.4), fixed('high', 2, 10, 0.9)]).map((s) => s.kind)).toEqual(['high']);
    expect(detectSpans(text, [fixed('b', 10, 12, 0.5), fixed('a', 0, 2, 0.5)]).map((s) => s.kind)).toEqual(['a', 'b']);
    // Only kept spans block: c touches a (kept) and overlaps b, which a displaced.
    expect(detectSpans(text, [fixed('c', 8, 10, 0.9), fixed('b', 6, 13, 0.9), fixed('a', 0, 8, 0.5)]).map((s) => s.kind)).toEqual(['a', 'c']);
  });
});
