import nlp from './compromise-model.js';
import type { Recognizer, Span } from '../span.js';
import { nameShaped, type TaggedDoc } from './name-shape.js';

const TRAILING_PUNCTUATION = /[\s.,;:!?"'’”)\]]+$/u;
const LEADING_PUNCTUATION = /^[\s"'‘“(\[]+/u;
/** A capitalized word (hyphenated too) right after a name compromise found: its surname. */
const SURNAME = /^ (\p{Lu}[\p{Ll}'’]+(?:-\p{Lu}[\p{Ll}'’]+)?)(?![\p{L}\p{N}])/u;

/**
 * People (titles such as Dr. or Mrs. kept inside the span), organizations and places in prose,
 * found by compromise. Offsets come from compromise's own character offsets, trimmed of
 * surrounding punctuation. Long texts go through compromise in pieces of about 4 KB cut at a
 * line or sentence end: its cost grows faster than the text (a 200 KB document in one piece took
 * twice as long as its paragraphs one by one), and a name does not cross a sentence.
 */
export const nerRecognizer: Recognizer = {
  name: 'compromise-ner',
  kinds: ['person', 'organization', 'location'],
  find(text: string): Span[] {
    // Names start with a capital letter; without one there is nothing to look for.
    if (!/\p{Lu}/u.test(text)) return [];
    const spans: Span[] = [];
    for (let from = 0; from < text.length; ) {
      const to = pieceEnd(text, from);
      findIn(text, from, to, spans);
      from = to;
    }
    return spans;
  },
};

const PIECE = 4096;

/** Where the piece starting at `from` ends: at most PIECE characters, after a line or sentence end when there is one. */
function pieceEnd(text: string, from: number): number {
  const limit = from + PIECE;
  if (limit >= text.length) return text.length;
  const cut = Math.max(text.lastIndexOf('\n', limit), text.lastIndexOf('. ', limit));
  return cut > from ? cut + 1 : limit;
}

function findIn(text: string, from: number, to: number, spans: Span[]): void {
  const doc = nlp(text.slice(from, to));
  const collect = (view: { out(format: 'offset'): { offset: { start: number; length: number } }[] }, kind: string, score: number) => {
    for (const { offset } of view.out('offset')) {
      let start = from + offset.start;
      let end = from + offset.start + offset.length;
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
  nameShaped(doc as unknown as TaggedDoc, from, spans);
}
