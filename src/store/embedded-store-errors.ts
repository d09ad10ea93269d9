/** The embedded store's files are held by another process (another `npm start` on the same DATA_DIR). */
export class EmbeddedStoreInUseError extends Error {
  constructor(path: string) {
    super(`The embedded store's files in ${path} are in use by another process (is another \`npm start\` running with the same DATA_DIR?). Stop it, or set DATA_DIR to another directory.`);
    this.name = 'EmbeddedStoreInUseError';
  }
}

/** The embedded store's files cannot be opened: unreadable, damaged, or not LevelDB's. */
export class EmbeddedStoreUnreadableError extends Error {
  /** `reason` is LevelDB's own message (file names and the failing step, never data). */
  constructor(path: string, reason: string) {
    super(
      `The embedded store's files in ${path} cannot be opened (${reason}). Check the directory's permissions; if the files are damaged, ` +
        `move the directory away to start with an empty store (tokens issued before will not resolve), or set DATA_DIR to another directory.`,
    );
    this.name = 'EmbeddedStoreUnreadableError';
  }
}

/**
 * Whether the error is one of the above. The store runs in its own thread, and an error crossing
 * from a thread arrives as a plain Error with its name and message kept: known by that name.
 */
export function isEmbeddedStoreError(error: unknown): error is Error {
  return error instanceof Error && (error.name === 'EmbeddedStoreInUseError' || error.name === 'EmbeddedStoreUnreadableError');
}

/** Whether the error is an EmbeddedStoreInUseError (see isEmbeddedStoreError). */
export function isEmbeddedStoreInUse(error: unknown): error is Error {
  return error instanceof Error && error.name === 'EmbeddedStoreInUseError';
}
