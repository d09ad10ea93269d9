import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/log.js';

export interface LogCapture {
  logger: Logger;
  lines: string[];
  text(): string;
}

/** A real logger whose JSON lines are kept in memory, so tests can read every line written. */
export function captureLogs(): LogCapture {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  return { logger: createLogger('debug', sink), lines, text: () => lines.join('\n') };
}
