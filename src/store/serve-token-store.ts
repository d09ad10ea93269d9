import type { MessagePort } from 'node:worker_threads';
import type { TokenStoreCall, TokenStoreOutcome } from './token-store-messages.js';
import type { TokenStore } from './token-store.js';

/** Runs the calls a PortTokenStore sends over `port` on `store`, in this thread. */
export function serveTokenStore(port: MessagePort, store: TokenStore): void {
  port.on('message', (call: TokenStoreCall) => {
    const method = store[call.method] as (...args: unknown[]) => Promise<unknown>;
    method.apply(store, call.args).then(
      (value) => port.postMessage({ id: call.id, value } satisfies TokenStoreOutcome),
      (error: unknown) => port.postMessage({ id: call.id, error: describe(error) } satisfies TokenStoreOutcome),
    );
  });
}

function describe(error: unknown): { name: string; message: string; causeName?: string } {
  if (!(error instanceof Error)) return { name: 'Error', message: typeof error };
  const causeName = (error.cause as Error | undefined)?.name;
  return { name: error.name, message: error.message, ...(causeName ? { causeName } : {}) };
}
