// A one-shot sample was asked of a sampler that was stopped or paused while it read.
import { hasErrorName } from './error-name.js';

/** The sampler was stopped (or paused) before the sample it was taking could be delivered. */
export class SamplingStoppedError extends Error {
  override readonly name = 'SamplingStoppedError';
}

/** True for a SamplingStoppedError (also one rebuilt from JSON). */
export function isSamplingStoppedError(e: unknown): e is SamplingStoppedError {
  return hasErrorName(e, 'SamplingStoppedError');
}
