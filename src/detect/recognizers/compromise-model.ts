import nlp from 'compromise';
import { indexedBulkMatch } from './compromise-sweep.js';

/**
 * The tags whose correction rules can change what NER finds: those the people, places and
 * organizations views and the name-shape check read, and those that decide whether a
 * capitalized word is a name at all (nouns, numbers and units, dates, abbreviations).
 */
const KEPT_RULE_TAGS =
  /Person|FirstName|LastName|Honorific|Place|City|Country|Region|Organization|SportsTeam|ProperNoun|Acronym|Address|School|Company|Noun|Singular|Plural|Possessive|Unit|Value|Date|Month|WeekDay|Abbreviation/i;

/** Whether a post-tagger rule sets or removes a tag NER reads. */
export function changesWhatNerReads(rule: { tag?: string; unTag?: string }): boolean {
  return KEPT_RULE_TAGS.test(`${rule.tag ?? ''} ${rule.unTag ?? ''}`);
}

type ParseMatch = (input: unknown, options?: unknown, world?: unknown) => unknown[];

interface CompromiseWorld {
  hooks: string[];
  model: { two: { matches: { tag?: string; unTag?: string }[] } };
  methods: { one: { bulkMatch: unknown; parseMatch: ParseMatch } };
}

/**
 * compromise's match-syntax parser, remembering what it gave for each string. Its views (people(),
 * places(), organizations()) pass the same few match strings on every call and had them parsed
 * again each time; the matcher only reads the parsed form. Bounded, in case a caller ever builds
 * match strings from text.
 */
export function rememberingParseMatch(parse: ParseMatch, limit = 1000): ParseMatch {
  const parsed = new Map<string, unknown[]>();
  return (input, options, world) => {
    if (typeof input !== 'string' || options !== undefined) return parse(input, options, world);
    let found = parsed.get(input);
    if (found === undefined) {
      found = parse(input, options, world);
      if (parsed.size < limit) parsed.set(input, found);
    }
    return found;
  };
}

/**
 * compromise as NER uses it: its post-tagger, half of a parse, runs about 570 correction rules on
 * every sentence, and its chunker groups nouns and verbs; NER reads neither verb nor adjective
 * corrections nor chunks. Only the rules that set or remove one of KEPT_RULE_TAGS are kept (251)
 * and the chunker is left out; the rules are matched by compromise-sweep.ts's indexed matcher,
 * and the views' match strings are parsed once (rememberingParseMatch).
 * Checked on 5,526 texts (the bench's 1 MB clinic corpus, the labeled detection set, 236 KB of
 * English technical prose): the same spans, found in about two thirds of the time
 * (BENCHMARKS.md). The model is compromise's own process-wide one, changed once, before the
 * first parse (the post-tagger compiles its rules then); nothing else here uses compromise.
 */
nlp.plugin({
  mutate(world: unknown) {
    const { hooks, model, methods } = world as CompromiseWorld;
    model.two.matches = model.two.matches.filter(changesWhatNerReads);
    const chunker = hooks.indexOf('chunks');
    if (chunker >= 0) hooks.splice(chunker, 1);
    methods.one.bulkMatch = indexedBulkMatch();
    methods.one.parseMatch = rememberingParseMatch(methods.one.parseMatch);
  },
} as never);

/** compromise's model and methods as NER's own helpers read them (name-shape.ts, sentences-with-names.ts). */
export interface CompromiseWorldView {
  model: {
    one: { lexicon: Record<string, string | string[]>; tagSet: Record<string, { parents?: string[] }> };
    two: { orgWords: Record<string, boolean> };
  };
  methods: { one: { tokenize: { splitSentences(text: string, world: unknown): string[] } } };
}

export const compromiseWorld = (nlp as unknown as { world(): CompromiseWorldView }).world();

export default nlp;
