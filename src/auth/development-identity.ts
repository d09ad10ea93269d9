import type { Authenticate, Identity } from './identity.js';

/**
 * The caller of a development gateway that sends no token: the development tenant with every
 * scope. Only development mode uses it; production requires authentication configured.
 */
export function developmentIdentity(tenant: string): Identity {
  return { tenant, subject: 'development', scopes: new Set(['*']) };
}

/** Every request is the development identity (the benchmark's and simple embeddings' choice). */
export function developmentAuthenticate(tenant: string): Authenticate {
  const identity = developmentIdentity(tenant);
  return async () => identity;
}
