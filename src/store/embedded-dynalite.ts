import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';

export interface EmbeddedDynalite {
  endpoint: string;
  /** The HTTP server itself, for tests that watch or fault the traffic. */
  server: ReturnType<typeof dynalite>;
  close(): Promise<void>;
}

/**
 * Starts dynalite, a DynamoDB-compatible server, inside this process on a loopback port.
 * With `path` it persists to LevelDB files there; without, it keeps everything in memory.
 */
export async function startEmbeddedDynalite(options: { path?: string; port?: number } = {}): Promise<EmbeddedDynalite> {
  if (options.path) await mkdir(options.path, { recursive: true });
  const server = dynalite({ ...(options.path ? { path: options.path } : {}), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections?.();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
