// Planning or applying a tuning change could not go on; the message says which step and why.
import { hasErrorName } from './error-name.js';

/** A tuning plan cannot be built or applied (no elevation, nothing to apply, the helper ended early, …). */
export class TuningError extends Error {
  override readonly name = 'TuningError';
}

/** True for a TuningError (also one rebuilt from JSON). */
export function isTuningError(e: unknown): e is TuningError {
  return hasErrorName(e, 'TuningError');
}
