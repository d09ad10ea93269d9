import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { generateClinic } from '../../src/demo/clinic-data.js';

const require = createRequire(import.meta.url);

export interface Upstream {
  url: string;
  process: ChildProcess;
  /** A query straight to the upstream, bypassing the gateway: what the upstream really holds. */
  query(query: string, variables?: Record<string, unknown>): Promise<any>;
  close(): Promise<void>;
}

/** The json-graphql-server data the tests serve: seeded clinic patients and doctors. */
export function clinicData(patients = 50) {
  const clinic = generateClinic(patients);
  const doctors = clinic.doctors.map((d, i) => ({ id: i + 1, name: d.name }));
  return {
    doctors,
    patients: clinic.patients.map((p, i) => ({ id: i + 1, name: p.name, email: p.email, phone: p.phone, age: 20 + (i % 60), doctor_id: (i % doctors.length) + 1 })),
  };
}

export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/**
 * A real GraphQL server this project did not write (json-graphql-server), in its own process
 * on a loopback port (a free one unless given), serving `data`.
 */
export async function startJsonGraphqlServer(data: unknown = clinicData(), port?: number): Promise<Upstream> {
  const dir = await mkdtemp(path.join(tmpdir(), 'pii-upstream-'));
  const file = path.join(dir, 'data.json');
  await writeFile(file, JSON.stringify(data));
  port ??= await freePort();
  // The package's exports hide its CLI; it sits two levels above its main file.
  const bin = path.resolve(path.dirname(require.resolve('json-graphql-server')), '../bin/json-graphql-server.cjs');
  const child = spawn(process.execPath, [bin, file, '--port', String(port), '--host', '127.0.0.1'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const url = `http://127.0.0.1:${port}/`;
  const query = async (query: string, variables?: Record<string, unknown>): Promise<any> => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
    return response.json();
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      if ((await query('{ __typename }')).data) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) throw new Error('json-graphql-server did not start');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    process: child,
    query,
    async close() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The demo clinic as its own upstream process (src/demo/standalone-upstream.ts): it has interfaces. */
export async function startDemoUpstream(): Promise<{ url: string; close(): Promise<void> }> {
  const script = path.resolve(import.meta.dirname, '../../src/demo/standalone-upstream.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  return {
    url: line.toString().trim(),
    async close() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
    },
  };
}
