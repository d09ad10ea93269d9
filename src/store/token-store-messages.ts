import type { TokenStore } from './token-store.js';

/**
 * The messages between a PortTokenStore (the gateway's thread) and serveTokenStore (the thread
 * that runs the store): one call of a TokenStore method and its outcome. Everything in them is
 * structured-cloneable: mappings, keys, key records, and errors as their name and the gateway's
 * own message (a StoreUnavailableError's never quotes item data).
 */
export type TokenStoreMethod = keyof TokenStore;

export interface TokenStoreCall {
  id: number;
  method: TokenStoreMethod;
  args: unknown[];
}

export type TokenStoreOutcome =
  | { id: number; value: unknown }
  | { id: number; error: { name: string; message: string; causeName?: string } };
