/**
 * Runs `work` with a controller whose signal aborts after `ms`, and clears that timer as soon as
 * the work settles: no timer, and no signal held by one, outlives the work. Not
 * AbortSignal.timeout (joined by AbortSignal.any where more must abort): its timer holds the
 * signal until the deadline however soon the work ends. Measured on the embedded store's thread
 * under load, a fifth to a third less was promoted to V8's old generation this way (BENCHMARKS.md,
 * seventh session). The controller is the caller's too, to abort early; the timer does not keep
 * the process alive.
 */
export async function withDeadline<T>(ms: number, work: (controller: AbortController) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ms);
  timer.unref();
  try {
    return await work(controller);
  } finally {
    clearTimeout(timer);
  }
}
