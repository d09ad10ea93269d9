import { describe, expect, it, vi } from 'vitest';
import nlp, { rememberingParseMatch } from '../../src/detect/recognizers/compromise-model.js';

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
