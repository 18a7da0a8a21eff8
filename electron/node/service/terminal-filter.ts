// The helper's terminal stream as a person should see it: everything it prints, except its one-line
// machine-readable results (PORTWATCH-HELPER-RESULT {json}), which the monitor reads instead. A partial
// line is passed on at once (a password prompt has no newline) unless it could still become a result line.
import { HELPER_RESULT_PREFIX } from '../../common/tuning.js';

/** Filters one session's output, chunk by chunk. */
export class TerminalFilter {
  private held = '';

  /** The part of `chunk` to show now. */
  push(chunk: string): string {
    const text = this.held + chunk;
    const lines = text.split('\n');
    this.held = lines.pop() ?? '';
    let out = lines
      .filter((l) => !l.includes(HELPER_RESULT_PREFIX))
      .map((l) => `${l}\n`)
      .join('');
    const bare = this.held.replace(/^\r/, '');
    if (this.held !== '' && !HELPER_RESULT_PREFIX.startsWith(bare) && !bare.startsWith(HELPER_RESULT_PREFIX) && !this.held.includes(HELPER_RESULT_PREFIX)) {
      out += this.held;
      this.held = '';
    }
    // A result line that never ends is not shown either, but it must not grow without bound.
    if (this.held.length > 1 << 20) this.held = '';
    return out;
  }

  /** What is left at the end of the stream (a last line without a newline that is not a result). */
  flush(): string {
    const rest = this.held.includes(HELPER_RESULT_PREFIX) ? '' : this.held;
    this.held = '';
    return rest;
  }
}
