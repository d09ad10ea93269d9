import { ErrorCode, GatewayError } from '../errors/gateway-error.js';
import type { Identity } from './identity.js';

/** The scopes the gateway checks; README lists what each allows. */
export const Scope = {
  ANONYMIZE: 'pii:anonymize',
  DEANONYMIZE: 'pii:deanonymize',
  FORGET: 'pii:forget',
  SHRED: 'pii:shred',
} as const;

/** `*` is the development identity's: every scope. */
export function hasScope(identity: Identity, scope: string): boolean {
  return identity.scopes.has(scope) || identity.scopes.has('*');
}

export function requireScope(identity: Identity, scope: string): void {
  if (!hasScope(identity, scope)) {
    throw new GatewayError(ErrorCode.FORBIDDEN, `This operation needs the ${scope} scope`);
  }
}
