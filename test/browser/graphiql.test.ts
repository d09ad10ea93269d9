import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useGateway } from '../support/gateway-fixture.js';

/**
 * GraphiQL in a real browser: Debian's Chromium driven by playwright-core. `.ci/run` installs
 * Chromium; on a machine without /usr/bin/chromium this suite is skipped (and says so).
 */
const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.resolve(import.meta.dirname, '../../test-artifacts');
const t = useGateway();
let browser: Browser;

describe.skipIf(!existsSync(CHROMIUM))('GraphiQL in Chromium (skipped: no /usr/bin/chromium)', () => {
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      // Everything but loopback is cut off: the page must work with no network at all.
      args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'],
    });
  });
  afterAll(() => browser?.close());

  it('runs the example anonymize operation offline and shows tokens', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 800 } });
    const elsewhere: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(new URL(t.gateway.url).origin)) elsewhere.push(request.url());
    });
    await page.goto(t.gateway.url);
    await page.waitForSelector('.graphiql-execute-button', { timeout: 20_000 });
    await page.click('.graphiql-execute-button');
    await page.waitForFunction('document.body.innerText.includes(\'"tokenized"\')', null, { timeout: 20_000 });
    const text = await page.innerText('body');
    expect(text).toMatch(/tok_email_[A-Za-z0-9_-]{24}/);
    expect(text).toMatch(/tok_person_[A-Za-z0-9_-]{24}/);
    expect(elsewhere).toEqual([]);
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'graphiql.png') });
  });
});
