import { createRequire } from 'node:module';
import { describe, expect, it, vi } from 'vitest';
import nlp, { changesWhatNerReads, keepingNetBuilder, rememberingParseMatch } from '../../src/detect/recognizers/compromise-model.js';

describe('rememberingParseMatch', () => {
  const parser = () => vi.fn((input: unknown) => [{ parsed: input }]);

  it('parses a match string once and gives the same parsed form after', () => {
    const parse = parser();
    const remembering = rememberingParseMatch(parse);
    const first = remembering('#Honorific+? #Person+');
    expect(remembering('#Honorific+? #Person+')).toBe(first);
    expect(remembering('#Organization+')).not.toBe(first);
    expect(parse).toHaveBeenCalledTimes(2);
  });

  it('parses again when options are given (they change the parse) or the input is not a string', () => {
    const parse = parser();
    const remembering = rememberingParseMatch(parse);
    remembering('#Person', { fuzzy: 0.8 });
    remembering('#Person', { fuzzy: 0.8 });
    remembering(42);
    remembering(42);
    expect(parse).toHaveBeenCalledTimes(4);
  });

  it('remembers no more than its limit', () => {
    const parse = parser();
    const remembering = rememberingParseMatch(parse, 2);
    for (const input of ['a', 'b', 'c', 'a', 'b', 'c']) remembering(input);
    expect(parse).toHaveBeenCalledTimes(4); // "c" each time
  });

  it('is the parser compromise matches with, and matches find the same', () => {
    const world = (nlp as unknown as { world(): { methods: { one: { parseMatch(input: string, options: undefined, world: unknown): unknown } } } }).world();
    const parse = (input: string) => world.methods.one.parseMatch(input, undefined, world);
    expect(parse('#Honorific+? #Person+')).toBe(parse('#Honorific+? #Person+'));
    const doc = nlp('Dr. Jane Smith met John Doe of Acme Corp in Paris, France.');
    const people = doc.match('#Honorific+? #Person+').out('array');
    expect(people).toEqual(['Dr. Jane Smith', 'John Doe']);
    expect(doc.match('#Honorific+? #Person+').out('array')).toEqual(people);
  });
});

describe('keepingNetBuilder', () => {
  // compromise's CommonJS build: a world of its own, which the gateway's plugin never changed.
  type Rule = { match: string; tag?: string; unTag?: string };
  type Net = { hooks: Record<string, Rule[]>; always: Rule[] };
  const untouched = (createRequire(import.meta.url)('compromise') as { world(): { methods: { one: { buildNet(rules: Rule[], world: unknown): Net } }; model: { two: { matches: Rule[] } } } }).world();
  // Copies: building a net compiles its rules in place.
  const rules = () => untouched.model.two.matches.map((rule) => ({ ...rule }));
  const build = (matches: Rule[]) => untouched.methods.one.buildNet(matches, untouched);

  it("keeps the post-tagger's rules NER reads, in compromise's own net order", () => {
    const postTaggerRules = rules();
    const full = build(rules());
    const kept = keepingNetBuilder(build, () => postTaggerRules, changesWhatNerReads)(postTaggerRules, untouched);
    expect(Object.keys(kept.hooks)).toEqual(Object.keys(full.hooks));
    for (const key of Object.keys(full.hooks)) expect(kept.hooks[key]!.map((rule) => rule.match)).toEqual(full.hooks[key]!.filter(changesWhatNerReads).map((rule) => rule.match));
    expect(kept.always.map((rule) => rule.match)).toEqual(full.always.filter(changesWhatNerReads).map((rule) => rule.match));
    const count = Object.values(kept.hooks).reduce((n, list) => n + list.length, 0);
    expect(count).toBeGreaterThan(0);
    expect(count).toBeLessThan(Object.values(full.hooks).reduce((n, list) => n + list.length, 0));
  });

  it('leaves any other net whole', () => {
    const other = rules().slice(0, 40);
    const net = keepingNetBuilder(build, () => rules(), () => false)(other, untouched);
    expect(Object.values(net.hooks).flat().length + net.always.length).toBeGreaterThan(0);
  });
});
