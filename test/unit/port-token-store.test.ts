import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { PortTokenStore } from '../../src/store/port-token-store.js';
import { serveTokenStore } from '../../src/store/serve-token-store.js';
import { StoreUnavailableError, type StoredMapping, type TokenStore } from '../../src/store/token-store.js';

// The two ends of a MessageChannel in one thread behave as across threads (structured clone).
// The store served is a stand-in: these tests are about the carrying, faults included.
const channels: MessageChannel[] = [];
afterEach(() => {
  for (const channel of channels.splice(0)) {
    channel.port1.close();
    channel.port2.close();
  }
});

function connect(served: Partial<TokenStore>, timeoutMs = 1000): { store: PortTokenStore; channel: MessageChannel } {
  const channel = new MessageChannel();
  channels.push(channel);
  serveTokenStore(channel.port2, served as TokenStore);
  return { store: new PortTokenStore(channel.port1, timeoutMs), channel };
}

const stored: StoredMapping = { tenant: 't', token: 'tok_email_a', kind: 'email', ciphertext: Uint8Array.from([1, 2, 3]), createdAt: 5, expiresAt: 9 };

describe('PortTokenStore over serveTokenStore', () => {
  it('carries arguments and results, holes and bytes included', async () => {
    const calls: unknown[][] = [];
    const { store } = connect({
      getMany: async (keys) => {
        calls.push([...keys]);
        return [stored, undefined];
      },
      swapTenantKey: async (...args) => {
        calls.push(args);
        return true;
      },
    });
    const read = await store.getMany([{ tenant: 't', token: 'tok_email_a' }, { tenant: 't', token: 'tok_email_b' }]);
    expect(read).toEqual([stored, undefined]);
    expect(read[0]!.ciphertext).toBeInstanceOf(Uint8Array);
    expect(await store.swapTenantKey('t', undefined, { id: 'k', legacyReadable: true })).toBe(true);
    expect(calls).toEqual([[{ tenant: 't', token: 'tok_email_a' }, { tenant: 't', token: 'tok_email_b' }], ['t', undefined, { id: 'k', legacyReadable: true }]]);
  });

  it('hands back a StoreUnavailableError with its message and the class name of its cause', async () => {
    const throttled = Object.assign(new Error('quotes item data'), { name: 'ProvisionedThroughputExceededException' });
    const { store } = connect({ putMany: () => Promise.reject(new StoreUnavailableError('the token store failed: throttled', { cause: throttled })) });
    const failure = await store.putMany([stored]).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StoreUnavailableError);
    expect((failure as Error).message).toBe('the token store failed: throttled');
    expect(((failure as Error).cause as Error).name).toBe('ProvisionedThroughputExceededException');
    // Only the class name crosses: the SDK's message could quote request data.
    expect(((failure as Error).cause as Error).message).not.toContain('item data');
  });

  it('keeps the class of other errors', async () => {
    const { store } = connect({ ping: () => Promise.reject(new TypeError('bad')) });
    const failure = await store.ping().catch((error: unknown) => error);
    expect(failure).not.toBeInstanceOf(StoreUnavailableError);
    expect((failure as Error).name).toBe('TypeError');
  });

  it('fails a call that gets no answer in time with StoreUnavailableError', async () => {
    const { store } = connect({ getTenantKey: () => new Promise(() => {}) }, 50);
    await expect(store.getTenantKey('t')).rejects.toThrow(new StoreUnavailableError('the token store thread did not answer within 50 ms'));
  });

  it('fails calls in flight and later ones when the other end closes', async () => {
    const { store, channel } = connect({ getMany: () => new Promise(() => {}) });
    const inFlight = store.getMany([{ tenant: 't', token: 'tok_email_a' }]);
    channel.port2.close();
    await expect(inFlight).rejects.toThrow(new StoreUnavailableError('the token store thread stopped'));
    await expect(store.ping()).rejects.toThrow(new StoreUnavailableError('the token store thread stopped'));
  });
});
