import { LRUCache } from 'lru-cache';
import type { AuthClaims } from '../config.js';
import { ErrorCode, GatewayError } from '../errors/gateway-error.js';
import type { Authenticate, Identity } from './identity.js';
import { identityFromClaims } from './identity-from-claims.js';
import type { VerifyJwt } from './jwt-verifier.js';

/** How long a verified token is trusted without verifying it again (never past its `exp`). */
export const VERIFIED_TOKEN_TTL_MS = 5 * 60_000;

/**
 * Identity from `Authorization: Bearer <jwt>`. Without a token, `anonymous` decides: production
 * has none (UNAUTHENTICATED); development answers with the development identity.
 *
 * A token verified once is remembered (bounded LRU, lru-cache) until its expiry or for
 * VERIFIED_TOKEN_TTL_MS, whichever comes first: clients send the same token with every request,
 * and a signature check costs more than the rest of a small request (measured with ES256).
 * A key removed from the JWKS therefore stops being honoured within that time.
 */
export function bearerAuthenticate(verify: VerifyJwt, claims: AuthClaims, anonymous?: Identity, now: () => number = Date.now): Authenticate {
  const verified = new LRUCache<string, Identity>({ max: 10_000, ttl: VERIFIED_TOKEN_TTL_MS, ttlResolution: 0, perf: { now } });
  return async (headers) => {
    const header = headers.get('authorization');
    if (!header) {
      if (anonymous) return anonymous;
      throw new GatewayError(ErrorCode.UNAUTHENTICATED, 'A bearer token is required (Authorization: Bearer <jwt>)');
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw new GatewayError(ErrorCode.UNAUTHENTICATED, 'The Authorization header must be "Bearer <jwt>"');
    const token = match[1]!;
    const known = verified.get(token);
    if (known) return known;
    const payload = await verify(token);
    const identity = identityFromClaims(payload, claims);
    const untilExpiry = typeof payload.exp === 'number' ? payload.exp * 1000 - now() : VERIFIED_TOKEN_TTL_MS;
    if (untilExpiry > 0) verified.set(token, identity, { ttl: Math.min(untilExpiry, VERIFIED_TOKEN_TTL_MS) });
    return identity;
  };
}
