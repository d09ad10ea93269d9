import type { Authenticate, Identity } from './identity.js';

/**
 * Until JWT verification is configured, every caller is the development tenant with every
 * right. Only for development: loadConfig refuses production without a master key, and the
 * JWT issue replaces this in production.
 */
export function developmentAuthenticate(tenant: string): Authenticate {
  const identity: Identity = { tenant, subject: 'development', scopes: new Set(['*']) };
  return async () => identity;
}
