import { detectSpans, PATTERN_RECOGNIZERS, TEXT_RECOGNIZERS } from '../src/detect/detect.js';
import type { Clinic } from '../src/demo/clinic-data.js';

/** A mixed corpus from the demo clinic: notes with names, emails, phones, plus card/IBAN/SSN lines. */
export function clinicCorpus(clinic: Clinic, bytes: number): string[] {
  const paragraphs: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const p = clinic.patients[i % clinic.patients.length]!;
    const text = `${p.notes} Call ${p.phone} before the visit at ${p.address.street}, ${p.address.city}. Billing: card 4242 4242 4242 4242, IBAN GB82WEST12345698765432, SSN ${p.ssn}. The weather was fine and nothing else happened that day.`;
    paragraphs.push(text);
    size += Buffer.byteLength(text);
  }
  return paragraphs;
}

/** KB of text scanned per second on this thread, patterns alone and with NER. */
export function detectionSpeed(corpus: string[]): { patternsKBps: number; withNerKBps: number; kb: number } {
  const kb = corpus.reduce((n, text) => n + Buffer.byteLength(text), 0) / 1024;
  const rate = (recognizers: typeof PATTERN_RECOGNIZERS) => {
    for (const text of corpus.slice(0, 50)) detectSpans(text, recognizers); // warm up
    const started = performance.now();
    for (const text of corpus) detectSpans(text, recognizers);
    return kb / ((performance.now() - started) / 1000);
  };
  return { patternsKBps: rate(PATTERN_RECOGNIZERS), withNerKBps: rate(TEXT_RECOGNIZERS), kb };
}
