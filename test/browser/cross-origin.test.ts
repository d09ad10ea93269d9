import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';
import { startTestStore, type TestStore } from '../support/test-store.js';

/**
 * A frontend on another origin calling the gateway from Chromium, as a browser app would: a
 * page served on one port fetches anonymize from the gateway on another, with a bearer header
 * (which makes the browser send a preflight first).
 */
const CHROMIUM = '/usr/bin/chromium';

describe.skipIf(!existsSync(CHROMIUM))('a page on another origin, in Chromium (skipped: no /usr/bin/chromium)', () => {
  let browser: Browser;
  let store: TestStore;
  let page: Server;
  let origin: string;
  let allowing: TestGateway;
  let closed: TestGateway;

  beforeAll(async () => {
    page = createServer((_, response) => response.end('<!doctype html><title>frontend</title>'));
    await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(page.address() as AddressInfo).port}`;
    store = await startTestStore();
    allowing = await startTestGateway(store.store, { corsOrigins: [origin] });
    closed = await startTestGateway(store.store);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking'] });
  });
  afterAll(async () => {
    await browser?.close();
    await allowing?.close();
    await closed?.close();
    await store?.close();
    page?.close();
  });

  /** What the page's fetch of the gateway gave: the answer, or the browser's error. */
  async function fetchFromPage(gatewayUrl: string): Promise<{ ok: true; body: any } | { ok: false; error: string }> {
    const tab = await browser.newPage();
    try {
      await tab.goto(origin);
      return await tab.evaluate(async (url) => {
        try {
          const response = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: 'Bearer test' },
            body: JSON.stringify({ query: 'mutation { anonymize(payload: {email: "ann@example.com"}) { payload } }' }),
          });
          return { ok: true as const, body: await response.json() };
        } catch (error) {
          return { ok: false as const, error: String(error) };
        }
      }, gatewayUrl);
    } finally {
      await tab.close();
    }
  }

  it('gets tokens from a gateway that lists its origin in CORS_ORIGINS', async () => {
    const result = await fetchFromPage(allowing.url);
    expect(result.ok).toBe(true);
    expect(result.ok && result.body.data.anonymize.payload.email).toMatch(/^tok_email_/);
  });

  it('is stopped by the browser when the gateway lists no origin', async () => {
    const result = await fetchFromPage(closed.url);
    expect(result).toEqual({ ok: false, error: 'TypeError: Failed to fetch' });
  });
});
