import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';
import { Level } from 'level';
import { tuneDynalite } from './dynalite-tuning.js';
import { EmbeddedStoreInUseError, EmbeddedStoreUnreadableError } from './embedded-store-errors.js';

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
  if (options.path) {
    await mkdir(options.path, { recursive: true });
    await checkFilesFree(options.path);
  }
  tuneDynalite();
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

/**
 * dynalite opens its LevelDB only at the first request, and when another process holds the
 * files, or they cannot be read, that fails as an uncaught "Database is closed" in the store's
 * thread, then as "connection refused" at startup: no hint of the cause. Opening (and closing)
 * the files here first turns that into an error saying what to do.
 */
async function checkFilesFree(path: string): Promise<void> {
  const probe = new Level(path);
  try {
    await probe.open();
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    if (cause?.code === 'LEVEL_LOCKED') throw new EmbeddedStoreInUseError(path);
    throw new EmbeddedStoreUnreadableError(path, cause?.message ?? (error as Error).message);
  } finally {
    await probe.close();
  }
}
