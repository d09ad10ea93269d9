/** DynamoDB's own limits; dynalite enforces them too. */
export const MAX_BATCH_GET = 100;
export const MAX_BATCH_WRITE = 25;

/**
 * Batch calls of one event-loop turn's writes (or reads) in flight at once (STORE_CONCURRENCY);
 * the rest of that turn's batches are sent as these finish, each with its whole deadline.
 */
export const DEFAULT_STORE_CONCURRENCY = 16;

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/**
 * Runs `work` over `items` with at most `limit` in flight; rejects on the first failure, after
 * which no further item is started (a failing store is not sent the rest of the batch).
 */
export async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const lane = async () => {
    while (!failed && next < items.length) {
      try {
        await work(items[next++]!);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
