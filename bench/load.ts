/**
 * `npm run bench:load`: a sustained mixed load on `npm start` (the gateway with its embedded
 * store and demo upstream, in its own process) over loopback, at a fixed rate with requests
 * evenly spaced (bench/paced-load.ts: open loop, latency from each request's scheduled start).
 *
 *   BENCH_LOAD_SECONDS (60)  BENCH_LOAD_RATE (500 req/s)  BENCH_LOAD_CONNECTIONS (50)
 *   BENCH_LOAD_WARMUP (10): seconds of the same traffic first, reported on their own line and
 *     left out of the figures (a gateway just started compiles its hot paths under the load)
 *   BENCH_LOAD_PROFILE=<dir>: the gateway writes a V8 CPU profile there when it exits
 *   BENCH_LOAD_NODE_ARGS: extra node flags for the gateway (e.g. "--max-semi-space-size=64")
 *   BENCH_LOAD_ONLY=anonymize|demo query|deanonymize: that operation alone (its cost per request)
 *
 * Traffic: 40% anonymize (20 values), 40% the demo query with @pii (20 patients), 20%
 * deanonymize (20 tokens). About 80% of the values were seen before (a warm-up tokenizes the
 * pool first), 20% are new, as in real traffic. Reports req/s, p50/p95/p99 from every response
 * time, errors (transport errors, non-200, GraphQL errors), and the gateway's RSS before, during
 * and after. Per 5 s of the run, beside each p99: the event loop's longest delay, the time in V8's
 * major collections and the mean store call, from the gateway's /metrics, to tell a pause of the
 * whole process from a slow store.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { hostCpu, hostShares } from './host-cpu.js';
import { pacedLoad, type PacedRequest } from './paced-load.js';

const SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 60);
const WARMUP_SECONDS = Number(process.env.BENCH_LOAD_WARMUP ?? 10);
const RATE = Number(process.env.BENCH_LOAD_RATE ?? 500);
const CONNECTIONS = Number(process.env.BENCH_LOAD_CONNECTIONS ?? 50);
const ONLY = process.env.BENCH_LOAD_ONLY;
const SEEN_POOL = 4000;
const DEMO_SEEN_ROWS = 1000;

const ANONYMIZE = 'mutation($p: JSON!) { anonymize(payload: $p, fields: ["[*].email", "[*].name:person"]) { payload } }';
const DEANONYMIZE = 'mutation($p: JSON!) { deanonymize(payload: $p) { resolved unresolved } }';
const DEMO = 'query($o: Int) { patients(first: 20, offset: $o) { name email phone } }';

async function main(): Promise<void> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const dataDir = await mkdtemp(path.join(tmpdir(), 'pii-load-'));
  const port = await freePort();
  const profile = process.env.BENCH_LOAD_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_LOAD_PROFILE)}`] : [];
  const nodeArgs = (process.env.BENCH_LOAD_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...profile, ...nodeArgs, '--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'info' },
    // The audit lines are written as in production, to nowhere.
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    const url = `http://127.0.0.1:${port}/graphql`;
    await waitReady(`http://127.0.0.1:${port}/readyz`);
    const post = async (query: string, variables: unknown) => {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
      return (await response.json()) as any;
    };

    // The pool of "seen" values is tokenized and stored; its tokens feed deanonymize.
    const pool = Array.from({ length: SEEN_POOL }, (_, i) => ({ email: `seen.${i}@example.com`, name: `Seen Person ${i}` }));
    const tokens: string[] = [];
    for (let i = 0; i < pool.length; i += 200) {
      const { data } = await post(ANONYMIZE, { p: pool.slice(i, i + 200) });
      for (const row of data.anonymize.payload) tokens.push(row.email, row.name);
    }
    for (let o = 0; o < DEMO_SEEN_ROWS; o += 100) await post('query($o: Int) { patients(first: 100, offset: $o) { name email phone } }', { o });

    // Bodies are made before the run, so the load generator spends its CPU on HTTP only.
    let fresh = 0;
    const pick = () => (Math.random() < 0.8 ? pool[Math.floor(Math.random() * pool.length)]! : { email: `new.${process.pid}.${fresh}@example.com`, name: `New Person ${fresh++}` });
    const expected = Math.ceil(RATE * (WARMUP_SECONDS + SECONDS) * 1.1);
    const anonymizeBodies = Array.from({ length: Math.ceil(expected * 0.4) }, () => JSON.stringify({ query: ANONYMIZE, variables: { p: Array.from({ length: 10 }, pick) } }));
    const demoBodies = Array.from({ length: 2000 }, () => {
      // 80% of pages already served (and so tokenized) before, 20% new.
      const o = Math.random() < 0.8 ? Math.floor(Math.random() * (DEMO_SEEN_ROWS - 20)) : DEMO_SEEN_ROWS + Math.floor(Math.random() * 3900);
      return JSON.stringify({ query: DEMO, variables: { o } });
    });
    const deanonymizeBodies = Array.from({ length: 2000 }, () =>
      JSON.stringify({ query: DEANONYMIZE, variables: { p: Array.from({ length: 20 }, () => tokens[Math.floor(Math.random() * tokens.length)]) } }),
    );
    let nextAnonymize = 0;
    const mix: [op: string, share: number, body: () => string][] = [
      ['anonymize', 0.4, () => anonymizeBodies[nextAnonymize++ % anonymizeBodies.length]!],
      ['demo query', 0.4, () => demoBodies[Math.floor(Math.random() * demoBodies.length)]!],
      ['deanonymize', 0.2, () => deanonymizeBodies[Math.floor(Math.random() * deanonymizeBodies.length)]!],
    ];
    const ops = ONLY ? mix.filter(([op]) => op === ONLY) : mix;
    if (ops.length === 0) throw new Error(`BENCH_LOAD_ONLY must be one of: ${mix.map(([op]) => op).join(', ')}`);
    const total = ops.reduce((sum, [, share]) => sum + share, 0);
    const next = (): PacedRequest => {
      let roll = Math.random() * total;
      const [op, , body] = ops.find(([, share]) => (roll -= share) < 0) ?? ops.at(-1)!;
      return { op, body: body() };
    };
    const warmup = WARMUP_SECONDS > 0 ? await pacedLoad({ url, rate: RATE, seconds: WARMUP_SECONDS, connections: CONNECTIONS, next }) : undefined;

    const metricsBefore = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const rssBefore = await rssOf(child.pid!);
    const cpuBefore = await cpuMsOf(child.pid!);
    const threadsBefore = await threadCpuMs(child.pid!);
    const rssSamples: number[] = [];
    const heapSamples: number[] = [];
    const lagSamples: number[] = [];
    /** Per 5 s: the event loop's longest delay, the milliseconds in V8's major collections, the mean store calls. */
    const stallSamples: { lagMax: number; majorGcMs: number; putMs: number; getMs: number }[] = [];
    // The baseline of the first 5 s.
    let previous = await scrapeGauges(port);
    const hostBefore = await hostCpu();
    let hostPrevious = hostBefore;
    const stealSamples: number[] = [];
    const sampler = setInterval(() => {
      void hostCpu().then((host) => {
        if (host && hostPrevious) stealSamples.push(hostShares(hostPrevious, host).steal);
        hostPrevious = host;
      });
      void rssOf(child.pid!).then((rss) => rssSamples.push(rss));
      void scrapeGauges(port).then((sample) => {
        heapSamples.push(sample.heapUsed);
        lagSamples.push(sample.lagP99);
        const before = previous;
        // Mean store call time within the 5 s: the change of the histogram's sum over that of its count.
        const mean = (sum: 'putSum' | 'getSum', count: 'putCount' | 'getCount') => ((sample[sum] - before[sum]) / (sample[count] - before[count])) * 1000;
        stallSamples.push({ lagMax: sample.lagMax, majorGcMs: (sample.majorGc - before.majorGc) * 1000, putMs: mean('putSum', 'putCount'), getMs: mean('getSum', 'getCount') });
        previous = sample;
      });
    }, 5000);

    const benchCpuBefore = process.cpuUsage();
    const result = await pacedLoad({ url, rate: RATE, seconds: SECONDS, connections: CONNECTIONS, next });
    clearInterval(sampler);
    const benchCpu = process.cpuUsage(benchCpuBefore);
    const hostAfter = await hostCpu();
    const latencies = result.latencies;
    const outcomes = result.byOp;
    const rssAfter = await rssOf(child.pid!);
    const scraped = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    // Counters since the measured run began: the store's first calls and the warm-up are not in them.
    const read = (text: string, series: string) => Number(text.split('\n').find((line) => line.startsWith(`${series} `))?.split(' ')[1] ?? Number.NaN);
    const metric = (series: string) => read(scraped, series) - (read(metricsBefore, series) || 0);
    const mean = (name: string, labels: string) => (metric(`${name}_sum{${labels}}`) / metric(`${name}_count{${labels}}`)) * 1000;
    const cpuMs = (await cpuMsOf(child.pid!)) - cpuBefore;
    const threadsAfter = await threadCpuMs(child.pid!);
    const busiest = [...threadsAfter]
      .map(([name, ms]) => [name, ms - (threadsBefore.get(name) ?? 0)] as const)
      .filter(([, ms]) => ms > 0)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 4);

    const windows = windowPercentiles(latencies, result.scheduledSecond, 5);
    const opWindows = [...outcomes].map(([op, o]) => [op, windowPercentiles(o.latencies, o.scheduledSecond, 5)] as const);
    latencies.sort((a, b) => a - b);
    const pct = (p: number) => percentile(latencies, p);
    const errors = [...outcomes.values()].reduce((n, o) => n + o.errors, 0) + result.transportErrors;
    const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
    console.log(`\n## npm run bench:load (${new Date().toISOString()}, node ${process.version}, ${SECONDS}s at ${RATE} req/s offered, ${CONNECTIONS} connections${ONLY ? `, ${ONLY} only` : ""})\n`);
    console.log('| operation | requests | errors | p50 ms | p99 ms |');
    console.log('|---|---:|---:|---:|---:|');
    for (const [op, o] of outcomes) {
      o.latencies.sort((a, b) => a - b);
      const at = (p: number) => percentile(o.latencies, p).toFixed(1);
      console.log(`| ${op} | ${o.count} | ${o.errors} | ${at(50)} | ${at(99)} |`);
    }
    console.log(`\nthroughput ${(latencies.length / SECONDS).toFixed(1)} req/s; latency p50 ${pct(50)} ms, p95 ${pct(95)} ms, p99 ${pct(99)} ms, max ${latencies.at(-1)} ms`);
    if (warmup) {
      const warm = [...warmup.latencies].sort((a, b) => a - b);
      const warmErrors = [...warmup.byOp.values()].reduce((n, o) => n + o.errors, 0) + warmup.transportErrors;
      const at = (p: number) => percentile(warm, p).toFixed(1);
      console.log(`warm-up (the ${WARMUP_SECONDS} s before, same traffic, not in the figures here): p50 ${at(50)} ms, p99 ${at(99)} ms, max ${at(100)} ms, errors ${warmErrors}`);
    }
    console.log(`latency p99 per 5 s of the schedule: ${windows.map((ms) => ms.toFixed(0)).join(', ')} ms`);
    for (const [op, p99s] of opWindows) console.log(`  ${op}: ${p99s.map((ms) => ms.toFixed(0)).join(', ')} ms`);
    console.log(`  the event loop's longest delay: ${stallSamples.map(({ lagMax }) => (lagMax * 1000).toFixed(0)).join(', ')} ms`);
    console.log(`  major garbage collections: ${stallSamples.map(({ majorGcMs }) => majorGcMs.toFixed(0)).join(', ')} ms`);
    console.log(`  store calls, mean: put ${stallSamples.map(({ putMs }) => putMs.toFixed(0)).join(', ')} ms; get ${stallSamples.map(({ getMs }) => getMs.toFixed(0)).join(', ')} ms`);
    if (hostBefore && hostAfter) {
      // A VM's noisy neighbours: when the hypervisor takes CPU time away, every thread here waits,
      // and the tail grows with no change in the gateway. Read beside the p99 windows above.
      const host = hostShares(hostBefore, hostAfter);
      const percent = (share: number) => (share * 100).toFixed(1);
      console.log(`  host CPU stolen by the hypervisor: ${stealSamples.map(percent).join(', ')} %`);
      console.log(`host CPU over the run (/proc/stat): ${percent(host.steal)}% stolen by the hypervisor, ${percent(host.idle)}% idle`);
    }
    console.log(`gateway CPU (all its threads) ${(cpuMs / latencies.length).toFixed(2)} ms per request, ${((cpuMs / (SECONDS * 1000)) * 100).toFixed(0)}% of one core`);
    console.log(`load generator (this process) ${(((benchCpu.user + benchCpu.system) / 1000 / (SECONDS * 1000)) * 100).toFixed(0)}% of one core`);
    console.log(`busiest threads: ${busiest.map(([name, ms]) => `${name} ${((ms / (SECONDS * 1000)) * 100).toFixed(0)}%`).join(', ')}`);
    const codes = [...result.transportErrorCodes].map(([code, count]) => `${code}: ${count}`).join(', ');
    console.log(`errors ${errors} (transport ${result.transportErrors}${codes ? ` = ${codes}` : ''}; the rest non-200 or GraphQL errors)`);
    console.log(
      // prom-client restarts its lag histogram at every scrape, so each 5 s sample covers its own 5 s.
      `gateway event loop lag p99 per 5 s: median ${(median(lagSamples) * 1000).toFixed(1)} ms, max ${(Math.max(...lagSamples) * 1000).toFixed(1)} ms; ` +
        `store calls (mean, from /metrics): put ${mean('pii_gateway_store_request_duration_seconds', 'operation="put"').toFixed(1)} ms over ${metric('pii_gateway_store_batch_size_count{operation="put"}')} calls, ` +
        `get ${mean('pii_gateway_store_request_duration_seconds', 'operation="get"').toFixed(1)} ms over ${metric('pii_gateway_store_batch_size_count{operation="get"}')} calls; ` +
        `token cache hit ratio ${(metric('pii_gateway_token_cache_lookups_total{result="hit"}') / (metric('pii_gateway_token_cache_lookups_total{result="hit"}') + metric('pii_gateway_token_cache_lookups_total{result="miss"}'))).toFixed(3)}`,
    );
    console.log(`gateway RSS: before ${mb(rssBefore)}, every 5 s ${rssSamples.map(mb).join(', ')}, after ${mb(rssAfter)}`);
    // The lowest of each minute's samples is close to what survives garbage collection: what grows there is kept.
    const perMinute = Array.from({ length: Math.ceil(heapSamples.length / 12) }, (_, i) => Math.min(...heapSamples.slice(i * 12, i * 12 + 12)));
    console.log(`gateway V8 heap used (main thread), lowest of each minute: ${perMinute.map(mb).join(', ')}`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function waitReady(readyz: string): Promise<void> {
  for (const started = Date.now(); Date.now() - started < 60_000; await new Promise((resolve) => setTimeout(resolve, 100))) {
    try {
      if ((await fetch(readyz)).ok) return;
    } catch {
      // not listening yet
    }
  }
  throw new Error('the gateway did not become ready');
}

/**
 * From the gateway's /metrics: its main-thread V8 heap in use, its event-loop lag p99 and max
 * (seconds) since the previous scrape, and the running totals of major-GC seconds and of store
 * call seconds and counts.
 */
async function scrapeGauges(port: number) {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const gauge = (name: string) => Number(new RegExp(`^${name.replace(/[{}]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
  return {
    heapUsed: gauge('pii_gateway_nodejs_heap_size_used_bytes'),
    lagP99: gauge('pii_gateway_nodejs_eventloop_lag_p99_seconds'),
    lagMax: gauge('pii_gateway_nodejs_eventloop_lag_max_seconds'),
    majorGc: gauge('pii_gateway_nodejs_gc_duration_seconds_sum{kind="major"}') || 0,
    putSum: gauge('pii_gateway_store_request_duration_seconds_sum{operation="put"}'),
    putCount: gauge('pii_gateway_store_request_duration_seconds_count{operation="put"}'),
    getSum: gauge('pii_gateway_store_request_duration_seconds_sum{operation="get"}'),
    getCount: gauge('pii_gateway_store_request_duration_seconds_count{operation="get"}'),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Resident set size of a process, from /proc (Linux). */
async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

/** The p99 latency of the requests scheduled in each window of `seconds`, in order. */
function windowPercentiles(latencies: readonly number[], second: readonly number[], seconds: number): number[] {
  const windows: number[][] = [];
  latencies.forEach((latency, i) => (windows[Math.floor(second[i]! / seconds)] ??= []).push(latency));
  return [...windows].map((window = []) => percentile(window.sort((a, b) => a - b), 99));
}

/** The p-th percentile of values sorted ascending (NaN for none). */
function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** User + system CPU time of a process, all threads, in ms (Linux /proc, 100 ticks per second). */
async function cpuMsOf(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** CPU ms per thread (named by its tid and comm), to tell the event loop from the store's thread. */
async function threadCpuMs(pid: number): Promise<Map<string, number>> {
  const { readdir } = await import('node:fs/promises');
  const out = new Map<string, number>();
  for (const tid of await readdir(`/proc/${pid}/task`)) {
    const stat = await readFile(`/proc/${pid}/task/${tid}/stat`, 'utf8').catch(() => '');
    if (!stat) continue;
    const name = `${stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))}#${tid}`;
    const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
    out.set(name, (Number(fields[11]) + Number(fields[12])) * 10);
  }
  return out;
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

await main();
