import { compromiseWorld } from './compromise-model.js';
import type { Span } from '../span.js';

/** One term of a document compromise has tagged: the parts nameShaped reads. */
export interface TaggedTerm {
  text: string;
  pre: string;
  post: string;
  tags: Set<string>;
  offset?: { start: number; length: number };
}
/** A tagged document: its sentences, each a list of terms. */
export interface TaggedDoc {
  docs: TaggedTerm[][];
  compute(name: 'offset'): void;
}

const TITLE_CASE = /^\p{Lu}[\p{Ll}'’]+$/u;
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
const LEXICON = compromiseWorld.model.one.lexicon;

/**
 * Two or three capitalized words in a row that compromise could only call proper nouns, the
 * last one not a common word (its lexicon, or a common-noun ending): a person it did not
 * recognize ("Please ask Elmore Bins to sign"), as compromise knows common first names but few
 * surnames; a place when a street or place type ends it or a direction starts it. Scored below
 * compromise's own findings, which win where the two overlap. A common word last ("Quality
 * Team", "Accounts Payable") means no name: missing such a name is the price of not
 * tokenizing every capitalized phrase. The document's offsets must be computed (findIn does).
 */
export function nameShaped(doc: TaggedDoc, spans: Span[]): void {
  for (const sentence of doc.docs) {
    let run: TaggedTerm[] = [];
    const close = () => {
      // Up to four terms: each half of a double-barrelled name is a term of its own.
      const lastWord = run[run.length - 1]?.text.toLowerCase() ?? '';
      if (run.length >= 2 && run.length <= 4 && (PLACE_LAST.has(lastWord) || !commonWord(lastWord))) {
        const first = run[0]!.offset!;
        const last = run[run.length - 1]!.offset!;
        const place = PLACE_LAST.has(lastWord) || PLACE_FIRST.has(run[0]!.text.toLowerCase());
        spans.push({ start: first.start, end: last.start + last.length, kind: place ? 'location' : 'person', score: 0.5, source: 'compromise-ner' });
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
