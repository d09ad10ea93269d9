import { ErrorCode, GatewayError } from '../errors/gateway-error.js';

/** One entry of an upstream answer's `errors`, as JSON: nothing in it is trusted. */
export interface UpstreamErrorJson {
  message?: unknown;
  path?: unknown;
  extensions?: unknown;
}

const CODE_LIKE = /^[A-Z][A-Z0-9_]{0,63}$/;

/**
 * An error the upstream answered with, as the gateway's UPSTREAM_ERROR. The upstream's message
 * may quote personal data, so it is replaced unless the operator chose to pass it
 * (UPSTREAM_ERROR_MESSAGES=pass); its code, when it looks like one, travels as `upstreamCode`.
 * The path is kept so the error lands on the field it belongs to.
 */
export function toGatewayError(error: UpstreamErrorJson, messages: 'hide' | 'pass'): GatewayError {
  const code = (error.extensions as { code?: unknown } | null | undefined)?.code;
  const path = Array.isArray(error.path) && error.path.every((key) => typeof key === 'string' || typeof key === 'number') ? (error.path as (string | number)[]) : undefined;
  const upstreamCode = typeof code === 'string' && CODE_LIKE.test(code) ? code : undefined;
  const message = messages === 'pass' && typeof error.message === 'string' ? error.message : 'The upstream API returned an error';
  return new GatewayError(ErrorCode.UPSTREAM_ERROR, message, {
    ...(path ? { path } : {}),
    ...(upstreamCode ? { details: { upstreamCode } } : {}),
  });
}
