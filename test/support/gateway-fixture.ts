import { afterAll, beforeAll } from 'vitest';
import { FaultyStore } from './faulty-store.js';
import { startTestGateway, type TestGateway } from './test-gateway.js';
import { startTestStore, type TestStore } from './test-store.js';

export interface GatewayFixture {
  /** The real dynalite behind everything, with its request counts. */
  store: TestStore;
  /** Between gateway and store; passes everything through until a test sets a fault. */
  faulty: FaultyStore;
  gateway: TestGateway;
}

/** For the enclosing suite: dynalite, a fault injector over it, and the gateway, started once. */
export function useGateway(): GatewayFixture {
  const fixture = {} as GatewayFixture;
  beforeAll(async () => {
    fixture.store = await startTestStore();
    fixture.faulty = new FaultyStore(fixture.store.store);
    fixture.gateway = await startTestGateway(fixture.faulty);
  });
  afterAll(async () => {
    await fixture.gateway?.close();
    await fixture.store?.close();
  });
  return fixture;
}
