/**
 * `npm run bench`: the gateway against its own baseline, measured in the same run because
 * these machines are noisy. Ratios are what to compare between runs; absolute figures move.
 *
 *   1. `{ patients(first: 1000) { name email phone } }` on plain Apollo (the same demo schema,
 *      resolvers and HTTP front, without @pii) vs the gateway with @pii, tokens already stored.
 *   2. The same query with a cold token cache over a store that already has the mappings.
 *   3. `anonymize` of a 20-field payload: values seen before, and values never seen before.
 *   4. Gateway mode: the same query through the gateway in front of the demo clinic served as
 *      a separate upstream process (src/demo/standalone-upstream.ts), vs straight to that upstream,
 *      with a bare JSON-rewriting proxy (bench/json-proxy.ts) as the reference for any proxy.
 *   5. A trivial query with a verified bearer JWT (ES256, development key) vs without a token.
 *   6. Detection speed: KB/s of free text scanned, patterns alone and with NER.
 *
 * BENCH_SECONDS (default 5) sets the length of each run, BENCH_ROUNDS (default 5) how many
 * alternating rounds of baseline and gateway are run for the two main comparisons; each ratio
 * (time per request, p99) is the median of its per-round ratios. Before those rounds, each of
 * their endpoints takes BENCH_WARMUP_SECONDS (default 5) of the same load, unrecorded.
 * `npm run bench` sets NODE_ENV=production, as deployments do: graphql-js's development-mode
 * checks otherwise dominate both sides.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { setTimeout as sleep } from 'node:timers/promises';
import { createApp } from '../src/app.js';
import { createAuthenticate } from '../src/auth/create-authenticate.js';
import { loadDevelopmentKey } from '../src/auth/development-key.js';
import { generateClinic } from '../src/demo/clinic-data.js';
import { clinicResolvers } from '../src/demo/clinic-resolvers.js';
import { createHttpServer, type GraphQLEndpoint } from '../src/http/http-server.js';
import { createLogger } from '../src/log.js';
import { serviceResolvers } from '../src/resolvers/service-resolvers.js';
import { loadTypeDefs } from '../src/schema-files.js';
import { createDynamoClient } from '../src/store/dynamo-client.js';
import { DynamoTokenStore } from '../src/store/dynamo-token-store.js';
import { startEmbeddedDynalite } from '../src/store/embedded-dynalite.js';
import { ensureTokenTable } from '../src/store/token-table.js';
import { clinicCorpus, customRecognizerSpeed, detectionSpeed, formatPasses } from './detection-speed.js';
import { formatTable, load, type LoadResult } from './http-load.js';
import { startJsonProxy } from './json-proxy.js';
import { formatStrategySpeed, strategySpeed } from './strategy-speed.js';
import { formatLatencyDuringScan, latencyDuringScan } from './detection-latency.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 5);
const connections = 8;
const QUERY = JSON.stringify({ query: '{ patients(first: 1000) { name email phone } }' });

async function listen<TContext extends BaseContext>(app: GraphQLEndpoint<TContext>): Promise<{ url: string; close(): Promise<void> }> {
  const server = createHttpServer(app, { maxBodyBytes: 5 * 1024 * 1024, logger: createLogger('silent') });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** src/demo/standalone-upstream.ts in a child process, as production runs it. */
async function startDemoUpstream(): Promise<{ url: string; close(): void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../src/demo/standalone-upstream.ts', import.meta.url))], {
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  return { url: line.toString().trim(), close: () => child.kill('SIGTERM') };
}

async function post(url: string, body: string): Promise<void> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const json = (await response.json()) as { errors?: unknown[] };
  if (json.errors) throw new Error(`warm-up failed: ${JSON.stringify(json.errors)}`);
}

function anonymizeBody(valueOf: (i: number) => string): string {
  const payload = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`field${i}`, valueOf(i)]));
  return JSON.stringify({
    query: 'mutation($p: JSON!, $f: [String!]) { anonymize(payload: $p, fields: $f) { tokenized } }',
    variables: { p: payload, f: Object.keys(payload) },
  });
}

