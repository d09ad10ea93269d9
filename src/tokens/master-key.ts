import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface MasterKeySource {
  key: Buffer;
  /** Where the key came from, for the startup log line; never the key itself. */
  origin: 'environment' | 'data-dir' | 'generated';
  file?: string;
}

export class MasterKeyError extends Error {
  override name = 'MasterKeyError';
}

/**
 * The master key from PII_MASTER_KEY, or in development the one kept in `<dataDir>/master.key`,
 * generated there on first start. Tokens depend on it: losing the file makes every stored
 * mapping unreadable, which is why production requires it from the environment.
 */
export async function loadMasterKey(fromEnv: string | undefined, dataDir: string): Promise<MasterKeySource> {
  if (fromEnv !== undefined) return { key: decode(fromEnv, 'PII_MASTER_KEY'), origin: 'environment' };
  const file = path.join(dataDir, 'master.key');
  try {
    return { key: decode((await readFile(file, 'utf8')).trim(), file), origin: 'data-dir', file };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = randomBytes(32);
  await mkdir(dataDir, { recursive: true });
  try {
    // 'wx' so two processes starting at once cannot overwrite each other's key.
    await writeFile(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadMasterKey(undefined, dataDir);
    throw error;
  }
  return { key, origin: 'generated', file };
}

function decode(base64: string, where: string): Buffer {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== 32 || key.toString('base64') !== base64.replace(/\s/g, '')) {
    throw new MasterKeyError(`${where} must hold base64 of exactly 32 bytes`);
  }
  return key;
}
