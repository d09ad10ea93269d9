import type { Recognizer, Span } from '../span.js';

const SSN = /(?<![\d-])(\d{3})-(\d{2})-(\d{4})(?![\d-])/g;

/**
 * US social security numbers in the AAA-GG-SSSS form, minus the ones the SSA never issues:
 * area 000, 666 or 900–999, group 00, serial 0000.
 */
export const usSsnRecognizer: Recognizer = {
  name: 'us-ssn',
  kinds: ['us_ssn'],
  find(text: string): Span[] {
    if (!text.includes('-')) return [];
    const spans: Span[] = [];
    for (const match of text.matchAll(SSN)) {
      const [, area, group, serial] = match as unknown as [string, string, string, string];
      const areaNumber = Number(area);
      if (areaNumber === 0 || areaNumber === 666 || areaNumber >= 900 || group === '00' || serial === '0000') continue;
      spans.push({ start: match.index, end: match.index + match[0].length, kind: 'us_ssn', score: 0.85, source: this.name });
    }
    return spans;
  },
};
