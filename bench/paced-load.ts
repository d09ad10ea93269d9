import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

export interface PacedRequest {
  /** A label to report by (the operation). */
  op: string;
  body: string;
}

export interface PacedResult {
  /** Milliseconds from each request's scheduled start to its last response byte. */
  latencies: number[];
  /** Per latency (same order), the second of the run its request was scheduled in. */
  scheduledSecond: number[];
  byOp: Map<string, { count: number; errors: number; latencies: number[]; scheduledSecond: number[] }>;
  transportErrors: number;
  /** Transport errors by their code (ECONNRESET, EPIPE ...), to tell their causes apart. */
  transportErrorCodes: Map<string, number>;
  sent: number;
  seconds: number;
}

/**
 * An open-loop load generator: requests start on a fixed schedule (`rate` per second, evenly
 * spaced) over a pool of keep-alive connections, whatever the server's speed, and each latency
 * is measured from the request's scheduled start, so time spent queued for a connection counts
 * (no coordinated omission). autocannon's rate limit instead sends each connection's quota as
 * fast as it can at the start of every second, which measures a burst, not a rate.
 */
export async function pacedLoad(options: {
  url: string;
  rate: number;
  seconds: number;
  connections: number;
  next: () => PacedRequest;
}): Promise<PacedResult> {
  const target = new URL(options.url);
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const result: PacedResult = { latencies: [], scheduledSecond: [], byOp: new Map(), transportErrors: 0, transportErrorCodes: new Map(), sent: 0, seconds: options.seconds };
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();
  const total = Math.round(options.rate * options.seconds);

  const send = (scheduled: number) => {
    const { op, body } = options.next();
    const done = new Promise<void>((resolve) => {
      const finish = (status: number, text: string) => {
        const latency = performance.now() - scheduled;
        const second = Math.floor((scheduled - started) / 1000);
        const entry = result.byOp.get(op) ?? { count: 0, errors: 0, latencies: [], scheduledSecond: [] };
        entry.count++;
        entry.latencies.push(latency);
        entry.scheduledSecond.push(second);
        if (status !== 200 || text.includes('"errors"')) entry.errors++;
        result.byOp.set(op, entry);
        result.latencies.push(latency);
        result.scheduledSecond.push(second);
        resolve();
      };
      const req = request(
        { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => finish(res.statusCode ?? 0, Buffer.concat(chunks).toString()));
          res.on('error', (error: NodeJS.ErrnoException) => {
            countTransportError(result, error, 'response');
            resolve();
          });
        },
      );
      req.on('error', (error: NodeJS.ErrnoException) => {
        // Whether the socket had served requests before tells a keep-alive reuse race from a refused connection.
        countTransportError(result, error, req.reusedSocket ? 'reused socket' : 'new socket');
        resolve();
      });
      req.end(body);
    });
    inFlight.add(done);
    void done.then(() => inFlight.delete(done));
  };

  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      const due = Math.min(total, Math.floor(((now - started) / 1000) * options.rate));
      while (result.sent < due) send(started + (result.sent++ * 1000) / options.rate);
      if (result.sent >= total) resolve();
      else setTimeout(tick, 1);
    };
    tick();
  });
  await Promise.all(inFlight);
  agent.destroy();
  return result;
}

function countTransportError(result: PacedResult, error: NodeJS.ErrnoException, where: string): void {
  result.transportErrors++;
  const key = `${error.code ?? error.name} (${where})`;
  result.transportErrorCodes.set(key, (result.transportErrorCodes.get(key) ?? 0) + 1);
}
