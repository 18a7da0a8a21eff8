// What the helper prints: plain lines for the person watching the terminal, and one machine-readable
// result line per finished phase. The terminal may go away (the app was killed): writes then fail with
// EIO or EPIPE, which must never stop the helper from finishing its transaction.
import { HELPER_RESULT_PREFIX, type HelperResult } from '../common/tuning.js';

/** Where the helper writes. */
export interface HelperOutput {
  say(line: string): void;
  result(r: HelperResult): void;
  /** False once a write has failed (nobody is reading any more). */
  readonly alive: boolean;
}

/** Output to a stream that may break at any time. */
export function streamOutput(stream: NodeJS.WritableStream): HelperOutput {
  let alive = true;
  stream.on('error', () => {
    alive = false;
  });
  const write = (text: string): void => {
    if (!alive) return;
    try {
      stream.write(text);
    } catch {
      alive = false;
    }
  };
  return {
    say: (line) => write(`portwatch-helper: ${line}\n`),
    result: (r) => write(`${HELPER_RESULT_PREFIX}${JSON.stringify(r)}\n`),
    get alive() {
      return alive;
    },
  };
}
