import { setTimeout as sleep } from 'node:timers/promises';

const RETRY_MS = 1000;

/**
 * Startup's wait for a service started beside the gateway (the upstream, DynamoDB Local), which
 * comes up in its own time: `attempt` is run again every second while it fails as `unreachable`
 * says (nothing answered), for up to `waitMs`, with one `onWaiting` call at the first such
 * failure. Any other failure, or the last one when the time is spent, is thrown as it is; the
 * caller words it.
 */
export async function untilAnswered<T>(
  attempt: () => Promise<T>,
  options: { waitMs: number; unreachable: (error: unknown) => boolean; onWaiting: (error: unknown) => void },
): Promise<T> {
  const deadline = Date.now() + options.waitMs;
  for (let tries = 0; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (!options.unreachable(error) || Date.now() + RETRY_MS > deadline) throw error;
      if (tries === 0) options.onWaiting(error);
      await sleep(RETRY_MS);
    }
  }
}
