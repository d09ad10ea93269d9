import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * What the proxy does to the DynamoDB traffic passing through it:
 * - `slow`: every request waits `delayMs` first;
 * - `throttle`: half the requests get DynamoDB's ProvisionedThroughputExceededException (400);
 * - `unprocessed`: batch requests carry out only half their items and hand the rest back as
 *   UnprocessedItems / UnprocessedKeys, as DynamoDB does under load;
 * - `failing`: every connection is reset;
 * - `flapping`: failing and healthy in turns of `flapMs`.
 */
export type StoreFault = 'none' | 'slow' | 'throttle' | 'unprocessed' | 'failing' | 'flapping';

export interface DynamoFaultProxy {
  endpoint: string;
  fault: StoreFault;
  delayMs: number;
  flapMs: number;
  /** Requests that reached the proxy, by DynamoDB operation. */
  seen: Map<string, number>;
  total(): number;
  close(): Promise<void>;
}

/**
 * A fault-injecting HTTP proxy in front of a real DynamoDB-compatible store (dynalite): the
 * gateway's real DynamoDB client, with its own retries, talks to it over loopback.
 */
export async function startDynamoFaultProxy(target: string): Promise<DynamoFaultProxy> {
  const upstream = new URL(target);
  let throttleTurn = 0;
  const proxy: DynamoFaultProxy = {
    endpoint: '',
    fault: 'none',
    delayMs: 200,
    flapMs: 150,
    seen: new Map(),
    total: () => [...proxy.seen.values()].reduce((a, b) => a + b, 0),
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };

  const server = createServer(async (req, res) => {
    const body = await readAll(req);
    const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? 'unknown';
    proxy.seen.set(operation, (proxy.seen.get(operation) ?? 0) + 1);
    const fault = proxy.fault === 'flapping' ? (Math.floor(Date.now() / proxy.flapMs) % 2 === 0 ? 'failing' : 'none') : proxy.fault;
    if (fault === 'failing') {
      req.socket.destroy();
      return;
    }
    if (fault === 'slow') await sleep(proxy.delayMs);
    if (fault === 'throttle' && throttleTurn++ % 2 === 0) {
      reply(res, 400, { __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException', message: 'injected throttling' });
      return;
    }
    if (fault === 'unprocessed' && (operation === 'BatchWriteItem' || operation === 'BatchGetItem')) {
      const { forwarded, leftOver } = halve(operation, JSON.parse(body.toString()));
      const answer = JSON.parse((await forward(req, Buffer.from(JSON.stringify(forwarded)))).body.toString());
      reply(res, 200, { ...answer, ...leftOver });
      return;
    }
    const answer = await forward(req, body);
    res.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.0' });
    res.end(answer.body);
  });

  function forward(req: IncomingMessage, body: Buffer): Promise<{ status: number; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const headers = { ...req.headers, host: upstream.host, 'content-length': String(body.length) };
      const out = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers }, async (answer) => {
        resolve({ status: answer.statusCode ?? 500, body: await readAll(answer) });
      });
      out.on('error', reject);
      out.end(body);
    });
  }

  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  proxy.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}

/** Splits a batch: the first half goes to the store, the second comes back unprocessed. */
function halve(operation: string, input: { RequestItems: Record<string, any> }) {
  const [table, work] = Object.entries(input.RequestItems)[0]!;
  if (operation === 'BatchWriteItem') {
    const cut = Math.ceil(work.length / 2);
    return {
      forwarded: { ...input, RequestItems: { [table]: work.slice(0, cut) } },
      leftOver: work.length > cut ? { UnprocessedItems: { [table]: work.slice(cut) } } : { UnprocessedItems: {} },
    };
  }
  const cut = Math.ceil(work.Keys.length / 2);
  return {
    forwarded: { ...input, RequestItems: { [table]: { ...work, Keys: work.Keys.slice(0, cut) } } },
    leftOver: work.Keys.length > cut ? { UnprocessedKeys: { [table]: { ...work, Keys: work.Keys.slice(cut) } } } : { UnprocessedKeys: {} },
  };
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
  res.end(JSON.stringify(body));
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
