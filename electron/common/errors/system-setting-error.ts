// Reading or writing a system setting gave an answer the helper cannot trust (a short write, output that is
// not a value, no readable source); the message names the setting or the file.
import { hasErrorName } from './error-name.js';

/** A system setting could not be read or written as expected. */
export class SystemSettingError extends Error {
  override readonly name = 'SystemSettingError';
}

/** True for a SystemSettingError (also one rebuilt from JSON). */
export function isSystemSettingError(e: unknown): e is SystemSettingError {
  return hasErrorName(e, 'SystemSettingError');
}
