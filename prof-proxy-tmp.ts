import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { createApp } from './src/app.js';
import { createLogger } from './src/log.js';
import { createDynamoClient } from './src/store/dynamo-client.js';
import { DynamoTokenStore } from './src/store/dynamo-token-store.js';
import { startEmbeddedDynalite } from './src/store/embedded-dynalite.js';
import { ensureTokenTable } from './src/store/token-table.js';
const child = spawn(process.execPath, ['--import', 'tsx', 'bench/demo-upstream-server.ts'], { env: { ...process.env }, stdio: ['ignore', 'pipe', 'inherit'] });
const [line] = (await once(child.stdout!, 'data')) as [Buffer];
const url = line.toString().trim();
const dynalite = await startEmbeddedDynalite();
const client = createDynamoClient({ region: 'us-east-1', endpoint: dynalite.endpoint, timeoutMs: 5000 });
await ensureTokenTable(client, 'tokens');
const app = await createApp({ config: { production: false, tokenPrefix: 'tok', tokenCacheSize: 100000, devTenant: 'b', upstream: { url, sdlFile: fileURLToPath(new URL('./schema/demo.graphql', import.meta.url)), headers: {}, forwardHeaders: [], timeoutMs: 10000, annotationsFile: undefined, annotationsFileRequired: false, errorMessages: 'hide' } }, masterKey: randomBytes(32), store: new DynamoTokenStore(client, 'tokens'), logger: createLogger('silent') });
const query = '{ patients(first: 1000) { name email phone } }';
const headers = new Map<string, string>();
async function run() { const ctx = await app.createContext(headers); const r = await app.apollo.executeOperation({ query }, { contextValue: ctx }); if (r.body.kind === 'single' && r.body.singleResult.errors) throw new Error(JSON.stringify(r.body.singleResult.errors)); JSON.stringify(r.body); }
await run();
for (let k = 0; k < 8; k++) { const t0 = performance.now(); for (let i = 0; i < 100; i++) await run(); console.log('proxy', ((performance.now() - t0) / 100).toFixed(2), 'ms/op'); }
async function direct() { const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) }); await r.json(); }
for (let k = 0; k < 3; k++) { const t0 = performance.now(); for (let i = 0; i < 100; i++) await direct(); console.log('direct', ((performance.now() - t0) / 100).toFixed(2), 'ms/op'); }
for (let k = 0; k < 2; k++) { const t0 = performance.now(); for (let i = 0; i < 100; i++) await run(); console.log('proxy', ((performance.now() - t0) / 100).toFixed(2), 'ms/op'); }
child.kill(); process.exit(0);
