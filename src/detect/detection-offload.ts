import DataLoader from 'dataloader';
import type { AuditRecord } from '../audit.js';
import { detectSpans, TEXT_RECOGNIZERS, type DetectLists } from './detect.js';
import type { DetectionPool, RecognizerSet } from './detection-pool.js';
import type { Span } from './span.js';

/** Where detection may go off the event loop: the pool, and the size of work that goes there (DETECT_OFFLOAD_BYTES). */
export interface Detection {
  pool: DetectionPool;
  offloadBytes: number;
}

/**
 * The texts' spans from a detection thread when together they pass the offload size, keyed by
 * text; undefined when they are few enough to scan in place. The time counts as detection time.
 */
export async function offThreadIfLarge(texts: readonly string[], lists: DetectLists, set: RecognizerSet, detection: Detection, audit: AuditRecord): Promise<Map<string, Span[]> | undefined> {
  let bytes = 0;
  for (const text of texts) bytes += Buffer.byteLength(text);
  if (bytes <= detection.offloadBytes) return undefined;
  const started = performance.now();
  const spans = await detection.pool.detectAll([...texts], lists, set);
  audit.detectionMs += performance.now() - started;
  return new Map(texts.map((text, i) => [text, spans[i]!]));
}

/**
 * The texts' spans with the free-text recognizers (NER included): on a detection thread when
 * together they pass the offload size, in place otherwise. Either way the time counts as
 * detection time.
 */
export async function textSpansOf(texts: readonly string[], lists: DetectLists, detection: Detection, audit: AuditRecord): Promise<Span[][]> {
  const found = await offThreadIfLarge(texts, lists, 'text', detection, audit);
  if (found) return texts.map((text) => found.get(text)!);
  return audit.timeDetection(() => texts.map((text) => detectSpans(text, TEXT_RECOGNIZERS, lists)));
}

/**
 * One request's free-text spans for @pii(strategy: TEXT) fields: the texts asked for in the same
 * tick (every row of a list) form one batch for textSpansOf. So a 1,000-row page of notes does
 * not stall the event loop for the seconds NER takes, and a single short note costs no thread hop.
 */
export function textSpansLoader(lists: DetectLists, detection: Detection, audit: AuditRecord): (text: string) => Promise<Span[]> {
  // Made on first use: most requests have no TEXT field.
  let loader: DataLoader<string, Span[]> | undefined;
  return (text) => {
    loader ??= new DataLoader((texts) => textSpansOf(texts, lists, detection, audit));
    return loader.load(text);
  };
}
