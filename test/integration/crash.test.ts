import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, startGateway, stopGateway, tempDir } from '../support/gateway-process.js';

// kill -9 of `npm start` (gateway and its embedded store in one process) in the middle of a
// write-heavy load; after a restart on the same data, every token a client received resolves.
const TOKEN = /tok_[a-z0-9_]+?_[A-Za-z0-9_-]{24}/g;
afterAll(removeTempDirs);

/** Starts the gateway again on the same data and checks that every token resolves; stops it. */
async function expectAllResolveAfterRestart(env: Record<string, string>, tokens: string[]): Promise<void> {
  const second = await startGateway(env);
  try {
    for (let i = 0; i < tokens.length; i += 2000) {
      const batch = tokens.slice(i, i + 2000);
      const response = await fetch(second.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'mutation($p: JSON!) { deanonymize(payload: $p) { resolved unresolved } }', variables: { p: batch } }),
      });
      expect(((await response.json()) as any).data.deanonymize).toEqual({ resolved: batch.length, unresolved: 0 });
    }
  } finally {
    expect(await stopGateway(second)).toBe(0);
  }
}

describe('a crash under load loses no mapping', () => {
  it('kill -9 during write-heavy load: every token a client received resolves after restart', async () => {
    const env = { DATA_DIR: await tempDir(), PII_MASTER_KEY: randomBytes(32).toString('base64') };
    const first = await startGateway(env);
    const received = new Set<string>();
    let answered = 0;
    let cut = 0;
    let running = true;
    const worker = async (w: number) => {
      for (let i = 0; running; i++) {
        const payload = Array.from({ length: 25 }, (_, k) => ({ email: `w${w}.r${i}.v${k}@example.com`, name: `Worker ${w} Round ${i} Value ${k}` }));
        try {
          const response = await fetch(first.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query: 'mutation($p: JSON!) { anonymize(payload: $p, fields: ["[*].email", "[*].name:person"]) { payload } }', variables: { p: payload } }),
          });
          const text = await response.text();
          if (response.status !== 200) continue;
          answered++;
          for (const token of text.match(TOKEN) ?? []) received.add(token);
        } catch {
          cut++; // in flight when the process died: the client got nothing
        }
      }
    };
    const workers = Array.from({ length: 8 }, (_, w) => worker(w));
    while (received.size < 3000) await new Promise((resolve) => setTimeout(resolve, 20));
    first.child.kill('SIGKILL');
    await once(first.child, 'exit');
    running = false;
    await Promise.all(workers);
    expect(answered).toBeGreaterThan(50);
    expect(cut).toBeGreaterThan(0); // the kill did land mid-request

    await expectAllResolveAfterRestart(env, [...received]);
  }, 120_000);

  it('SIGTERM: stops accepting, lets the requests in flight finish with their writes, exits 0, and loses nothing', async () => {
    // 18,000 new mappings written at once on a CI machine busy with other test files: the store
    // deadline is raised so that what is tested is the shutdown, not the store's speed.
    const env = { DATA_DIR: await tempDir(), PII_MASTER_KEY: randomBytes(32).toString('base64'), STORE_DEADLINE_MS: '60000', STORE_TIMEOUT_MS: '30000', SHUTDOWN_TIMEOUT_MS: '60000' };
    const first = await startGateway(env);
    let killedAt = 0;
    const requests = Array.from({ length: 6 }, async (_, r) => {
      // 1,500 rows of new values each: long enough to be in flight when the signal comes.
      const payload = Array.from({ length: 1500 }, (_, k) => ({ email: `term${r}.${k}@example.com`, name: `Term ${r} Person ${k}` }));
      const response = await fetch(first.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'mutation($p: JSON!) { anonymize(payload: $p, fields: ["[*].email", "[*].name:person"]) { payload } }', variables: { p: payload } }),
      });
      const text = await response.text();
      // The status with the error code, if any, so that a failure says which refusal it was.
      const outcome = response.status === 200 ? '200' : `${response.status} ${JSON.parse(text).errors?.[0]?.extensions?.code}`;
      return { outcome, text, afterKill: killedAt > 0 };
    });
    // Signal once all six are being worked on: every value looked up in the token cache (a
    // request not yet read off its connection at shutdown would be closed, not served).
    const metricsUrl = first.url.replace('/graphql', '/metrics');
    for (let lookups = 0; lookups < 6 * 3000; await new Promise((resolve) => setTimeout(resolve, 10))) {
      const text = await (await fetch(metricsUrl)).text();
      lookups = [...text.matchAll(/^pii_gateway_token_cache_lookups_total\{result="(?:hit|miss)"\} (\d+)$/gm)].reduce((sum, match) => sum + Number(match[1]), 0);
    }
    first.child.kill('SIGTERM');
    killedAt = Date.now();
    const exit = once(first.child, 'exit');
    // The gateway handles the signal once its event loop gets to it.
    while (!first.logs.some((line) => line.includes('shutting down'))) await new Promise((resolve) => setTimeout(resolve, 5));
    // No new requests once shutting down: a new connection is refused, one kept alive is answered
    // 503 SHUTTING_DOWN and closed.
    const late = await fetch(first.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' })
      .then(async (response) => ({ status: response.status, connection: response.headers.get('connection'), body: (await response.json()) as any }))
      .catch(() => 'refused' as const);
    if (late !== 'refused') expect(late).toMatchObject({ status: 503, connection: 'close', body: { errors: [{ extensions: { code: 'SHUTTING_DOWN' } }] } });
    const answers = await Promise.all(requests);
    expect((await exit)[0]).toBe(0);
    expect(answers.map((answer) => answer.outcome)).toEqual(['200', '200', '200', '200', '200', '200']);
    expect(answers.filter((answer) => answer.afterKill).length).toBeGreaterThan(0); // the signal did land mid-request
    const tokens = answers.flatMap((answer) => answer.text.match(TOKEN) ?? []);
    expect(tokens).toHaveLength(6 * 3000);

    await expectAllResolveAfterRestart(env, tokens);
  }, 120_000);
});