/** The middle item by `valueOf`; of an even count, the upper of the two middle ones (the less flattering ratio). */
const middle = <T>(items: T[], valueOf: (item: T) => number): T => [...items].sort((a, b) => valueOf(a) - valueOf(b))[Math.floor(items.length / 2)]!;
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const half = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[half]! : (sorted[half - 1]! + sorted[half]!) / 2;
}
const p99Ratio = ([baseline, other]: [LoadResult, LoadResult]) => other.p99 / baseline.p99;
const perRound = (pairs: [LoadResult, LoadResult][], ratioOf: (pair: [LoadResult, LoadResult]) => number) => pairs.map((pair) => `${ratioOf(pair).toFixed(2)}x`).join(', ');

/** Below this share of the CPU stolen by the hypervisor, on both sides, a round counts as run on a quiet host. */
const QUIET_STEAL_PERCENT = 3;
/**
 * The medians over the rounds the host left alone, or nothing where steal cannot be read: a
 * round whose baseline lost CPU to the hypervisor flatters the ratio, one whose gateway did
 * darkens it.
 */
function quietRounds(pairs: [LoadResult, LoadResult][], timeRatio: (pair: [LoadResult, LoadResult]) => number): string {
  if (pairs.some(([a, b]) => a.hostStealPercent === undefined || b.hostStealPercent === undefined)) return '';
  const quiet = pairs.filter(([a, b]) => a.hostStealPercent! < QUIET_STEAL_PERCENT && b.hostStealPercent! < QUIET_STEAL_PERCENT);
  if (quiet.length === 0) return `; no round had under ${QUIET_STEAL_PERCENT}% host steal on both sides`;
  return (
    `; over the ${quiet.length} of ${pairs.length} rounds with under ${QUIET_STEAL_PERCENT}% host steal on both sides: ` +
    `time ${median(quiet.map(timeRatio)).toFixed(2)}x, p99 ${median(quiet.map(p99Ratio)).toFixed(2)}x`
  );
}

const ratio = (gateway: LoadResult, baseline: LoadResult) =>
  `server time per request ${(gateway.serverMsPerRequest / baseline.serverMsPerRequest).toFixed(2)}x, ` +
  `req/s ${(gateway.requestsPerSecond / baseline.requestsPerSecond).toFixed(2)}x (${baseline.requestsPerSecond.toFixed(1)} -> ${gateway.requestsPerSecond.toFixed(1)}), ` +
  `p99 ${p99Ratio([baseline, gateway]).toFixed(2)}x`;

