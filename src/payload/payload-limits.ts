import { ErrorCode, GatewayError } from '../errors/gateway-error.js';

/** Nesting deeper than this is refused before any recursion can exhaust the stack. */
export const MAX_PAYLOAD_DEPTH = 128;

export function checkDepth(depth: number): void {
  if (depth > MAX_PAYLOAD_DEPTH) {
    throw new GatewayError(ErrorCode.PAYLOAD_TOO_LARGE, `payload nesting exceeds ${MAX_PAYLOAD_DEPTH} levels`);
  }
}
