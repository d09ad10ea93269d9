import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createApp } from '../src/app.js';
import type { Clinic } from '../src/demo/clinic-data.js';
import { generateClinic } from '../src/demo/clinic-data.js';
import { DEFAULT_OFFLOAD_BYTES } from '../src/detect/detection-pool.js';
import { createHttpServer } from '../src/http/http-server.js';
import { createLogger } from '../src/log.js';
import type { TokenStore } from '../src/store/token-store.js';
import { clinicCorpus } from './detection-speed.js';

const SIZE = Number(process.env.BENCH_SCAN_BYTES ?? 1000 * 1024);

export interface LatencyDuringScan {
  mode: string;
  scanSeconds: number;
  smallRequests: number;
  /** Small requests that got no answer (a transport error). */
  failed: number;
  p50: number;
  p99: number;
  max: number;
}

/**
 * Latency of small requests (a one-patient query, one after another) while one 1 MB
 * anonymizeText is being scanned, with detection on a thread and on the event loop.
 */
export async function latencyDuringScan(store: TokenStore, clinic: Clinic = generateClinic()): Promise<LatencyDuringScan[]> {
  const text = clinicCorpus(clinic, SIZE).join("\n").slice(0, SIZE);
  const results: LatencyDuringScan[] = [];
  for (const [mode, offloadBytes] of [['on a detection thread', DEFAULT_OFFLOAD_BYTES], ['on the event loop', Number.MAX_SAFE_INTEGER]] as const) {
    const app = await createApp({
      config: { production: true, tokenPrefix: 'tok', tokenCacheSize: 100_000, devTenant: 'bench', upstream: undefined, detection: { threads: 1, offloadBytes } },
      masterKey: randomBytes(32),
      store,
      logger: createLogger('silent'),
      clinic,
      authenticate: async () => ({ tenant: 'bench', subject: 'bench', scopes: new Set(['*']) }),
    });
    const server = createHttpServer(app, { maxBodyBytes: 5 * 1024 * 1024, logger: createLogger('silent') });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    const post = (query: string, variables?: unknown) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) }).then((r) => r.text());
    await post('{ patient(id: "p1") { id name } }');
    const started = performance.now();
    let scanning = true;
    const scan = post('mutation($t: String!) { anonymizeText(text: $t, mode: PLACEHOLDERS) { text } }', { t: text }).finally(() => (scanning = false));
    const latencies: number[] = [];
    let failed = 0;
    while (scanning) {
      const t0 = performance.now();
      try {
        await post('{ patient(id: "p1") { id name } }');
        latencies.push(performance.now() - t0);
      } catch {
        // Reported, not fatal: seen once as a connection reset just as a 17-s block of the
        // event loop ended (a kept-alive connection the server was closing, most likely).
        failed++;
      }
    }
    await scan;
    const scanSeconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? Number.NaN;
    results.push({ mode, scanSeconds, smallRequests: latencies.length, failed, p50: at(50), p99: at(99), max: latencies.at(-1) ?? Number.NaN });
    server.close();
    await app.stop();
  }
  return results;
}

export function formatLatencyDuringScan(results: LatencyDuringScan[]): string {
  return [
    '| 1 MB anonymizeText scanned | scan s | small requests meanwhile | failed | p50 ms | p99 ms | max ms |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...results.map((r) => `| ${r.mode} | ${r.scanSeconds.toFixed(1)} | ${r.smallRequests} | ${r.failed} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.max.toFixed(0)} |`),
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { startEmbeddedDynalite } = await import('../src/store/embedded-dynalite.js');
  const { createDynamoClient } = await import('../src/store/dynamo-client.js');
  const { DynamoTokenStore } = await import('../src/store/dynamo-token-store.js');
  const { ensureTokenTable } = await import('../src/store/token-table.js');
  const dynalite = await startEmbeddedDynalite();
  const client = createDynamoClient({ region: 'us-east-1', endpoint: dynalite.endpoint, timeoutMs: 5000 });
  await ensureTokenTable(client, 'pii_tokens');
  console.log(formatLatencyDuringScan(await latencyDuringScan(new DynamoTokenStore(client, 'pii_tokens'))));
  client.destroy();
  await dynalite.close();
}
