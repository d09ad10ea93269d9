import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { ConfigError } from './config.js';

/**
 * Makes DATA_DIR ready for what development keeps there (the master key, the signing key, the
 * embedded store's files), or says what is wrong with it in the words of the setting. Without
 * this, a DATA_DIR that names a file or a directory this process may not write failed later, at
 * whichever file came first, with Node's bare error ("EEXIST: file already exists, mkdir …").
 */
export async function prepareDataDir(dataDir: string): Promise<void> {
  try {
    await mkdir(dataDir, { recursive: true });
    await access(dataDir, constants.R_OK | constants.W_OK | constants.X_OK);
  } catch (error) {
    throw new ConfigError(`DATA_DIR (${dataDir}) ${problem((error as NodeJS.ErrnoException).code)}`);
  }
}

function problem(code: string | undefined): string {
  switch (code) {
    case 'EEXIST':
    case 'ENOTDIR':
      return 'is not a directory: a file is in the way. Set DATA_DIR to a directory (by default .data), or move the file.';
    case 'EACCES':
    case 'EPERM':
      return 'cannot be created or written by this process (permission denied). Set DATA_DIR to a directory it may write, or change the permissions.';
    case 'EROFS':
      return 'is on a read-only file system. Set DATA_DIR to a writable directory.';
    default:
      return `cannot be used as the gateway's data directory (${code ?? 'unknown error'}). Set DATA_DIR to a writable directory.`;
  }
}
