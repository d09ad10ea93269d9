import { parentPort } from 'node:worker_threads';
import { detectSpans, TEXT_RECOGNIZERS, type DetectLists } from './detect.js';

/** One detection thread of the DetectionPool: texts in, spans out. */
parentPort!.on('message', ({ id, text, lists }: { id: number; text: string; lists: DetectLists }) => {
  try {
    parentPort!.postMessage({ id, spans: detectSpans(text, TEXT_RECOGNIZERS, lists) });
  } catch (error) {
    // Only the class name travels: a message could quote the text.
    parentPort!.postMessage({ id, error: (error as Error)?.name ?? 'Error' });
  }
});
