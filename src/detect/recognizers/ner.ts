import nlp from './compromise-model.js';
import type { Recognizer, Span } from '../span.js';
import { nameShaped, type TaggedDoc, type TaggedTerm } from './name-shape.js';
import { sentencesWithNames } from './sentences-with-names.js';

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
  find: (text) => findEntities(text, sentencesWithNames),
};

/** Which parts of a piece compromise reads, as [start, end) offsets in order. */
export type PartsToRead = (piece: string) => [number, number][];

/**
 * The people, organizations and places of `text`, compromise reading of each piece the parts
 * `partsToRead` gives: for the recognizer, the sentences that may name something; a test gives
 * every sentence, to check that skipping the others changes nothing.
 */
export function findEntities(text: string, partsToRead: PartsToRead): Span[] {
  // Names start with a capital letter; without one there is nothing to look for.
  if (!/\p{Lu}/u.test(text)) return [];
  const spans: Span[] = [];
  for (let from = 0; from < text.length; ) {
    const to = pieceEnd(text, from);
    findIn(text, from, to, partsToRead, spans);
    from = to;
  }
  return spans;
}

const PIECE = 4096;

/** Where the piece starting at `from` ends: at most PIECE characters, after a line or sentence end when there is one. */
function pieceEnd(text: string, from: number): number {
  const limit = from + PIECE;
  if (limit >= text.length) return text.length;
  const cut = Math.max(text.lastIndexOf('\n', limit), text.lastIndexOf('. ', limit));
  return cut > from ? cut + 1 : limit;
}

/**
 * Runs compromise once over the parts of the piece worth reading (for NER, the sentences that
 * may name something: sentencesWithNames), put side by side; offsets are mapped back to the text.
 */
function findIn(text: string, from: number, to: number, partsToRead: PartsToRead, spans: Span[]): void {
  const piece = text.slice(from, to);
  const runs = partsToRead(piece);
  if (runs.length === 0) return;
  // Where each run starts in what compromise reads, and in the text.
  const read: { at: number; from: number; length: number }[] = [];
  let joined = '';
  for (const [start, end] of runs) {
    read.push({ at: joined.length, from: from + start, length: end - start });
    joined += piece.slice(start, end);
    // Runs end at a sentence's end, and so mostly with its space; one that does not gets a line break.
    if (!/\s/.test(joined[joined.length - 1]!)) joined += '\n';
  }
  const inText = (offset: number, isEnd: boolean): number => {
    let i = read.length - 1;
    while (i > 0 && (isEnd ? offset <= read[i]!.at : offset < read[i]!.at)) i--;
    const run = read[i]!;
    return run.from + Math.min(offset - run.at, run.length);
  };
  const doc = nlp(joined) as unknown as TaggedDoc & Record<'people' | 'organizations' | 'places', () => { docs: TaggedTerm[][] }>;
  // Offsets once, and a match runs from its first term's start to its last term's end. compromise's
  // out('offset') computes them again and copies every term for each view, and measures a match
  // with the punctuation before its first word (after "-- " it gave "Mike Hommey <g").
  doc.compute('offset');
  const collect = (view: { docs: TaggedTerm[][] }, kind: string, score: number) => {
    for (const terms of view.docs) {
      const last = terms[terms.length - 1]!.offset!;
      let start = inText(terms[0]!.offset!.start, false);
      let end = inText(last.start + last.length, true);
      const raw = text.slice(start, end);
      start += raw.length - raw.replace(LEADING_PUNCTUATION, '').length;
      end -= raw.length - raw.replace(TRAILING_PUNCTUATION, '').length;
      // compromise knows first names better than surnames: "Crawford" of "Crawford Wolf".
      if (kind === 'person') end += SURNAME.exec(text.slice(end))?.[0].length ?? 0;
      if (end > start) spans.push({ start, end, kind, score, source: 'compromise-ner' });
    }
  };
  // Each view walks the whole document; one that cannot find anything is not asked.
  const tagged = tagsIn(doc);
  if (tagged.has('Person')) collect(doc.people(), 'person', 0.7);
  if (tagged.has('Organization')) collect(doc.organizations(), 'organization', 0.6);
  if (tagged.has('Place') || tagged.has('Address')) collect(doc.places(), 'location', 0.6);
  const shaped: Span[] = [];
  nameShaped(doc, shaped);
  for (const span of shaped) spans.push({ ...span, start: inText(span.start, false), end: inText(span.end, true) });
}

/** The tags the views look for: people() needs a Person, organizations() an Organization, places() a Place or an Address. */
const VIEW_TAGS = ['Person', 'Organization', 'Place', 'Address'];

function tagsIn(doc: TaggedDoc): Set<string> {
  const found = new Set<string>();
  for (const sentence of doc.docs) for (const term of sentence) for (const tag of VIEW_TAGS) if (term.tags.has(tag)) found.add(tag);
  return found;
}
