import type { JWTPayload } from 'jose';
import type { AuthClaims } from '../config.js';
import { ErrorCode, GatewayError } from '../errors/gateway-error.js';
import { TENANT_NAME, type Identity } from './identity.js';

/** Maps a verified token's claims to an identity; the claim names are configurable. */
export function identityFromClaims(payload: JWTPayload, claims: AuthClaims): Identity {
  const tenant = payload[claims.tenant];
  if (typeof tenant !== 'string' || !TENANT_NAME.test(tenant)) {
    throw new GatewayError(ErrorCode.UNAUTHENTICATED, `The token has no valid "${claims.tenant}" claim`);
  }
  const subject = payload[claims.subject];
  const scope = payload[claims.scope];
  const scopes = typeof scope === 'string' ? scope.split(/\s+/) : Array.isArray(scope) ? scope.filter((s): s is string => typeof s === 'string') : [];
  return {
    tenant,
    subject: typeof subject === 'string' ? subject : 'unknown',
    scopes: new Set(scopes.filter(Boolean).filter((s) => s !== '*')),
    ...(payload.reveal_requires_reason === true ? { revealRequiresReason: true } : {}),
  };
}
