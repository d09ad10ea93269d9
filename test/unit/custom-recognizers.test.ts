import { describe, expect, it } from 'vitest';
import { detectSpans } from '../../src/detect/detect.js';
import { checkCustomRecognizers, CustomRecognizerError, customRecognizer, type CustomRecognizerSpec } from '../../src/detect/recognizers/custom-pattern.js';

const project: CustomRecognizerSpec = { name: 'project codes', kind: 'project', pattern: 'PRJ-[0-9]{4}' };

describe('custom recognizers (RE2)', () => {
  it('finds matches with UTF-16 offsets, standing alone, scored, case-insensitively when asked', () => {
    const text = '👩‍⚕️ Zoë: PRJ-1234, prj-5678 and XPRJ-9999';
    const spans = detectSpans(text, [], { recognizers: [project] });
    expect(spans.map((s) => text.slice(s.start, s.end))).toEqual(['PRJ-1234']); // XPRJ-9999 runs into a letter
    expect(spans[0]).toMatchObject({ kind: 'project', score: 0.8, source: 'custom:project codes' });
    const insensitive = detectSpans(text, [], { recognizers: [{ ...project, ignoreCase: true, score: 0.5 }] });
    expect(insensitive.map((s) => [text.slice(s.start, s.end), s.score])).toEqual([['PRJ-1234', 0.5], ['prj-5678', 0.5]]);
  });

  it('skips empty matches', () => {
    expect(customRecognizer({ name: 'maybe', kind: 'x', pattern: 'a*' }).find('bbb aa b')).toEqual([{ start: 4, end: 6, kind: 'x', score: 0.8, source: 'custom:maybe' }]);
  });

  it('runs a pattern that makes backtracking engines explode in linear time', () => {
    // (a+)+$ on a long run of a's followed by a mismatch: exponential for RegExp, one pass for RE2.
    const hostile = customRecognizer({ name: 'hostile', kind: 'x', pattern: '(a+)+$' });
    expect(hostile.find(`${'a'.repeat(100_000)}!`)).toEqual([]);
  });

  it('refuses a bad spec naming the recognizer, never quoting the pattern', () => {
    const secret = 'Jane(?=Smith)';
    const cases: [CustomRecognizerSpec[], RegExp][] = [
      [[project, { name: 'lookahead', kind: 'person', pattern: secret }], /^recognizers\[1\]: pattern is not a valid RE2 regular expression/],
      [[{ name: 'backref', kind: 'x', pattern: '(Jane)\\1' }], /^recognizers\[0\]: pattern is not a valid RE2/],
      [[{ name: 'broken', kind: 'x', pattern: 'Jane(' }], /^recognizers\[0\]: pattern is not a valid RE2/],
      [[{ name: 'long', kind: 'x', pattern: 'a'.repeat(1001) }], /pattern must be 1-1000 characters/],
      [[{ name: 'kind', kind: 'Not A Kind', pattern: 'a' }], /kind must be lowercase/],
      [[{ name: 'score', kind: 'x', pattern: 'a', score: 1.5 }], /score must be from 0 to 1/],
      [[{ name: 'bad/name', kind: 'x', pattern: 'a' }], /^recognizers\[0\]: name must be/],
      [Array.from({ length: 21 }, () => project), /takes at most 20 recognizers/],
    ];
    for (const [specs, message] of cases) {
      const check = () => checkCustomRecognizers(specs, 'recognizers');
      expect(check).toThrow(CustomRecognizerError);
      expect(check).toThrow(message);
      expect(check).not.toThrow(/Jane|Smith/);
    }
    // The configuration's recognizers are named by their name as well (operators wrote them).
    expect(() => checkCustomRecognizers([{ name: 'tickets', kind: 'x', pattern: '(' }], 'DETECT_RECOGNIZERS', { withName: true })).toThrow(/^DETECT_RECOGNIZERS\[0\] \("tickets"\): pattern/);
    expect(() => checkCustomRecognizers([{ name: 'Jane Smith', kind: 'x', pattern: '(' }], 'recognizers')).not.toThrow(/Jane/);
  });
});
