import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The least a proxy that rewrites JSON responses must do, as a reference for the gateway in
 * front of an upstream: forward the request body, read the upstream's whole response, parse it,
 * serialize it again, write it. No GraphQL, no tokens. On this 2-core machine, with the upstream
 * and the load generator on the same cores, the gap between this and the upstream alone is the
 * price of any such proxy; the gap between this and the gateway is the gateway's own work.
 */
export async function startJsonProxy(upstreamUrl: string): Promise<{ url: string; close(): Promise<void> }> {
  const upstream = new URL(upstreamUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const forwarded = http.request(
        { host: upstream.hostname, port: upstream.port, path: upstream.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json' } },
        (answer) => {
          const body: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => body.push(chunk));
          answer.on('end', () => {
            response.setHeader('content-type', 'application/json');
            response.end(JSON.stringify(JSON.parse(Buffer.concat(body).toString('utf8'))));
          });
        },
      );
      forwarded.on('error', () => {
        response.statusCode = 502;
        response.end();
      });
      forwarded.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        agent.destroy();
        server.close(() => resolve());
      }),
  };
}
