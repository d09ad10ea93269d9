import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * The process logger: JSON lines on stdout. Call sites log tenants, counts, kinds, durations
 * and error class names, never values, tokens' originals or query text.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino({ level, base: { service: 'pii-gateway' }, timestamp: pino.stdTimeFunctions.isoTime }, destination);
}

/**
 * Stdout written synchronously, for commands that end with process.exit: pino's default stdout
 * is buffered and flushed at exit, and a flush into a full pipe can lose the last lines (seen:
 * `npm run rotate-keys` under a busy test run ended without its "done" line).
 */
export function syncStdout(): DestinationStream {
  return pino.destination({ dest: 1, sync: true });
}
