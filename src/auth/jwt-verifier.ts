import { readFile } from 'node:fs/promises';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  importSPKI,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { ConfigError, type AuthConfig } from '../config.js';
import { ErrorCode, GatewayError } from '../errors/gateway-error.js';

export type VerifyJwt = (token: string) => Promise<JWTPayload>;

type JwtConfig = Extract<AuthConfig, { kind: 'jwt' }>;

/**
 * Verifies bearer JWTs with jose: keys from a JWKS URL (fetched, cached and refreshed by jose),
 * a local JWKS or PEM file, or an explicitly configured HS256 secret; algorithms limited to the
 * configured list (never `none`); issuer and audience checked when configured; clock skew
 * tolerated up to the configured seconds. Failures are UNAUTHENTICATED with a reason, never the
 * token.
 */
export async function createJwtVerifier(config: JwtConfig): Promise<VerifyJwt> {
  const keys = await keySource(config);
  const options = {
    algorithms: config.algorithms,
    clockTolerance: config.clockToleranceSeconds,
    ...(config.issuer ? { issuer: config.issuer } : {}),
    ...(config.audience ? { audience: config.audience } : {}),
  };
  return async (token) => {
    try {
      return (await jwtVerify(token, keys, options)).payload;
    } catch (error) {
      throw new GatewayError(ErrorCode.UNAUTHENTICATED, reason(error));
    }
  };
}

async function keySource(config: JwtConfig): Promise<JWTVerifyGetKey> {
  const secret = config.sharedSecret ? new TextEncoder().encode(config.sharedSecret) : undefined;
  let jwks: JWTVerifyGetKey | undefined;
  if (config.jwksUrl) jwks = createRemoteJWKSet(new URL(config.jwksUrl), { cacheMaxAge: 10 * 60_000, cooldownDuration: 30_000 });
  else if (config.jwksFile) jwks = await localKeys(config.jwksFile, config.algorithms);
  return async (header, token) => {
    if (header.alg === 'HS256' && secret) return secret;
    if (!jwks) throw new errors.JOSEAlgNotAllowed('no key for this algorithm');
    return jwks(header, token);
  };
}

/**
 * A JWKS document (`{"keys": [...]}`) or a single PEM public key, for the first configured
 * algorithm. Errors name the file and what is wrong, never its content: a private key given by
 * mistake must not land in a log through a JSON parser's message.
 */
async function localKeys(file: string, algorithms: string[]): Promise<JWTVerifyGetKey> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`AUTH_JWKS_FILE ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (text.includes('PRIVATE KEY-----')) throw new ConfigError(`AUTH_JWKS_FILE ${file} holds a private key; give the public key (or the JWKS) only`);
  try {
    if (text.includes('-----BEGIN PUBLIC KEY-----')) {
      const key = await importSPKI(text, algorithms[0]!);
      return async () => key;
    }
    return createLocalJWKSet(JSON.parse(text));
  } catch {
    throw new ConfigError(`AUTH_JWKS_FILE ${file} is neither a JWKS document ({"keys": [...]}) nor a PEM public key for ${algorithms[0]}`);
  }
}

function reason(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'The token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `The token's "${error.claim}" claim is not accepted`;
  if (error instanceof errors.JOSEAlgNotAllowed) return 'The token is signed with an algorithm that is not accepted';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'The token signature is not valid';
  if (error instanceof errors.JWKSNoMatchingKey) return 'The token is signed with an unknown key';
  if (error instanceof errors.JWTInvalid || error instanceof errors.JWSInvalid) return 'The token is malformed';
  if (error instanceof errors.JWKSTimeout) return 'The signing keys could not be fetched in time';
  return 'The token could not be verified';
}
