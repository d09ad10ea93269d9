import nlp from 'compromise';
import type { Recognizer, Span } from '../span.js';

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

interface TaggedTerm {
  text: string;
  pre: string;
  post: string;
  tags: Set<string>;
  offset?: { start: number; length: number };
}
interface TaggedDoc {
  docs: TaggedTerm[][];
  compute(name: 'offset'): void;
}

const TITLE_CASE = /^\p{Lu}[\p{Ll}'’]+(?:-\p{Lu}[\p{Ll}'’]+)?$/u;
/** What compromise tags a capitalized word it does not know (or knows only as a name). */
const NAME_LIKE_TAGS = new Set(['ProperNoun', 'Noun', 'Singular', 'Hyphenated', 'FirstName', 'LastName', 'MaleName', 'FemaleName', 'Person']);
/** A run starting or ending with one of these is a place ("Conroy Highway", "North Eloisahaven"). */
const PLACE_FIRST = new Set(['north', 'south', 'east', 'west', 'port', 'new', 'lake', 'mount', 'fort', 'saint', 'san', 'santa', 'los', 'las', 'el', 'casa']);
// Street and place types (the common ones of the USPS street suffix list), without those that
// are frequent surnames (Hill, Mills, Park, Brooks, Banks...): a person there is the worse miss.
const PLACE_LAST = new Set(
  ('street avenue road lane drive court place square way boulevard highway causeway turnpike motorway freeway expressway parkway ' +
    'throughway skyway gateway bypass overpass underpass viaduct tunnel route loop passage crossroad crossroads crossing junction ' +
    'circle terrace trail row walk alley plaza pike mall prairie lake lakes valley village heights harbor harbour bridge ' +
    'island islands beach falls ridge ridges creek river forest meadow meadows garden gardens estate estates landing station ' +
    'point shore shores summit vista grande glen glens grove groves orchard ferry corner corners neck canyon cove crest ' +
    'knoll lodge manor mountain mountains oval pass path pines plains ranch rapids spur stravenue trace track').split(' '),
);
/** Endings of common nouns and adjectives that surnames hardly have ("Accounts Payable", "Privacy Options"). */
const COMMON_WORD_ENDING = /(?:[ai]ble|tions?|sions?|ments?|ness|ity|ities|ances?|ences?|ship|ism|ogy|ics)$/;
const LEXICON = (nlp as unknown as { world(): { model: { one: { lexicon: Record<string, string | string[]> } } } }).world().model.one.lexicon;

/**
 * Two or three capitalized words in a row that compromise could only call proper nouns, the
 * last one not a common word (its lexicon, or a common-noun ending): a person it did not
 * recognize ("Please ask Elmore Bins to sign"), as compromise knows common first names but few
 * surnames; a place when a street or place type ends it or a direction starts it. Scored below
 * compromise's own findings, which win where the two overlap. A common word last ("Quality
 * Team", "Accounts Payable") means no name: missing such a name is the price of not
 * tokenizing every capitalized phrase.
 */
function nameShaped(doc: TaggedDoc, from: number, spans: Span[]): void {
  doc.compute('offset');
  for (const sentence of doc.docs) {
    let run: TaggedTerm[] = [];
    const close = () => {
      // Up to four terms: each half of a double-barrelled name is a term of its own.
      const lastWord = run[run.length - 1]?.text.toLowerCase() ?? '';
      if (run.length >= 2 && run.length <= 4 && (PLACE_LAST.has(lastWord) || !commonWord(lastWord))) {
        const first = run[0]!.offset!;
        const last = run[run.length - 1]!.offset!;
        const place = PLACE_LAST.has(lastWord) || PLACE_FIRST.has(run[0]!.text.toLowerCase());
        spans.push({ start: from + first.start, end: from + last.start + last.length, kind: place ? 'location' : 'person', score: 0.5, source: 'compromise-ner' });
      }
      run = [];
    };
    for (const term of sentence) {
      const nameLike = TITLE_CASE.test(term.text) && onlyNameLikeTags(term.tags);
      if (!nameLike || /\S/.test(term.pre)) close();
      if (nameLike) run.push(term);
      // A hyphen joins the two halves of a double-barrelled name ("Quigley-Lakin").
      if (/\S/.test(term.post) && term.post !== '-') close();
    }
    close();
  }
}

function onlyNameLikeTags(tags: Set<string>): boolean {
  for (const tag of tags) if (!NAME_LIKE_TAGS.has(tag)) return false;
  return true;
}

function commonWord(lower: string): boolean {
  if (COMMON_WORD_ENDING.test(lower)) return true;
  const entry = LEXICON[lower];
  if (entry === undefined) return false;
  return !(Array.isArray(entry) ? entry : [entry]).some((tag) => tag.endsWith('Name'));
}
