import type { Recognizer, Span } from '../span.js';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH = '(January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\\.?';
const DAY = '([0-3]?\\d)(?:st|nd|rd|th)?';
const YEAR = '((?:19|20)\\d\\d)';

const ISO = /(?<![\d-])((?:19|20)\d\d)-(\d\d)-(\d\d)(?![\d-])/g;
const NUMERIC = /(?<![\d/.])(\d{1,2})([/.])(\d{1,2})\2((?:19|20)\d\d)(?!\d|[/.]\d)/g;
const MONTH_FIRST = new RegExp(`\\b${MONTH}\\s+${DAY},?\\s+${YEAR}\\b`, 'gi');
const DAY_FIRST = new RegExp(`\\b${DAY}\\s+(?:of\\s+)?${MONTH},?\\s+${YEAR}\\b`, 'gi');

/**
 * Dates with a year, numeric (`1984-03-09`, `09/03/1984`, `9.3.1984`) and written
 * (`March 9, 1984`, `9th of March 1984`), years 1900-2099. A date that does not exist
 * (`1984-02-30`) is not one; `03/09/1984` is accepted when either day-month order is valid.
 */
export const dateRecognizer: Recognizer = {
  name: 'date',
  kinds: ['date'],
  find(text: string): Span[] {
    const spans: Span[] = [];
    const add = (index: number, length: number) => spans.push({ start: index, end: index + length, kind: 'date', score: 0.85, source: this.name });
    for (const m of text.matchAll(ISO)) if (isCalendarDate(+m[1]!, +m[2]!, +m[3]!)) add(m.index, m[0].length);
    for (const m of text.matchAll(NUMERIC)) {
      const [a, b, year] = [+m[1]!, +m[3]!, +m[4]!];
      if (isCalendarDate(year, b, a) || isCalendarDate(year, a, b)) add(m.index, m[0].length);
    }
    for (const m of text.matchAll(MONTH_FIRST)) if (isCalendarDate(+m[3]!, monthOf(m[1]!), +m[2]!)) add(m.index, m[0].length);
    for (const m of text.matchAll(DAY_FIRST)) if (isCalendarDate(+m[3]!, monthOf(m[2]!), +m[1]!)) add(m.index, m[0].length);
    return spans;
  },
};

function monthOf(name: string): number {
  return MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1;
}

/** Whether the day exists in that month of that year. */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}
