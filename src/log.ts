import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * The process logger: JSON lines on stdout. Call sites log tenants, counts, kinds, durations
 * and error class names, never values, tokens' originals or query text.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino({ level, base: { service: 'pii-gateway' }, timestamp: pino.stdTimeFunctions.isoTime }, destination);
}
