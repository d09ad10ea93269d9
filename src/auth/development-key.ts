import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { errors, exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type JWK, type JWTPayload } from 'jose';
import { ErrorCode, GatewayError } from '../errors/gateway-error.js';
import type { VerifyJwt } from './jwt-verifier.js';

export const DEV_ISSUER = 'pii-gateway-development';
export const DEV_AUDIENCE = 'pii-gateway';

export interface DevelopmentKey {
  verify: VerifyJwt;
  sign(claims: JWTPayload, options: { subject: string; expiresIn: string }): Promise<string>;
}

/**
 * The local ES256 key that signs development tokens (`npm run token`), kept in
 * `<dataDir>/dev-signing-key.json` (mode 0600) and created on first use. Only development mode
 * trusts it.
 */
export async function loadDevelopmentKey(dataDir: string): Promise<DevelopmentKey> {
  const file = path.join(dataDir, 'dev-signing-key.json');
  let jwk: JWK;
  try {
    jwk = JSON.parse(await readFile(file, 'utf8')) as JWK;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    jwk = { ...(await exportJWK(privateKey)), alg: 'ES256', kid: 'development' };
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, JSON.stringify(jwk), { mode: 0o600, flag: 'wx' }).catch(async (writeError: NodeJS.ErrnoException) => {
      if (writeError.code !== 'EEXIST') throw writeError;
      jwk = JSON.parse(await readFile(file, 'utf8')) as JWK;
    });
  }
  const privateKey = await importJWK(jwk, 'ES256');
  const { d: _private, ...publicJwk } = jwk;
  const publicKey = await importJWK(publicJwk, 'ES256');
  return {
    async verify(token) {
      try {
        return (await jwtVerify(token, publicKey, { algorithms: ['ES256'], issuer: DEV_ISSUER, audience: DEV_AUDIENCE, clockTolerance: 30 })).payload;
      } catch (error) {
        if (error instanceof errors.JWTExpired) throw new GatewayError(ErrorCode.UNAUTHENTICATED, 'The development token has expired; `npm run token` signs a new one');
        throw new GatewayError(ErrorCode.UNAUTHENTICATED, 'The token is not a valid development token of this gateway');
      }
    },
    sign: (claims, { subject, expiresIn }) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', kid: 'development' })
        .setIssuer(DEV_ISSUER)
        .setAudience(DEV_AUDIENCE)
        .setSubject(subject)
        .setIssuedAt()
        .setExpirationTime(expiresIn)
        .sign(privateKey),
  };
}
