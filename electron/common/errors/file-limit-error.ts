// A folder Portwatch manages holds more than it will handle (kept settings files, the files `serve` serves).
import { hasErrorName } from './error-name.js';

/** A folder is over one of Portwatch's bounds; the message names the folder and the bound. */
export class FileLimitError extends Error {
  override readonly name = 'FileLimitError';
  constructor(
    message: string,
    /** The folder over the bound. */
    readonly path: string,
  ) {
    super(message);
  }
}

/** True for a FileLimitError (also one rebuilt from JSON). */
export function isFileLimitError(e: unknown): e is FileLimitError {
  return hasErrorName(e, 'FileLimitError');
}
