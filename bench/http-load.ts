import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { hostCpu, hostShares } from './host-cpu.js';

export interface LoadResult {
  name: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  /**
   * Milliseconds the server's event loop was busy per request: the server's own cost, which
   * does not depend on how fast the load generator reads responses.
   */
  serverMsPerRequest: number;
  /**
   * The share (%) of the host's CPU time the hypervisor took away during the scenario (Linux's
   * "steal"), undefined where it cannot be read: a round with a few % is a round on a busy host,
   * and its figures are slower for that reason alone.
   */
  hostStealPercent: number | undefined;
}

export interface LoadOptions {
  name: string;
  url: string;
  body: string;
  seconds: number;
  connections: number;
  /** Replace `[<id>]` in the body with a fresh id per request (values never seen before). */
  freshIds?: boolean;
  headers?: Record<string, string>;
}

/** Drives one endpoint with autocannon for a fixed time and keeps the figures that matter. */
export async function load(options: LoadOptions): Promise<LoadResult> {
  const before = performance.eventLoopUtilization();
  const hostBefore = await hostCpu();
  const result = await autocannon({
    url: options.url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...options.headers },
    body: options.body,
    duration: options.seconds,
    connections: options.connections,
    idReplacement: options.freshIds ?? false,
    // The client in a worker thread: it reads responses on the other core instead of taking
    // CPU from the server under test (bigger token responses would otherwise cost it twice).
    workers: 1,
  });
  const busy = performance.eventLoopUtilization(before);
  const hostAfter = await hostCpu();
  return {
    name: options.name,
    serverMsPerRequest: busy.active / Math.max(1, result.requests.total),
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    hostStealPercent: hostBefore && hostAfter ? hostShares(hostBefore, hostAfter).steal * 100 : undefined,
  };
}

export function formatTable(rows: LoadResult[]): string {
  const header = ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'server ms/req', 'errors', 'non-2xx', 'host steal %'];
  const lines = rows.map((r) => [
    r.name,
    r.requestsPerSecond.toFixed(1),
    r.p50.toFixed(1),
    r.p99.toFixed(1),
    r.serverMsPerRequest.toFixed(3),
    String(r.errors),
    String(r.non2xx),
    r.hostStealPercent === undefined ? '-' : r.hostStealPercent.toFixed(1),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const row = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [row(header), row(widths.map((w) => '-'.repeat(w))), ...lines.map(row)].join('\n');
}
