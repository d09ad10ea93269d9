import type { AuthConfig } from '../config.js';
import { bearerAuthenticate } from './bearer-authenticate.js';
import { developmentIdentity } from './development-identity.js';
import { loadDevelopmentKey, type DevelopmentKey } from './development-key.js';
import type { Authenticate } from './identity.js';
import { createJwtVerifier } from './jwt-verifier.js';

/** The configured way of identifying callers (see AuthConfig); `devKey` when already loaded. */
export async function createAuthenticate(config: AuthConfig, dataDir: string, devTenant: string, devKey?: DevelopmentKey): Promise<Authenticate> {
  if (config.kind === 'jwt') return bearerAuthenticate(await createJwtVerifier(config), config.claims);
  const key = devKey ?? (await loadDevelopmentKey(dataDir));
  return bearerAuthenticate(key.verify, config.claims, developmentIdentity(devTenant));
}