async function main(): Promise<void> {
  const clinic = generateClinic();
  const dynalite = await startEmbeddedDynalite();
  const client = createDynamoClient({ region: 'us-east-1', endpoint: dynalite.endpoint, timeoutMs: 5000 });
  await ensureTokenTable(client, 'pii_tokens');
  const store = new DynamoTokenStore(client, 'pii_tokens');
  const logger = createLogger('silent');
  const config = { production: false, tokenPrefix: 'tok', tokenCacheSize: 100_000, devTenant: 'bench', upstream: undefined };
  const masterKey = randomBytes(32);

  // The baseline is the gateway minus @pii: same schema, resolvers, HTTP front and Apollo
  // settings (cache hints off, as in the gateway), so the ratio is the cost of @pii alone.
  const plainApollo = new ApolloServer({
    schema: makeExecutableSchema({ typeDefs: Object.values(loadTypeDefs()), resolvers: [serviceResolvers, clinicResolvers(clinic)] }),
    plugins: [ApolloServerPluginCacheControlDisabled()],
  });
  await plainApollo.start();
  const plain = await listen({ apollo: plainApollo, createContext: async () => ({}) });
  const gatewayApp = await createApp({ config, masterKey, store, logger, clinic });
  const gateway = await listen(gatewayApp);
  // Same key and store, empty cache: every value is already stored, none is cached.
  const coldApp = await createApp({ config: { ...config, tokenCacheSize: 0 }, masterKey, store, logger, clinic });
  const cold = await listen(coldApp);

  const upstream = await startDemoUpstream();
  const proxyApp = await createApp({
    config: {
      ...config,
      upstream: {
        url: upstream.url,
        // The demo SDL carries the @pii annotations, so no annotations file is needed.
        sdlFile: fileURLToPath(new URL('../schema/demo.graphql', import.meta.url)),
        headers: {},
        forwardHeaders: [],
        timeoutMs: 10_000,
        annotationsFile: undefined,
        annotationsFileRequired: false,
        errorMessages: 'hide',
      },
    },
    masterKey,
    store,
    logger,
  });
  const proxy = await listen(proxyApp);
  const jsonProxy = await startJsonProxy(upstream.url);
  // Development-mode authentication: no token is the development identity; a token is verified.
  const authDir = await mkdtemp(path.join(tmpdir(), 'pii-bench-auth-'));
  const devKey = await loadDevelopmentKey(authDir);
  const authApp = await createApp({
    config,
    masterKey,
    store,
    logger,
    clinic,
    authenticate: await createAuthenticate({ kind: 'development', claims: { tenant: 'tenant', subject: 'sub', scope: 'scope' } }, authDir, 'bench'),
  });
  const authServer = await listen(authApp);
  const bearer = await devKey.sign({ tenant: 'bench', scope: 'pii:anonymize' }, { subject: 'bench', expiresIn: '1h' });
  const TRIVIAL = JSON.stringify({ query: '{ patient(id: "p1") { id name } }' });

  await post(gateway.url, QUERY);
  await post(plain.url, QUERY);
  await post(proxy.url, QUERY);
  await post(upstream.url, QUERY);
  const seenBody = anonymizeBody((i) => `person${i}@example.com`);
  await post(gateway.url, seenBody);

  const results: LoadResult[] = [];
  const run = async (name: string, url: string, body: string, freshIds = false, headers: Record<string, string> = {}) => {
    const result = await load({ name, url, body, seconds, connections, freshIds, headers });
    results.push(result);
    process.stderr.write(`  ${name}: ${result.requestsPerSecond.toFixed(1)} req/s, p99 ${result.p99} ms\n`);
    return result;
  };
  // A server's first seconds under load run code V8 has not compiled yet: in gateway mode the
  // first 5 s took 1.3x the main thread's CPU per request of the rounds after 15 s. Servers run
  // warm, so the rounds measure them warm, both sides alike.
  const warmUp = async (...urls: string[]) => {
    for (const url of urls) if (warmupSeconds > 0) await load({ name: 'warm-up', url, body: QUERY, seconds: warmupSeconds, connections });
  };
  process.stderr.write(`bench: ${seconds}s per scenario, ${connections} connections, ${rounds} rounds, node ${process.version}\n`);
  await warmUp(plain.url, gateway.url);
  // Baseline and gateway alternate over several rounds and each ratio is the median of the
  // rounds' ratios, so a slow moment of the machine or the order of the runs does not decide it.
  // A p99 of one 5-s round rests on its dozen slowest requests: the median round by time can
  // be the one whose p99 a single stall decided, so the p99 ratio takes its own median.
  const pairs: [LoadResult, LoadResult][] = [];
  for (let round = 1; round <= rounds; round++) {
    pairs.push([
      await run(`1000 rows x 3 fields, plain Apollo (no @pii), round ${round}`, plain.url, QUERY),
      await run(`1000 rows x 3 fields, gateway @pii (tokens cached), round ${round}`, gateway.url, QUERY),
    ]);
  }
  const serverRatio = ([baseline, withPii]: [LoadResult, LoadResult]) => withPii.serverMsPerRequest / baseline.serverMsPerRequest;
  const [baseline, withPii] = middle(pairs, serverRatio);
  const uncached = await run('1000 rows x 3 fields, gateway @pii (token cache off: 3000 HMACs + re-writes)', cold.url, QUERY);
  const anonSeen = await run('anonymize 20 fields, values seen before', gateway.url, seenBody);
  const anonFresh = await run('anonymize 20 fields, all values new', gateway.url, anonymizeBody((i) => `p${i}-[<id>]@example.com`), true);
  await warmUp(upstream.url, jsonProxy.url, proxy.url);
  const proxyPairs: [LoadResult, LoadResult][] = [];
  const bareProxyPairs: [LoadResult, LoadResult][] = [];
  for (let round = 1; round <= rounds; round++) {
    const direct = await run(`1000 rows x 3 fields, upstream process alone, round ${round}`, upstream.url, QUERY);
    bareProxyPairs.push([direct, await run(`1000 rows x 3 fields, bare JSON proxy in front of it (reference), round ${round}`, jsonProxy.url, QUERY)]);
    proxyPairs.push([direct, await run(`1000 rows x 3 fields, gateway @pii in front of it, round ${round}`, proxy.url, QUERY)]);
  }
  const anonymous = await run('trivial query, no token', authServer.url, TRIVIAL);
  const authenticated = await run('trivial query, verified bearer JWT (ES256)', authServer.url, TRIVIAL, false, { authorization: `Bearer ${bearer}` });
  const rpsRatio = ([direct, viaGateway]: [LoadResult, LoadResult]) => direct.requestsPerSecond / viaGateway.requestsPerSecond;
  const [direct, viaGateway] = middle(proxyPairs, rpsRatio);

  const corpus = clinicCorpus(clinic, 1024 * 1024);
  const speed = await detectionSpeed(corpus);
  const custom = customRecognizerSpeed(corpus);
  const strategies = strategySpeed();
  const duringScan = await latencyDuringScan(store, clinic);
  console.log(`\n## npm run bench (${new Date().toISOString()}, node ${process.version}, ${seconds}s per scenario, ${connections} connections, ${rounds} rounds)\n`);
  console.log(formatTable(results));
  console.log(`\n@pii query vs plain Apollo, per round: server time per request ${perRound(pairs, serverRatio)}; p99 ${perRound(pairs, p99Ratio)}`);
  console.log(
    `@pii query vs plain Apollo, median of the rounds: server time per request ${median(pairs.map(serverRatio)).toFixed(2)}x, p99 ${median(pairs.map(p99Ratio)).toFixed(2)}x; ` +
      `the median round by server time: ${ratio(withPii, baseline)}${quietRounds(pairs, serverRatio)}`,
  );
  console.log(`@pii query with cache off vs plain Apollo: ${ratio(uncached, baseline)}`);
  console.log(`anonymize, new values vs seen values: ${ratio(anonFresh, anonSeen)}`);
  console.log(
    `trivial query with a verified JWT vs without a token: ${(authenticated.requestsPerSecond / anonymous.requestsPerSecond).toFixed(2)} of the req/s ` +
      `(${anonymous.requestsPerSecond.toFixed(1)} -> ${authenticated.requestsPerSecond.toFixed(1)}), p99 ${anonymous.p99} -> ${authenticated.p99} ms`,
  );
  console.log(
    `detection over a ${speed.kb.toFixed(0)} KB mixed corpus, one thread, ${speed.withNer.length} passes after 2 s of warm-up: patterns ${formatPasses(speed.patterns)}; ` +
      `patterns + compromise NER ${formatPasses(speed.withNer)}`,
  );
  console.log(
    `three custom recognizers over the same corpus: RE2JS (linear time) ${custom.re2KBps.toFixed(0)} KB/s, the same patterns as RegExp ` +
      `${custom.regExpKBps.toFixed(0)} KB/s (RE2JS takes ${(custom.regExpKBps / custom.re2KBps).toFixed(1)}x the time)`,
  );
  console.log(
    `gateway in front of the upstream vs the upstream alone, per round: time per request (from req/s) ${perRound(proxyPairs, rpsRatio)}; p99 ${perRound(proxyPairs, p99Ratio)}`,
  );
  console.log(
    `gateway in front of the upstream vs the upstream alone, median of the rounds: ${median(proxyPairs.map(rpsRatio)).toFixed(2)}x the time per request, ` +
      `p99 ${median(proxyPairs.map(p99Ratio)).toFixed(2)}x; the median round by time: req/s ${direct.requestsPerSecond.toFixed(1)} -> ${viaGateway.requestsPerSecond.toFixed(1)}, ` +
      `p99 ${direct.p99} -> ${viaGateway.p99} ms (${p99Ratio([direct, viaGateway]).toFixed(2)}x)${quietRounds(proxyPairs, rpsRatio)}`,
  );
  console.log(
    `bare JSON proxy (parse + stringify, no GraphQL) vs the upstream alone, per round: ${perRound(bareProxyPairs, rpsRatio)}; ` +
      `its event loop ${bareProxyPairs.map(([, bare]) => bare.serverMsPerRequest.toFixed(2)).join(', ')} ms per request, the gateway's ${proxyPairs.map(([, gateway]) => gateway.serverMsPerRequest.toFixed(2)).join(', ')}`,
  );

  console.log(`\n${formatStrategySpeed(strategies)}`);
  console.log(`\n${formatLatencyDuringScan(duringScan)}`);

  await Promise.all([plain.close(), gateway.close(), cold.close(), proxy.close(), authServer.close(), jsonProxy.close()]);
  upstream.close();
  await sleep(1000); // writes of requests cut off by the end of a run finish before the store closes
  await Promise.all([plainApollo.stop(), gatewayApp.stop(), coldApp.stop(), proxyApp.stop(), authApp.stop()]);
  client.destroy();
  await dynalite.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
