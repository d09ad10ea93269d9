import nlp from 'compromise';
import { indexedBulkMatch } from './compromise-sweep.js';

/**
 * The tags whose correction rules can change what NER finds: those the people, places and
 * organizations views and the name-shape check read, and the units and abbreviations that keep
 * a capitalized word from being a place ("4 GB", "39145 St Mary's Close"). The noun, number and
 * date corrections kept until the eleventh session changed no span on six corpora once the
 * rules kept their places in compromise's own net (BENCHMARKS.md).
 */
const KEPT_RULE_TAGS = /Person|FirstName|LastName|Honorific|Place|City|Country|Region|Organization|SportsTeam|ProperNoun|Acronym|Address|School|Company|Possessive|Unit|Abbreviation/i;

/** Whether a post-tagger rule sets or removes a tag NER reads. */
export function changesWhatNerReads(rule: { tag?: string; unTag?: string }): boolean {
  return KEPT_RULE_TAGS.test(`${rule.tag ?? ''} ${rule.unTag ?? ''}`);
}

type ParseMatch = (input: unknown, options?: unknown, world?: unknown) => unknown[];

interface Rule {
  match: string;
  tag?: string;
  unTag?: string;
}

/** compromise's rule net: rules by the words and tags they need, in the order compromise tries them. */
interface RuleNet {
  hooks: Record<string, Rule[]>;
  always: Rule[];
}

type BuildNet = (matches: Rule[], world: unknown) => RuleNet;

interface CompromiseWorld {
  hooks: string[];
  model: { two: { matches: Rule[] } };
  methods: { one: { bulkMatch: unknown; parseMatch: ParseMatch; buildNet: BuildNet } };
}

/**
 * compromise's net builder, which for the post-tagger's rules leaves in the net only those that
 * change what NER reads. The net is built from all of them first: the order in which compromise
 * tries a sentence's rules follows the net's keys, which the left-out rules help place, and in
 * which order two rules tag a word can decide the word ("Michael Watson & Daniel …" stayed a
 * person only with compromise's own order).
 */
export function keepingNetBuilder(build: BuildNet, postTaggerRules: () => Rule[], keep: (rule: Rule) => boolean): BuildNet {
  return (matches, world) => {
    const net = build(matches, world);
    if (matches !== postTaggerRules()) return net;
    for (const key of Object.keys(net.hooks)) net.hooks[key] = net.hooks[key]!.filter(keep);
    net.always = net.always.filter(keep);
    return net;
  };
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
 * corrections nor chunks. Only the rules that set or remove one of KEPT_RULE_TAGS stay in the
 * post-tagger's net (95 of 570, keepingNetBuilder) and the chunker is left out; the rules are
 * matched by compromise-sweep.ts's indexed matcher, and the views' match strings are parsed once
 * (rememberingParseMatch). Checked on six corpora (BENCHMARKS.md): the spans of compromise with
 * all its rules but in a few texts, in which it called other common words names. The model is
 * compromise's own process-wide one, changed once, before the first parse (the post-tagger
 * compiles its rules then); nothing else here uses compromise.
 */
nlp.plugin({
  mutate(world: unknown) {
    const { hooks, model, methods } = world as CompromiseWorld;
    methods.one.buildNet = keepingNetBuilder(methods.one.buildNet, () => model.two.matches, changesWhatNerReads);
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
