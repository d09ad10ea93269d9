import { describe, expect, it } from 'vitest';
import { loadLabeledCases } from '../../bench/detection-eval.js';
import { clinicCorpus } from '../../bench/detection-speed.js';
import { generateClinic } from '../../src/demo/clinic-data.js';
import { findEntities, nerRecognizer } from '../../src/detect/recognizers/ner.js';
import { plainSentence, sentencesWithNames } from '../../src/detect/recognizers/sentences-with-names.js';

describe('sentences NER does not read', () => {
  it.each([
    'The weather was fine and nothing else happened that day. ',
    'Contact: jane.doe@example.com.',
    'See https://example.com/Jane-Smith for the rest.',
    'She said it would be done by the end of the week.',
    // Acronyms compromise reads as common nouns, and a first word that is a label.
    'Billing: card 4242 4242 4242 4242, IBAN GB82WEST12345698765432, SSN 854-37-5578. ',
    'History of COPD and CHF, on ACE inhibitors.',
    'Bartoletti: called twice today.',
  ])('plain: %j', (sentence) => {
    expect(plainSentence(sentence)).toBe(true);
  });

  it.each([
    ['a capitalized word after the first', 'The form was signed by Elmore Bins.'],
    ['an acronym, which compromise may call an organization', 'The GPL requires it.'],
    ['a first word the lexicon does not know (a surname?)', 'Bartoletti called twice.'],
    ['a first word the lexicon knows as a name', 'Grant called twice.'],
    ['a lower-case place the lexicon knows', 'The trip to paris was fine.'],
    ['a lower-case title', 'The nurse then called dr smith.'],
    ['a name of several words in the lexicon', 'The order went to procter & gamble.'],
    ['a capital inside the first word', 'McKay called twice.'],
    ['a first word before a colon that is hyphenated, which compromise cuts in two terms', 'Follow-up: stable, no change.'],
    ['a first word before a colon and a number, not a label to compromise', 'Bartoletti: two calls today.'],
    ['a first word before a colon and an email, not a label to compromise', 'Bartoletti: jane@example.com wrote it.'],
  ])('read: %s', (_, sentence) => {
    expect(plainSentence(sentence)).toBe(false);
  });

  // Each is read, and compromise finds something in each: skipping it would lose a span.
  it.each([
    ['an acronym after "the"', 'Seen in the ICU overnight.'],
    ['an acronym before an org word', 'Sent to XYZ group today.'],
    ['an acronym before an abbreviation of a company', 'Results came from ACME inc last week.'],
    ['acronyms joined by "&"', 'Send IBAN & SSN together.'],
    ['an acronym in an address', 'Delivered to 12 ABC road today.'],
    ['an acronym compromise knows as a place', 'Moved back to NY last year.'],
    ['upper-case words inside one term', 'Disable SQLITE_DBCONFIG_ENABLE_VIEW as well.'],
  ])('read: %s', (_, sentence) => {
    expect(plainSentence(sentence)).toBe(false);
    expect(findEntities(sentence, (piece) => [[0, piece.length]])).not.toEqual([]);
  });

  it('gives the runs of sentences to read, cut where compromise cuts sentences', () => {
    const text = 'Dr. Mrs. Meredith O’Connell saw her. The weather was fine. It rained all day. Ask Elmore Bins. Then it stopped.';
    const runs = sentencesWithNames(text);
    expect(runs.map(([start, end]) => text.slice(start, end))).toEqual(['Dr. Mrs. Meredith O’Connell saw her. ', 'Ask Elmore Bins. ']);
  });

  it('maps what compromise finds back to its place in the text, past the sentences it did not read', () => {
    const text = 'Nothing to see here. The weather was fine. Please ask Elmore Bins to call Carmelo Bartoletti in Paris.\nIt rained. Ms. Ford Terry left.';
    const spans = nerRecognizer.find(text).map((span) => [span.kind, text.slice(span.start, span.end)]);
    expect(spans).toEqual(expect.arrayContaining([['person', 'Elmore Bins'], ['person', 'Carmelo Bartoletti'], ['location', 'Paris'], ['person', 'Ms. Ford Terry']]));
  });

  it('asks each of compromise’s views only when the document has its tags: an address is a place', () => {
    // compromise tags "12 Oak Avenue" Address and nothing in the sentence Place.
    const text = 'Send it to 12 Oak Avenue, please.';
    expect(nerRecognizer.find(text).map((span) => [span.kind, text.slice(span.start, span.end)])).toEqual([['location', '12 Oak Avenue']]);
  });

  it('finds what reading every sentence finds, on clinic notes and the labeled set', () => {
    const texts = [...clinicCorpus(generateClinic(), 40 * 1024), ...loadLabeledCases().map((labeled) => labeled.text)];
    const key = (span: { start: number; end: number; kind: string; score: number }) => `${span.start}:${span.end}:${span.kind}:${span.score}`;
    let found = 0;
    for (const text of texts) {
      const expected = findEntities(text, (piece) => [[0, piece.length]]).map(key).sort();
      expect(nerRecognizer.find(text).map(key).sort()).toEqual(expected);
      found += expected.length;
    }
    expect(found).toBeGreaterThan(texts.length / 2);
  });
});
