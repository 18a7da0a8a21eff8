// The helper's terminal relayed to ours: what it prints (its result lines left out) to stdout, our
// keystrokes to it (a password prompt). Shared by the local helper and the remote tuning script.
import { HELPER_RESULT_PREFIX } from '../common/tuning.js';
import type { HelperSession } from '../node/tuning/helper-session.js';
import type { Io } from './args.js';

/** The helper's terminal on ours: its output (result lines left out) to stdout, our keystrokes to it. */
export function relay(session: HelperSession, io: Io, stdin: NodeJS.ReadStream, show: boolean): () => void {
  let held = '';
  const off = session.onData((chunk) => {
    if (!show) return;
    const text = held + chunk;
    const lines = text.split('\n');
    held = lines.pop() ?? '';
    const visible = lines.filter((l) => !l.includes(HELPER_RESULT_PREFIX)).map((l) => `${l}\n`);
    // A partial line is shown at once (a password prompt), unless it may become a result line.
    if (held !== '' && !HELPER_RESULT_PREFIX.startsWith(held.replace(/^\r/, '')) && !held.includes(HELPER_RESULT_PREFIX)) {
      visible.push(held);
      held = '';
    }
    // The pty ends lines with CR LF; a CR of its own would let text overwrite a line, so only LF is kept.
    if (visible.length) io.stdout.write(visible.join('').replace(/\r+(?=\n)|^\r+/gm, ''));
  });
  const tty = stdin.isTTY === true;
  const onKey = (d: Buffer): void => session.write(d.toString('utf8'));
  if (tty) {
    stdin.setRawMode(true);
    stdin.on('data', onKey);
    stdin.resume();
  }
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    off();
    if (tty) {
      stdin.off('data', onKey);
      stdin.setRawMode(false);
      stdin.pause();
    }
  };
}
