import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** `npm start` for real: src/main.ts in a child process, on a free port. */
export interface GatewayProcess {
  child: ChildProcess;
  url: string;
  logs: string[];
  stderr: string[];
}

const root = path.resolve(import.meta.dirname, '../..');

/** Temp directories that `removeTempDirs` deletes (call it in afterAll). */
const dirs: string[] = [];

export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'pii-gateway-'));
  dirs.push(dir);
  return dir;
}

export async function removeTempDirs(): Promise<void> {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
}

/** Spawns the gateway with only PATH and the given environment; does not wait for it. */
export function runGateway(env: Record<string, string>): { child: ChildProcess; logs: string[]; stderr: string[] } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const stderr: string[] = [];
  child.stdout!.on('data', (chunk: Buffer) => logs.push(...chunk.toString().split('\n').filter(Boolean)));
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  return { child, logs, stderr };
}

/** Spawns the gateway and waits for its "ready" log line. */
export async function startGateway(env: Record<string, string>): Promise<GatewayProcess> {
  const started = runGateway(env);
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const ready = started.logs.map((line) => JSON.parse(line)).find((line) => line.msg?.startsWith('PII gateway ready'));
    if (ready) return { ...started, url: ready.url };
    if (started.child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  started.child.kill('SIGKILL');
  throw new Error(`gateway did not start: ${started.stderr.join('')}`);
}

/** SIGTERM, and the exit code. */
export async function stopGateway(started: GatewayProcess): Promise<number | null> {
  started.child.kill('SIGTERM');
  const [code] = await once(started.child, 'exit');
  return code as number | null;
}
