import type { Identity } from './identity.js';

export type RevealLevel = 'TOKEN' | 'MASKED' | 'PLAIN';

const ORDER: Record<RevealLevel, number> = { TOKEN: 0, MASKED: 1, PLAIN: 2 };

export function lesserLevel(a: RevealLevel, b: RevealLevel): RevealLevel {
  return ORDER[a] <= ORDER[b] ? a : b;
}

/**
 * What a caller may see of one kind: PLAIN with `pii:reveal` or `pii:reveal:<kind>`, MASKED with
 * `pii:reveal-masked` or `pii:reveal-masked:<kind>`, otherwise TOKEN. Reveal is only ever granted
 * explicitly: the development wildcard `*` does not include it.
 */
export function revealLevelFor(identity: Identity, kind: string): RevealLevel {
  const { scopes } = identity;
  if (scopes.has('pii:reveal') || scopes.has(`pii:reveal:${kind}`)) return 'PLAIN';
  if (scopes.has('pii:reveal-masked') || scopes.has(`pii:reveal-masked:${kind}`)) return 'MASKED';
  return 'TOKEN';
}

/** Whether the identity holds any reveal scope at all: if not, every @pii value is a token. */
export function mayReveal(identity: Identity): boolean {
  for (const scope of identity.scopes) if (scope.startsWith('pii:reveal')) return true;
  return false;
}
