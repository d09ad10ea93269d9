import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';
import { startTestStore, type TestStore } from '../support/test-store.js';

/** CORS_ORIGINS on the real HTTP front: what a browser on another origin is told. */
const APP = 'https://app.example.com';
const QUERY = JSON.stringify({ query: 'mutation { anonymize(payload: {email: "ann@example.com"}) { tokenized } }' });

let store: TestStore;
let allowing: TestGateway;
let closed: TestGateway;
beforeAll(async () => {
  store = await startTestStore();
  allowing = await startTestGateway(store.store, { corsOrigins: [APP] });
  closed = await startTestGateway(store.store);
});
afterAll(async () => {
  await allowing?.close();
  await closed?.close();
  await store?.close();
});

function preflight(gateway: TestGateway, origin: string) {
  return fetch(gateway.url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization, x-pii-reason' } });
}

function post(gateway: TestGateway, origin: string) {
  return fetch(gateway.url, { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: QUERY });
}

describe('CORS', () => {
  it('answers a preflight from a listed origin: POST with the headers asked for, cached 10 minutes', async () => {
    const response = await preflight(allowing, APP);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(APP);
    expect(response.headers.get('access-control-allow-methods')).toBe('GET,POST');
    expect(response.headers.get('access-control-allow-headers')).toBe('content-type, authorization, x-pii-reason');
    expect(response.headers.get('access-control-max-age')).toBe('600');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('marks the answers to a listed origin, and only to it', async () => {
    const listed = await post(allowing, APP);
    expect(listed.status).toBe(200);
    expect(listed.headers.get('access-control-allow-origin')).toBe(APP);
    expect(listed.headers.get('vary')).toMatch(/origin/i);
    // So the page can read the id of the request's audit line.
    expect(listed.headers.get('access-control-expose-headers')).toBe('x-request-id');
    expect(((await listed.json()) as { data: { anonymize: { tokenized: number } } }).data.anonymize.tokenized).toBe(1);

    const other = await preflight(allowing, 'https://evil.example.com');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect((await post(allowing, 'https://evil.example.com')).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('without CORS_ORIGINS, tells no origin anything', async () => {
    expect((await preflight(closed, APP)).headers.get('access-control-allow-origin')).toBeNull();
    expect((await post(closed, APP)).headers.get('access-control-allow-origin')).toBeNull();
  });
});
