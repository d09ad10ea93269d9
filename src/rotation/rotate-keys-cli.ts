/**
 * `npm run rotate-keys [-- --state FILE --page-size 100]`: re-encrypts every stored original
 * under the current (last) key of PII_MASTER_KEYS and its tenant's secret, with the gateway's
 * own configuration. Logs a progress line per page and saves where it is to the state file, so a
 * run that is stopped (Ctrl-C, SIGTERM, a store outage) resumes there when started again.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.js';
import { createLogger, syncStdout } from '../log.js';
import { isEmbeddedStoreError, isEmbeddedStoreInUse } from '../store/embedded-store-errors.js';
import { connectTokenStore } from '../store/open-token-store.js';
import { StoreUnavailableError } from '../store/token-store.js';
import { MasterKeyError } from '../tokens/master-key-ring.js';
import { loadMasterKeys } from '../tokens/master-key.js';
import { OriginalCipher } from '../tokens/original-cipher.js';
import { TenantKeyring } from '../tokens/tenant-keys.js';
import { TenantSecrets } from '../vault/tenant-secrets.js';
import { rotateKeys, type RotationState } from './rotate-keys.js';

const logger = createLogger(process.env.LOG_LEVEL ?? 'info', syncStdout());

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { state: { type: 'string' }, 'page-size': { type: 'string', default: '100' } } });
  const pageSize = Number(values['page-size']);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) throw new ConfigError('--page-size must be a whole number from 1 to 1000');
  const config = loadConfig();
  const stateFile = path.resolve(values.state ?? path.join(config.dataDir, 'rotate-keys.state.json'));
  // Never a new development key: there would be nothing for it to rotate.
  const { ring } = await loadMasterKeys(config, config.dataDir, { generate: false });
  const resume = await readState(stateFile);
  const store = await connectTokenStore(config.store, config.dataDir, config.storeResilience.deadlineMs, logger).catch((error: unknown) => {
    // The embedded store's files are held by the one process using them.
    if (isEmbeddedStoreInUse(error)) throw new ConfigError(`could not open the embedded store in ${path.join(config.dataDir, 'dynamo')}: stop the gateway that uses it (npm start) and run again`);
    if (isEmbeddedStoreError(error)) throw new ConfigError(error.message);
    throw error;
  });
  const stop = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop.abort());
  const resuming = resume?.targetKey === ring.current.id && !resume.done;
  logger.info({ store: store.description, targetKey: ring.current.id, keys: ring.ids, stateFile, ...(resuming ? { resumingAfter: resume.scanned } : {}) }, resuming ? 'resuming key rotation' : 'key rotation started');
  try {
    const state = await rotateKeys({
      store: store.dynamo,
      cipher: new OriginalCipher(new TenantKeyring(ring)),
      // Created where a tenant has none; compare-and-swap keeps it consistent with running gateways.
      secrets: new TenantSecrets(store.dynamo, config.tenantKeyCacheMaxAge * 1000),
      resume,
      pageSize,
      signal: stop.signal,
      onPage: async (progress) => {
        await writeState(stateFile, progress);
        logger.info(counts(progress), 'key rotation progress');
      },
    });
    if (!state.done) {
      logger.warn(counts(state), 'key rotation stopped; run it again to resume');
      return 130;
    }
    const unreadable = Object.values(state.unreadable).reduce((a, b) => a + b, 0);
    if (unreadable > 0) logger.warn({ unreadable: state.unreadable }, 'some mappings are sealed under keys not in the ring (or damaged) and were left as they are');
    logger.info(counts(state), `key rotation done: every readable mapping is under key "${state.targetKey}"`);
    return 0;
  } finally {
    await store.close();
  }
}

function counts(state: RotationState) {
  const { targetKey, scanned, reencrypted, current, changedMeanwhile, expired, unreadable } = state;
  return { targetKey, scanned, reencrypted, current, changedMeanwhile, expired, unreadable };
}

async function readState(file: string): Promise<RotationState | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as RotationState;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError(`the state file ${file} is not readable JSON; delete it to start over`);
  }
}

/** Written aside and renamed, so a crash mid-write never leaves half a state. */
async function writeState(file: string, state: RotationState): Promise<void> {
  await writeFile(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  await rename(`${file}.tmp`, file);
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    // Only messages written by this project are printed; others could carry store data.
    const setup = error instanceof ConfigError || error instanceof MasterKeyError;
    const message = setup ? error.message : `${error instanceof StoreUnavailableError ? error.message : 'key rotation failed'}; run it again to resume`;
    logger.error({ error: error.name }, message);
    process.exit(1);
  },
);
