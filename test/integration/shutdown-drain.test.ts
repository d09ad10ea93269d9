import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drain } from '../../src/http/http-server.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';
import { startTestStore, type TestStore } from '../support/test-store.js';

// Once shutdown begins, a client holding a kept-alive connection is told to go elsewhere
// (503 SHUTTING_DOWN, connection closed) instead of being served by an instance about to exit.
let store: TestStore;
let gateway: TestGateway;
beforeAll(async () => {
  store = await startTestStore();
  gateway = await startTestGateway(store.store);
});
afterAll(async () => {
  await gateway?.close();
  await store?.close();
});

function send(agent: Agent, path: string, body?: string): Promise<{ status: number; connection: string | undefined; text: string; socket: unknown }> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, gateway.url);
    const req = request(url, { agent, method: body ? 'POST' : 'GET', headers: body ? { 'content-type': 'application/json' } : {} }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection, text, socket: req.socket }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('draining for shutdown', () => {
  it('refuses requests on kept-alive connections with 503 SHUTTING_DOWN and closes them; readiness says so, liveness does not', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const query = JSON.stringify({ query: 'mutation { anonymize(payload: {e: "late@example.com"}, fields: ["e"]) { payload } }' });
    const before = await send(agent, '/graphql', query);
    expect(before).toMatchObject({ status: 200, connection: 'keep-alive' });
    drain(gateway.server);
    const after = await send(agent, '/graphql', query);
    // The same connection as before: a kept-alive one, not a new one the server refused.
    expect(after.socket).toBe(before.socket);
    expect(after).toMatchObject({ status: 503, connection: 'close' });
    expect(JSON.parse(after.text)).toEqual({ errors: [{ message: 'The gateway is shutting down; retry the request', extensions: { code: 'SHUTTING_DOWN' } }] });
    expect(after.text).not.toContain('late@example.com');
    expect((await send(agent, '/readyz')).status).toBe(503);
    expect((await send(agent, '/healthz')).status).toBe(200);
    agent.destroy();
  });
});
