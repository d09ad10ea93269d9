/**
 * `npm run eval`: scores the free-text detectors (patterns + NER) on the labeled set in
 * test/fixtures/detection/labeled.json (bench/make-detection-set.ts writes it). A detection
 * counts when kind and exact text match a label; per kind: precision, recall, and what went
 * wrong. The look-alike cases hold no personal data, so anything found there is a false positive.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { detectSpans, TEXT_RECOGNIZERS } from '../src/detect/detect.js';

export interface LabeledCase {
  text: string;
  expected: { kind: string; value: string }[];
  group: string;
}

export interface KindScore {
  kind: string;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
}

export function loadLabeledCases(): LabeledCase[] {
  return JSON.parse(readFileSync(new URL('../test/fixtures/detection/labeled.json', import.meta.url), 'utf8')) as LabeledCase[];
}

export function evaluate(cases: readonly LabeledCase[]): { kinds: KindScore[]; lookAlikeDetections: number } {
  const counts = new Map<string, { tp: number; fp: number; fn: number }>();
  const at = (kind: string) => counts.get(kind) ?? (counts.set(kind, { tp: 0, fp: 0, fn: 0 }), counts.get(kind)!);
  let lookAlikeDetections = 0;
  for (const item of cases) {
    const found = detectSpans(item.text, TEXT_RECOGNIZERS).map((span) => ({ kind: span.kind, value: item.text.slice(span.start, span.end) }));
    if (item.group.startsWith('look-alike')) lookAlikeDetections += found.filter((f) => !['person', 'organization', 'location'].includes(f.kind)).length;
    const open = [...item.expected];
    for (const detection of found) {
      const match = open.findIndex((e) => e.kind === detection.kind && e.value === detection.value);
      if (match >= 0) {
        at(detection.kind).tp++;
        open.splice(match, 1);
      } else {
        at(detection.kind).fp++;
      }
    }
    for (const missed of open) at(missed.kind).fn++;
  }
  const kinds = [...counts]
    .map(([kind, { tp, fp, fn }]) => ({
      kind,
      truePositives: tp,
      falsePositives: fp,
      falseNegatives: fn,
      precision: tp + fp === 0 ? 1 : tp / (tp + fp),
      recall: tp + fn === 0 ? 1 : tp / (tp + fn),
    }))
    .sort((a, b) => a.kind.localeCompare(b.kind));
  return { kinds, lookAlikeDetections };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const cases = loadLabeledCases();
  const { kinds, lookAlikeDetections } = evaluate(cases);
  console.log(`\n## npm run eval (${cases.length} labeled cases, test/fixtures/detection/labeled.json)\n`);
  console.log('| kind | true positives | false positives | false negatives | precision | recall |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const k of kinds) console.log(`| ${k.kind} | ${k.truePositives} | ${k.falsePositives} | ${k.falseNegatives} | ${k.precision.toFixed(3)} | ${k.recall.toFixed(3)} |`);
  console.log(`\npattern detections in look-alike cases (Luhn-invalid cards, wrong IBAN checks, never-issued SSNs, order numbers): ${lookAlikeDetections}`);
}
