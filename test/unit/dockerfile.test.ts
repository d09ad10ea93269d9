import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';

/** No Docker engine runs here: these pin the assumptions the Dockerfile makes about the project. */
const root = path.resolve(import.meta.dirname, '../..');
const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const buildConfig = JSON.parse(readFileSync(path.join(root, 'tsconfig.build.json'), 'utf8'));

describe('Dockerfile', () => {
  it('runs what `npm run build` produces', () => {
    expect(dockerfile).toContain('RUN npm run build');
    expect(pkg.scripts.build).toContain('tsconfig.build.json');
    expect(buildConfig.compilerOptions).toMatchObject({ rootDir: 'src', outDir: 'dist' });
    expect(existsSync(path.join(root, 'src/main.ts'))).toBe(true);
    expect(dockerfile).toMatch(/CMD \["node", "dist\/main\.js"\]/);
    expect(pkg.scripts.serve).toBe('node dist/main.js');
  });

  it('exposes the port the gateway listens on and checks the health route', () => {
    const port = dockerfile.match(/PORT=(\d+)/)?.[1];
    expect(dockerfile).toContain(`EXPOSE ${port}`);
    expect(dockerfile).toContain(`http://127.0.0.1:${port}/healthz`);
    expect(loadConfig({ PORT: port, PII_MASTER_KEY: Buffer.alloc(32).toString('base64'), NODE_ENV: 'production', AUTH_JWKS_URL: 'https://id.example.com/jwks' }).port).toBe(Number(port));
  });

  it('runs as a non-root user on a Node LTS image, with the SDL the gateway reads at start', () => {
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^FROM node:(\d*[02468])-slim AS runtime$/m);
    expect(dockerfile).toContain('COPY schema ./schema');
    expect(dockerfile).toContain('npm ci --omit=dev');
  });
});
