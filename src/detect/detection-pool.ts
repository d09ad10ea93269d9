import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../threads/start-worker.js';
import type { DetectLists } from './detect.js';
import type { Span } from './span.js';

/**
 * Texts above this size are scanned on a detection thread (DETECT_OFFLOAD_BYTES). Small, because
 * what stays holds the event loop: 4 KiB of prose took 50–110 ms of NER here, 64 KiB 1.1 s; and
 * the patterns alone on 4 KiB of digits and spaces (libphonenumber's worst case) about 80 ms.
 */
export const DEFAULT_OFFLOAD_BYTES = 4 * 1024;

/** Which recognizers a job runs: free text's (patterns, URLs, dates, NER) or payload scanning's (patterns). */
export type RecognizerSet = 'text' | 'patterns';

interface Job {
  id: number;
  texts: string[];
  lists: DetectLists;
  set: RecognizerSet;
  resolve(spans: Span[][]): void;
  reject(error: Error): void;
}

/**
 * Detection on worker threads, for texts large enough that scanning them on the event loop
 * would stall every other request (NER runs at about 100 KB/s a core, the patterns at about
 * 700 KB/s). Threads start on first use; each takes one job (a text, or a payload's strings) at
 * a time; the rest wait in order.
 */
export class DetectionPool {
  private readonly idle: Worker[] = [];
  private readonly all: Worker[] = [];
  private readonly queue: Job[] = [];
  private readonly running = new Map<Worker, Job>();
  private nextId = 0;

  constructor(
    readonly size: number = Math.max(1, availableParallelism() - 1),
    /** Told of every job, for the metrics. */
    private readonly onJob: (set: RecognizerSet) => void = () => {},
  ) {}

  /** Spans per text, in order: many texts (a payload's strings) as one job of one thread. */
  detectAll(texts: string[], lists: DetectLists, set: RecognizerSet): Promise<Span[][]> {
    this.onJob(set);
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, texts, lists, set, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    for (const job of this.queue.splice(0)) job.reject(new Error('the detection pool is closed'));
    await Promise.all(this.all.map((worker) => worker.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const worker = this.idle.pop() ?? (this.all.length < this.size ? this.spawn() : undefined);
      if (!worker) return;
      const job = this.queue.shift()!;
      this.running.set(worker, job);
      worker.postMessage({ id: job.id, texts: job.texts, lists: job.lists, set: job.set });
    }
  }

  private spawn(): Worker {
    const worker = startWorker(import.meta.url, 'detection-worker');
    worker.unref();
    this.all.push(worker);
    worker.on('message', (message: { id: number; spans?: Span[][]; error?: string }) => {
      const job = this.running.get(worker);
      this.running.delete(worker);
      this.idle.push(worker);
      if (job) {
        if (message.spans) job.resolve(message.spans);
        else job.reject(new Error(`detection failed in its thread (${message.error})`));
      }
      this.dispatch();
    });
    worker.on('error', () => {
      // A crashed thread fails its job and is replaced on the next dispatch.
      const job = this.running.get(worker);
      this.running.delete(worker);
      this.all.splice(this.all.indexOf(worker), 1);
      job?.reject(new Error('the detection thread failed'));
      this.dispatch();
    });
    return worker;
  }
}
