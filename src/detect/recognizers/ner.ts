import nlp from 'compromise';
import type { Recognizer, Span } from '../span.js';

const TRAILING_PUNCTUATION = /[\s.,;:!?"'’”)\]]+$/u;
const LEADING_PUNCTUATION = /^[\s"'‘“(\[]+/u;
/** A capitalized word (hyphenated too) right after a name compromise found: its surname. */
const SURNAME = /^ (\p{Lu}[\p{Ll}'’]+(?:-\p{Lu}[\p{Ll}'’]+)?)(?![\p{L}\p{N}])/u;

/**
 * People (titles such as Dr. or Mrs. kept inside the span), organizations and places in prose,
 * found by compromise. Offsets come from compromise's own character offsets, trimmed of
 * surrounding punctuation.
 */
export const nerRecognizer: Recognizer = {
  name: 'compromise-ner',
  find(text: string): Span[] {
    // Names start with a capital letter; without one there is nothing to look for.
    if (!/\p{Lu}/u.test(text)) return [];
    const doc = nlp(text);
    const spans: Span[] = [];
    const collect = (view: { out(format: 'offset'): { offset: { start: number; length: number } }[] }, kind: string, score: number) => {
      for (const { offset } of view.out('offset')) {
        let start = offset.start;
        let end = offset.start + offset.length;
        const raw = text.slice(start, end);
        start += raw.length - raw.replace(LEADING_PUNCTUATION, '').length;
        end -= raw.length - raw.replace(TRAILING_PUNCTUATION, '').length;
        // compromise knows first names better than surnames: "Crawford" of "Crawford Wolf".
        if (kind === 'person') end += SURNAME.exec(text.slice(end))?.[0].length ?? 0;
        if (end > start) spans.push({ start, end, kind, score, source: 'compromise-ner' });
      }
    };
    collect(doc.people() as never, 'person', 0.7);
    collect(doc.organizations() as never, 'organization', 0.6);
    collect(doc.places() as never, 'location', 0.6);
    return spans;
  },
};
