import { parentPort } from 'node:worker_threads';
import { detectSpans, PATTERN_RECOGNIZERS, TEXT_RECOGNIZERS, type DetectLists } from './detect.js';
import type { RecognizerSet } from './detection-pool.js';

/** One detection thread of the DetectionPool: texts in, spans per text out. */
parentPort!.on('message', ({ id, texts, lists, set }: { id: number; texts: string[]; lists: DetectLists; set: RecognizerSet }) => {
  try {
    const recognizers = set === 'patterns' ? PATTERN_RECOGNIZERS : TEXT_RECOGNIZERS;
    parentPort!.postMessage({ id, spans: texts.map((text) => detectSpans(text, recognizers, lists)) });
  } catch (error) {
    // Only the class name travels: a message could quote the text.
    parentPort!.postMessage({ id, error: (error as Error)?.name ?? 'Error' });
  }
});
