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
const LOWER_CASE = /\p{Ll}/u;

/** Acronyms compromise makes places, whatever the rest of the sentence (its tagger's 01-acronym.js). */
const ACRONYM_PLACES = new Set(['la', 'ny', 'us', 'dc', 'gb', 'uk']);
/** Words that make the acronym before them an organization: compromise's org words ("XYZ group") and its abbreviations rule ("ltd", "inc"). */
const ORGANIZATION_WORDS = new Set([...Object.keys(world.model.two.orgWords), 'ltd', 'co', 'inc', 'dept', 'assn', 'bros']);
/** The street words of compromise's address rule (`#Value #Noun+ (street|road…)`), in which an acronym is a noun ("12 ABC road"). */
const STREET_WORD = /\b(?:st|street|rd|road|crescent|cr|way|tr|terrace|avenue|ave|lane|boulevard|blvd|drive|dr|parkway)\b/;

/**
 * Whether compromise may make an entity of the upper-case word (`words[at]`, lower-cased) in a
 * sentence (`lower`) otherwise plain. Only by these rules: an acronym of its place list ("NY"),
 * one after "the" ("the ICU" is an organization), one before an org word ("XYZ group"), nouns
 * joined by "&" ("IBAN & SSN"), and a noun in an address ("12 ABC road"). "SSN", "ECG" or
 * "GB82WEST…" elsewhere are common nouns to it.
 */
function acronymMayNameSomething(words: string[], at: number, lower: string): boolean {
  return (
    ACRONYM_PLACES.has(words[at]!) ||
    words[at - 1] === 'the' ||
    ORGANIZATION_WORDS.has(words[at + 1] ?? '') ||
    /&|\sn\s/.test(lower) ||
    STREET_WORD.test(lower)
  );
}

/**
 * Whether the word is a term of its own to compromise, between spaces and punctuation: in
 * "SQLITE_DBCONFIG_ENABLE_VIEW" the upper-case words are parts of one term, which compromise once
 * called a place.
 */
function standsAlone(text: string, word: RegExpMatchArray): boolean {
  const before = text[word.index! - 1];
  const after = text[word.index! + word[0].length];
  return (before === undefined || /[\s("'‘“[]/u.test(before)) && (after === undefined || /[\s,.;:!?)"'’”\]]/u.test(after));
}

/**
 * Whether the sentence starts with a label ("Billing: card …"): compromise makes a first word
 * followed by a colon an expression, never a name, when the sentence has three terms or more and
 * the next is not a number, an email or a phone (its tagger's 01-colons.js).
 */
function startsWithLabel(sentence: string, first: RegExpMatchArray): boolean {
  // compromise cuts a hyphenated word in terms ("Follow-up"), so the colon would follow another.
  if (!/^\p{L}+$/u.test(first[0]) || sentence.trim().split(/\s+/).length < 3) return false;
  const afterColon = /^:\s+(\S+)/u.exec(sentence.slice(first.index! + first[0].length));
  const next = afterColon && /^(\p{Ll}+)[,.;:!?]*$/u.exec(afterColon[1]!)?.[1];
  if (!next) return false;
  const entry = lexicon[next];
  return entry === undefined || !(Array.isArray(entry) ? entry : [entry]).some((tag) => tag === 'Value' || (tagSet[tag]?.parents ?? []).includes('Value'));
}

/** What compromise reads as one term that is never a name: an email address or a web address. */
const ADDRESS_TERM = /[^\s@]+@[^\s@]+\.[^\s@]+|\b(?:https?:\/\/|www\.)\S+/giu;

/**
 * Whether NER can find nothing in the sentence: no capitalized word but its first and upper-case
 * words compromise reads as common nouns ("SSN", "ECG": acronymMayNameSomething), that first
 * word one compromise's lexicon knows as a common word ("The", "Call"), and no word the lexicon
 * knows as part of a name, a place, an organization or a title whatever its case ("paris",
 * "dr", "fbi").
 */
export function plainSentence(sentence: string): boolean {
  // Blanked out in place, so that offsets in `text` are offsets in `sentence`.
  const text = sentence.replace(ADDRESS_TERM, (address) => ' '.repeat(address.length));
  const lower = text.toLowerCase();
  const matches = [...text.matchAll(WORD)];
  const words = matches.map((match) => lower.slice(match.index, match.index + match[0].length));
  for (let at = 0; at < matches.length; at++) {
    const word = matches[at]![0];
    if (at === 0) {
      // A first word the lexicon does not know may be a surname ("Bartoletti called"), unless it is a label.
      if ((lexicon[words[0]!] === undefined && !startsWithLabel(sentence, matches[0]!)) || CAPITAL.test(word.slice(1))) return false;
    } else if (CAPITAL.test(word)) {
      if (LOWER_CASE.test(word) || !standsAlone(text, matches[at]!) || acronymMayNameSomething(words, at, lower)) return false;
    }
    if (mayNameSomething(words[at]!, lower, matches[at]!.index)) return false;
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
