import { GraphQLError } from 'graphql';

/**
 * The documented `extensions.code` values. Messages of errors with these codes are written by
 * the gateway and never quote input: anything else reaching a client is replaced by a generic
 * INTERNAL_SERVER_ERROR (see format-error.ts).
 */
export const ErrorCode = {
  BAD_REQUEST: 'BAD_REQUEST',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** A @pii value its strategy cannot transform (not a date for YEAR, too few digits for FF1): withheld. */
  PII_TRANSFORM_FAILED: 'PII_TRANSFORM_FAILED',
  STORE_UNAVAILABLE: 'STORE_UNAVAILABLE',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  UPSTREAM_UNAVAILABLE: 'UPSTREAM_UNAVAILABLE',
  UPSTREAM_ERROR: 'UPSTREAM_ERROR',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  /** The gateway received the request while shutting down (HTTP 503): retry it. */
  SHUTTING_DOWN: 'SHUTTING_DOWN',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const HTTP_STATUS: Partial<Record<ErrorCode, number>> = {
  PAYLOAD_TOO_LARGE: 413,
  STORE_UNAVAILABLE: 503,
  SHUTTING_DOWN: 503,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
};

/**
 * Marks the extensions of errors the gateway wrote. A symbol, so nothing that arrives as JSON
 * (an upstream's error, say) can carry it, while graphql-tools' delegation, which re-creates
 * errors from their message and extensions, keeps it.
 */
const GATEWAY_AUTHORED = Symbol('pii-gateway/authored');

/** True for errors (or re-created copies of errors) that the gateway wrote itself. */
export function isGatewayAuthored(error: unknown): error is GraphQLError {
  return error instanceof GraphQLError && error.extensions?.[GATEWAY_AUTHORED as unknown as string] === true;
}

/** An error whose message the gateway wrote itself and is safe to show. */
export class GatewayError extends GraphQLError {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options: {
      /** Where in the result the error belongs, for errors made outside a resolver. */
      path?: readonly (string | number)[];
      /** More extensions for the client; values the gateway wrote, never input. */
      details?: Record<string, string>;
    } = {},
  ) {
    const status = HTTP_STATUS[code];
    super(message, {
      path: options.path,
      extensions: { code, ...options.details, ...(status ? { http: { status } } : {}), [GATEWAY_AUTHORED]: true },
    });
  }
}

/** A value withheld because its strategy could not transform it; the reason never quotes it. */
export function transformFailed(strategy: string, reason: string, path?: readonly (string | number)[]): GatewayError {
  return new GatewayError(ErrorCode.PII_TRANSFORM_FAILED, `The value cannot be transformed by ${strategy} (${reason}); it was withheld`, { path });
}

export function badUserInput(message: string): GatewayError {
  return new GatewayError(ErrorCode.BAD_USER_INPUT, message);
}

const STORE_UNAVAILABLE_MESSAGES = {
  write: 'The token store is unavailable; no tokens were returned. Retry later.',
  read: 'The token store is unavailable; tokens could not be resolved. Retry later.',
  // Some batches may have been deleted: the call is safe to repeat, and must be.
  erasure: 'The token store is unavailable; the erasure may be incomplete. Retry the same call later.',
  shredding: 'The token store is unavailable; the tenant may not be shredded. Retry the same call later.',
};

export function storeUnavailable(during: keyof typeof STORE_UNAVAILABLE_MESSAGES = 'write'): GatewayError {
  return new GatewayError(ErrorCode.STORE_UNAVAILABLE, STORE_UNAVAILABLE_MESSAGES[during]);
}
