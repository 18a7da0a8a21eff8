// A program Portwatch ran (netstat, netsh, reg, sysctl, the helper) ended without the answer it needed.
import { hasErrorName } from './error-name.js';

/** A command exited with a failing status or was ended by a signal; the message names the command and what it said. */
export class CommandFailedError extends Error {
  override readonly name = 'CommandFailedError';
  constructor(
    message: string,
    /** The program (and its first arguments) that failed. */
    readonly command: string,
    /** Its exit status; null when a signal ended it or it never started. */
    readonly exitCode: number | null,
  ) {
    super(message);
  }
}

/** True for a CommandFailedError (also one rebuilt from JSON). */
export function isCommandFailedError(e: unknown): e is CommandFailedError {
  return hasErrorName(e, 'CommandFailedError');
}
