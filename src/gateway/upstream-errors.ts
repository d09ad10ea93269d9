import type { GraphQLError } from 'graphql';
import { ErrorCode, GatewayError } from '../errors/gateway-error.js';

/** The HTTP executor's code for a request that failed or timed out before an answer. */
const TRANSPORT_FAILURE = 'SUBREQUEST_HTTP_ERROR';
const CODE_LIKE = /^[A-Z][A-Z0-9_]{0,63}$/;

/**
 * Upstream errors as the gateway's own: UPSTREAM_UNAVAILABLE when the upstream could not be
 * reached or did not answer in time, UPSTREAM_ERROR for anything it answered with. The upstream's
 * message may quote personal data, so it is replaced unless the operator chose to pass it
 * (UPSTREAM_ERROR_MESSAGES=pass); its code, when it looks like one, travels as `upstreamCode`.
 * The path is kept so the error lands on the field it belongs to.
 */
export function toGatewayError(error: GraphQLError, messages: 'hide' | 'pass', timeoutMs: number): GatewayError {
  const code = error.extensions?.code;
  const path = error.path;
  if (code === TRANSPORT_FAILURE) {
    const timedOut = /timeout|aborted/i.test(error.message);
    return new GatewayError(
      ErrorCode.UPSTREAM_UNAVAILABLE,
      timedOut ? `The upstream API did not answer within ${timeoutMs} ms` : 'The upstream API could not be reached',
      { ...(path ? { path } : {}) },
    );
  }
  const upstreamCode = typeof code === 'string' && CODE_LIKE.test(code) ? code : undefined;
  return new GatewayError(ErrorCode.UPSTREAM_ERROR, messages === 'pass' ? error.message : 'The upstream API returned an error', {
    ...(path ? { path } : {}),
    ...(upstreamCode ? { details: { upstreamCode } } : {}),
  });
}
