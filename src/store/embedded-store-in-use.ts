/** The embedded store's files are held by another process (another `npm start` on the same DATA_DIR). */
export class EmbeddedStoreInUseError extends Error {
  constructor(path: string) {
    super(`The embedded store's files in ${path} are in use by another process (is another \`npm start\` running with the same DATA_DIR?). Stop it, or set DATA_DIR to another directory.`);
    this.name = 'EmbeddedStoreInUseError';
  }
}

/**
 * Whether the error is an EmbeddedStoreInUseError. The store runs in its own thread, and an
 * error crossing from a thread arrives as a plain Error with its name and message kept: known
 * by that name.
 */
export function isEmbeddedStoreInUse(error: unknown): error is Error {
  return error instanceof Error && error.name === 'EmbeddedStoreInUseError';
}
