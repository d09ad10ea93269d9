import { detectSpans, PATTERN_RECOGNIZERS, TEXT_RECOGNIZERS } from '../src/detect/detect.js';
import type { Clinic } from '../src/demo/clinic-data.js';
import { customRecognizer } from '../src/detect/recognizers/custom-pattern.js';
import { hostCpu, hostShares } from './host-cpu.js';

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

/** One pass over the corpus: KB/s on this thread, and the share of the host's CPU stolen meanwhile (undefined off Linux). */
export interface DetectionPass {
  kbps: number;
  steal?: number;
}

/**
 * KB of text scanned per second on this thread, patterns alone and with NER, in `passes` passes
 * each: one pass moved by 10–40% between runs here with the host's load, so each pass reports
 * the CPU the hypervisor took from this VM while it ran. Each is measured after `warmUpMs` of
 * the same work unmeasured: with 50 texts of warm-up the first pass ran 20–35% slower than the
 * next while V8 was still compiling compromise's hot paths, which a gateway scanning text is
 * past within seconds of starting. Nothing in detection remembers a text, so going over the same
 * texts again costs what new ones would.
 */
export async function detectionSpeed(corpus: string[], passes = 3, warmUpMs = 2000): Promise<{ patterns: DetectionPass[]; withNer: DetectionPass[]; kb: number }> {
  const kb = corpus.reduce((n, text) => n + Buffer.byteLength(text), 0) / 1024;
  const rate = async (recognizers: typeof PATTERN_RECOGNIZERS) => {
    const warmUntil = performance.now() + warmUpMs;
    for (let i = 0; performance.now() < warmUntil; i++) detectSpans(corpus[i % corpus.length]!, recognizers);
    const results: DetectionPass[] = [];
    for (let pass = 0; pass < passes; pass++) {
      const host = await hostCpu();
      const started = performance.now();
      for (const text of corpus) detectSpans(text, recognizers);
      const kbps = kb / ((performance.now() - started) / 1000);
      const after = await hostCpu();
      results.push(host && after ? { kbps, steal: hostShares(host, after).steal } : { kbps });
    }
    return results;
  };
  return { patterns: await rate(PATTERN_RECOGNIZERS), withNer: await rate(TEXT_RECOGNIZERS), kb };
}

/** "155 KB/s (steal 1.2%), 171 KB/s (steal 0.4%)": the passes in order. */
export function formatPasses(passes: DetectionPass[]): string {
  return passes.map(({ kbps, steal }) => `${kbps.toFixed(0)} KB/s${steal === undefined ? '' : ` (steal ${(steal * 100).toFixed(1)}%)`}`).join(', ');
}

/** Patterns a user might bring: a ticket number, a member id (case-insensitive), an email-like run. */
const CUSTOM_SPECS = [
  { name: 'tickets', kind: 'ticket', pattern: 'TCK-[0-9]{6}' },
  { name: 'members', kind: 'member_id', pattern: 'm-[0-9]{5}', ignoreCase: true },
  { name: 'mail-ish', kind: 'mail', pattern: '[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,}' },
];

/**
 * KB/s of custom recognizers on RE2JS (linear time, what users' patterns run on) against the
 * same patterns as JavaScript RegExps (backtracking, what they must not run on): the price of
 * the guarantee, measured in the same run.
 */
export function customRecognizerSpeed(corpus: string[]): { re2KBps: number; regExpKBps: number } {
  const kb = corpus.reduce((n, text) => n + Buffer.byteLength(text), 0) / 1024;
  const re2 = CUSTOM_SPECS.map((spec) => customRecognizer(spec));
  const native = CUSTOM_SPECS.map((spec) => new RegExp(spec.pattern, spec.ignoreCase ? 'gi' : 'g'));
  const rate = (scan: (text: string) => number) => {
    for (const text of corpus.slice(0, 50)) scan(text);
    const started = performance.now();
    let found = 0;
    for (const text of corpus) found += scan(text);
    if (found < 0) throw new Error('unreachable'); // keeps the work observable
    return kb / ((performance.now() - started) / 1000);
  };
  return {
    re2KBps: rate((text) => re2.reduce((n, recognizer) => n + recognizer.find(text).length, 0)),
    regExpKBps: rate((text) => native.reduce((n, regex) => n + [...text.matchAll(regex)].length, 0)),
  };
}
