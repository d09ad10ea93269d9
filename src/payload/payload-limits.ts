import { ErrorCode, GatewayError } from '../errors/gateway-error.js';

/** Limits on any JSON argument (payloads, mappings), checked before a resolver sees it. */
export interface JsonLimits {
  maxDepth: number;
  /** Values in all: every object, array, string, number, boolean and null counts one. */
  maxNodes: number;
  maxStringBytes: number;
}

/** The walkers' own guard against stack exhaustion; configured depths stay below it. */
export const HARD_MAX_DEPTH = 1000;

export const DEFAULT_JSON_LIMITS: JsonLimits = { maxDepth: 128, maxNodes: 100_000, maxStringBytes: 1024 * 1024 };

/**
 * The most text, in characters (what JavaScript strings and their lengths count), that restoring
 * originals may put into one answer (deanonymize, deanonymizeText):
 * a token of a 256 KiB original, repeated 3,000 times in a 100 KB request, made a 786 MB answer
 * that failed only when serialized, after seconds and most of a gigabyte of memory.
 */
export const MAX_RESTORED_CHARS = 64 * 1024 * 1024;

/** Counts what restoring adds to an answer and refuses it past MAX_RESTORED_CHARS. */
export class RestoredSize {
  private total = 0;

  add(length: number): void {
    this.total += length;
    if (this.total > MAX_RESTORED_CHARS) {
      throw new GatewayError(ErrorCode.PAYLOAD_TOO_LARGE, `the restored originals would exceed ${MAX_RESTORED_CHARS} characters in one answer; ask for fewer at a time`);
    }
  }
}

export function checkDepth(depth: number): void {
  if (depth > HARD_MAX_DEPTH) {
    throw new GatewayError(ErrorCode.PAYLOAD_TOO_LARGE, `payload nesting exceeds ${HARD_MAX_DEPTH} levels`);
  }
}

/** Walks a JSON value without recursion and refuses it past any limit, quoting none of it. */
export function checkJsonLimits(value: unknown, limits: JsonLimits): void {
  const stack: [unknown, number][] = [[value, 1]];
  let nodes = 0;
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (++nodes > limits.maxNodes) throw tooLarge(`a JSON value has more than ${limits.maxNodes} values`);
    if (depth > limits.maxDepth) throw tooLarge(`payload nesting exceeds ${limits.maxDepth} levels`);
    if (typeof current === 'string') {
      if (current.length > limits.maxStringBytes / 3 && Buffer.byteLength(current) > limits.maxStringBytes) {
        throw tooLarge(`a JSON string exceeds ${limits.maxStringBytes} bytes`);
      }
    } else if (Array.isArray(current)) {
      for (const item of current) stack.push([item, depth + 1]);
    } else if (typeof current === 'object' && current !== null) {
      for (const [key, item] of Object.entries(current)) {
        if (Buffer.byteLength(key) > limits.maxStringBytes) throw tooLarge(`a JSON key exceeds ${limits.maxStringBytes} bytes`);
        stack.push([item, depth + 1]);
      }
    }
  }
}

function tooLarge(message: string): GatewayError {
  return new GatewayError(ErrorCode.PAYLOAD_TOO_LARGE, message);
}
