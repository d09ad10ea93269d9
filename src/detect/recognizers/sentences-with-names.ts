import { compromiseWorld as world } from './compromise-model.js';

const { lexicon, tagSet } = world.model.one;

/** Tags of what NER finds, and of the words that lead compromise to one (a title, a first name). */
const ENTITY_TAGS = new Set(['Person', 'Place', 'Organization', 'ProperNoun', 'Honorific', 'Address', 'Acronym']);

/** Whether a lexicon tag is, or descends from, one of ENTITY_TAGS. */
function entityTag(tag: string): boolean {
  return ENTITY_TAGS.has(tag) || (tagSet[tag]?.parents ?? []).some((parent) => ENTITY_TAGS.has(parent));
}

function entityEntry(entry: string | string[] | undefined): boolean {
  return entry !== undefined && (Array.isArray(entry) ? entry : [entry]).some(entityTag);
}

/** The lexicon's names of several words ("new york", "procter & gamble"), by their first word. */
const entityPhrases = new Map<string, string[]>();
for (const [phrase, entry] of Object.entries(lexicon)) {
  if (!phrase.includes(' ') || !entityEntry(entry)) continue;
  const first = phrase.slice(0, phrase.indexOf(' '));
  entityPhrases.set(first, [...(entityPhrases.get(first) ?? []), phrase]);
}

/** Whether compromise's lexicon may make the word (lower-cased, at `index` of the lower-cased sentence) part of a name, a place or an organization. */
function mayNameSomething(lower: string, sentence: string, index: number): boolean {
  return entityEntry(lexicon[lower]) || (entityPhrases.get(lower)?.some((phrase) => sentence.startsWith(phrase, index)) ?? false);
}

const WORD = /[\p{L}\p{M}\p{N}'’-]+/gu;
const CAPITAL = /\p{Lu}/u;
/** What compromise reads as one term that is never a name: an email address or a web address. */
const ADDRESS_TERM = /[^\s@]+@[^\s@]+\.[^\s@]+|\b(?:https?:\/\/|www\.)\S+/giu;

/**
 * Whether NER can find nothing in the sentence: no capitalized word but its first, that first
 * word one compromise's lexicon knows as a common word ("The", "Call"), and no word the lexicon
 * knows as part of a name, a place, an organization or a title whatever its case ("paris",
 * "dr", "fbi"). Acronyms count as capitalized: compromise calls some it does not know
 * organizations ("the GPL").
 */
export function plainSentence(sentence: string): boolean {
  const text = sentence.replace(ADDRESS_TERM, ' ');
  const lower = text.toLowerCase();
  let first = true;
  for (const match of text.matchAll(WORD)) {
    const word = match[0];
    const lowerWord = lower.slice(match.index, match.index + word.length);
    if (first) {
      // A first word the lexicon does not know may be a surname ("Bartoletti called").
      if (lexicon[lowerWord] === undefined || CAPITAL.test(word.slice(1))) return false;
    } else if (CAPITAL.test(word)) {
      return false;
    }
    if (mayNameSomething(lowerWord, lower, match.index)) return false;
    first = false;
  }
  return true;
}

/**
 * The parts of `text` worth giving compromise: runs of consecutive sentences (cut where
 * compromise cuts them) that are not plain, as [start, end) offsets. Tagging is per sentence,
 * so a run gets the same tags as it would inside the whole text.
 */
export function sentencesWithNames(text: string): [number, number][] {
  const sentences = world.methods.one.tokenize.splitSentences(text, world);
  const runs: [number, number][] = [];
  let at = 0;
  for (const sentence of sentences) {
    const start = text.indexOf(sentence, at);
    // compromise's sentences are the text cut in pieces; should they ever not be, nothing is skipped.
    if (start !== at) return [[0, text.length]];
    at += sentence.length;
    if (plainSentence(sentence)) continue;
    const last = runs[runs.length - 1];
    if (last && last[1] === start) last[1] = at;
    else runs.push([start, at]);
  }
  return at === text.length ? runs : [[0, text.length]];
}
