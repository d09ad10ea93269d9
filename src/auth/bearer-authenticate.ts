import type { AuthClaims } from '../config.js';
import { ErrorCode, GatewayError } from '../errors/gateway-error.js';
import type { Authenticate, Identity } from './identity.js';
import { identityFromClaims } from './identity-from-claims.js';
import type { VerifyJwt } from './jwt-verifier.js';

/**
 * Identity from `Authorization: Bearer <jwt>`, verified once per request. Without a token,
 * `anonymous` decides: production has none (UNAUTHENTICATED); development answers with the
 * development identity.
 */
export function bearerAuthenticate(verify: VerifyJwt, claims: AuthClaims, anonymous?: Identity): Authenticate {
  return async (headers) => {
    const header = headers.get('authorization');
    if (!header) {
      if (anonymous) return anonymous;
      throw new GatewayError(ErrorCode.UNAUTHENTICATED, 'A bearer token is required (Authorization: Bearer <jwt>)');
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw new GatewayError(ErrorCode.UNAUTHENTICATED, 'The Authorization header must be "Bearer <jwt>"');
    return identityFromClaims(await verify(match[1]!), claims);
  };
}
