import type { MessagePort } from 'node:worker_threads';
import type { TokenStoreCall, TokenStoreMethod, TokenStoreOutcome } from './token-store-messages.js';
import { StoreUnavailableError, type MappingKey, type StoredMapping, type TenantKeyRecord, type TokenStore } from './token-store.js';

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * A TokenStore whose calls run on another thread (see serveTokenStore and store-thread.ts): the
 * embedded store's thread, or the DynamoDB client's own (STORE_CLIENT_THREAD). Building,
 * signing and parsing the store's requests then leaves the thread that answers clients (under
 * `npm run bench:load`, that event loop went from 81–84% busy to about 50%).
 *
 * Failures come back as they were thrown there: a StoreUnavailableError stays one, with the
 * class name of its cause. A call that gets no answer within `timeoutMs` (the other thread's
 * own deadline has passed by then) or whose thread is gone fails with StoreUnavailableError.
 */
export class PortTokenStore implements TokenStore {
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();
  private gone = false;

  constructor(
    private readonly port: MessagePort,
    private readonly timeoutMs: number,
  ) {
    port.on('message', (outcome: TokenStoreOutcome) => {
      const call = this.pending.get(outcome.id);
      if (!call) return;
      this.settled(outcome.id, call);
      if ('error' in outcome) call.reject(revive(outcome.error));
      else call.resolve(outcome.value);
    });
    port.once('close', () => this.stop());
    // Like a keep-alive socket, the port alone does not keep the process running.
    port.unref();
  }

  putMany(items: readonly StoredMapping[]): Promise<void> {
    return this.call('putMany', [items]);
  }

  getMany(keys: readonly MappingKey[]): Promise<(StoredMapping | undefined)[]> {
    return this.call('getMany', [keys]);
  }

  delete(keys: readonly MappingKey[]): Promise<void> {
    return this.call('delete', [keys]);
  }

  getTenantKey(tenant: string): Promise<TenantKeyRecord | undefined> {
    return this.call('getTenantKey', [tenant]);
  }

  swapTenantKey(tenant: string, previousId: string | undefined, next: TenantKeyRecord): Promise<boolean> {
    return this.call('swapTenantKey', [tenant, previousId, next]);
  }

  ping(): Promise<void> {
    return this.call('ping', []);
  }

  /** Fails the calls in flight and every later one: the store's thread is stopping. */
  stop(): void {
    this.gone = true;
    for (const [id, call] of [...this.pending]) {
      this.settled(id, call);
      call.reject(new StoreUnavailableError('the token store thread stopped'));
    }
  }

  private call<T>(method: TokenStoreMethod, args: unknown[]): Promise<T> {
    if (this.gone) return Promise.reject(new StoreUnavailableError('the token store thread stopped'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        const call = this.pending.get(id);
        if (!call) return;
        this.settled(id, call);
        call.reject(new StoreUnavailableError(`the token store thread did not answer within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, timer });
      this.port.postMessage({ id, method, args } satisfies TokenStoreCall);
    });
  }

  private settled(id: number, call: Pending): void {
    clearTimeout(call.timer);
    this.pending.delete(id);
  }
}

function revive(error: { name: string; message: string; causeName?: string }): Error {
  const cause = error.causeName ? Object.assign(new Error(error.causeName), { name: error.causeName }) : undefined;
  const revived = error.name === 'StoreUnavailableError' ? new StoreUnavailableError(error.message, cause ? { cause } : undefined) : new Error(error.message, cause ? { cause } : undefined);
  if (error.name !== 'StoreUnavailableError') revived.name = error.name;
  return revived;
}
