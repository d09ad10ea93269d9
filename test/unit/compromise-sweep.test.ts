import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import nlp, { changesWhatNerReads } from '../../src/detect/recognizers/compromise-model.js';
import { indexedBulkMatch } from '../../src/detect/recognizers/compromise-sweep.js';
import { generateClinic } from '../../src/demo/clinic-data.js';

// compromise's CommonJS build: a world of its own, which the gateway's plugin never changed.
const untouched = createRequire(import.meta.url)('compromise') as typeof nlp;
type World = { methods: { one: { bulkMatch: Function; buildNet: Function } }; model: { two: { matches: unknown[] } } };
const original = (untouched as unknown as { world(): World }).world();
const gateway = (nlp as unknown as { world(): World }).world();

describe('the indexed sweep', () => {
  const clinic = generateClinic();
  const texts = [
    ...clinic.patients.slice(0, 60).map((patient) => `${patient.notes} Call ${patient.phone} at ${patient.address.street}, ${patient.address.city}.`),
    'Ms. Ford Terry will take over the account next week.',
    'I saw Dr. John Smith-Jones in May, and he was walking the dog in St. Louis with Apple Inc.',
    "She didn't say whether the 3rd of March or 5 pounds was right; we'll see.",
  ];

  it('is the gateway model’s bulk matcher', () => {
    expect(gateway.methods.one.bulkMatch).not.toBe(original.methods.one.bulkMatch);
  });

  it.each([
    ['every post-tagger rule', () => original.model.two.matches],
    ['the rules NER keeps', () => original.model.two.matches.filter(changesWhatNerReads as (rule: unknown) => boolean)],
  ])('finds what compromise’s own finds, in the same order, with %s', (_, rules) => {
    // A copy: building a net compiles its rules in place.
    const net = original.methods.one.buildNet(rules().map((rule) => ({ ...(rule as object) })), original);
    const ours = indexedBulkMatch();
    let found = 0;
    for (const text of texts) {
      const doc = nlp(text) as unknown as { docs: unknown[][]; methods: unknown };
      const expected = original.methods.one.bulkMatch(doc.docs, net, doc.methods, {});
      const actual = ours(doc.docs, net, doc.methods as never, {});
      expect(actual.map(({ match, pointer }) => [match, pointer])).toEqual(expected.map(({ match, pointer }: { match: string; pointer: number[] }) => [match, pointer]));
      expect(original.methods.one.bulkMatch(doc.docs, net, doc.methods, { matchOne: true }).map((r: { match: string }) => r.match)).toEqual(
        ours(doc.docs, net, doc.methods as never, { matchOne: true }).map((r) => r.match),
      );
      found += actual.length;
    }
    expect(found).toBeGreaterThan(texts.length);
  });
});
