import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { decodeKey, MasterKeyError, MasterKeyRing, parseMasterKeyRing } from './master-key-ring.js';

export interface MasterKeySource {
  ring: MasterKeyRing;
  /** Where the keys came from, for the startup log line; never a key itself. */
  origin: 'environment' | 'key-ring' | 'data-dir' | 'generated';
  file?: string;
}

/** The settings that can hold master keys: at most one of them is set (the config checks). */
export interface MasterKeySettings {
  /** PII_MASTER_KEY: one key. */
  masterKey?: string | undefined;
  /** PII_MASTER_KEYS: a ring of `id:base64` keys, oldest first. */
  masterKeys?: string | undefined;
}

/**
 * The master keys from PII_MASTER_KEYS or PII_MASTER_KEY, or in development the one kept in
 * `<dataDir>/master.key`, generated there on first start. Tokens depend on it: losing the file
 * makes every stored mapping unreadable, which is why production requires it from the
 * environment.
 */
export async function loadMasterKeys(settings: MasterKeySettings, dataDir: string, options: { generate?: boolean } = {}): Promise<MasterKeySource> {
  if (settings.masterKeys !== undefined) return { ring: parseMasterKeyRing(settings.masterKeys), origin: 'key-ring' };
  if (settings.masterKey !== undefined) return { ring: MasterKeyRing.single(decodeKey(settings.masterKey, 'PII_MASTER_KEY')), origin: 'environment' };
  const file = path.join(dataDir, 'master.key');
  try {
    return { ring: MasterKeyRing.single(decodeKey((await readFile(file, 'utf8')).trim(), file)), origin: 'data-dir', file };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    if (options.generate === false) throw new MasterKeyError(`no master key: set PII_MASTER_KEYS or PII_MASTER_KEY (or keep ${file})`);
  }
  const key = randomBytes(32);
  await mkdir(dataDir, { recursive: true });
  try {
    // 'wx' so two processes starting at once cannot overwrite each other's key.
    await writeFile(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadMasterKeys({}, dataDir);
    throw error;
  }
  return { ring: MasterKeyRing.single(key), origin: 'generated', file };
}
