import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { DynaliteDirectHandler } from '../../src/store/dynalite-direct-handler.js';

// What dynalite itself does with the stand-ins is covered by the store-thread integration test;
// these are the transport's own paths, with listeners in dynalite's style.
const request = { method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port: 1, path: '/', query: { a: ['1', '2'] }, headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'DynamoDB_20120810.GetItem' }, body: '{"k":"é"}' };

describe('DynaliteDirectHandler', () => {
  it("hands dynalite the request as its HTTP server would, and returns its answer's bytes", async () => {
    let seen: { method?: string; url?: string; headers?: unknown; body?: string } = {};
    const handler = new DynaliteDirectHandler((req: IncomingMessage, res: ServerResponse) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        seen = { method: req.method, url: req.url, headers: req.headers, body };
        res.statusCode = 400;
        res.setHeader('X-Amz-Crc32', 42);
        res.end('{"__type":"x"}');
      });
    });
    const { response } = await handler.handle(request);
    expect(seen).toEqual({ method: 'POST', url: '/?a=1&a=2', headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.GetItem' }, body: '{"k":"é"}' });
    expect(response.statusCode).toBe(400);
    expect(response.headers).toEqual({ 'x-amz-crc32': '42' });
    expect(Buffer.from(response.body as Uint8Array).toString()).toBe('{"__type":"x"}');
  });

  it('answers 500 when dynalite throws, instead of ending its thread', async () => {
    const handler = new DynaliteDirectHandler(() => {
      throw new Error('unexpected');
    });
    const { response } = await handler.handle(request);
    expect(response.statusCode).toBe(500);
  });

  it('stops waiting when the call is aborted, before or during', async () => {
    const handler = new DynaliteDirectHandler(() => {}); // never answers
    await expect(handler.handle(request, { abortSignal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
    const controller = new AbortController();
    const waiting = handler.handle(request, { abortSignal: controller.signal });
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
  });
});
