// Progress for work that takes more than a second, on a terminal only: one line on stderr, redrawn in
// place and erased when done; nothing at all when stderr is not a terminal (pipes, logs, CI).
import { TERMINAL_CONTROL, writeTerminalControl } from './terminal-io.js';

/** A running progress line. */
export interface Progress {
  /** Changes the text (e.g. "read 3 of 10"). */
  update(text: string): void;
  /** Erases the line. */
  done(): void;
}

const SILENT: Progress = { update() {}, done() {} };
const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** Shows `text` with a spinner and the elapsed seconds on stderr when it is a TTY, after the first second. */
export function startProgress(stream: NodeJS.WritableStream, text: string, delayMs = 1000): Progress {
  if ((stream as NodeJS.WriteStream).isTTY !== true) return SILENT;
  const t0 = Date.now();
  let frame = 0;
  let shown = false;
  let label = text;
  const draw = (): void => {
    const sec = Math.floor((Date.now() - t0) / 1000);
    writeTerminalControl(stream, TERMINAL_CONTROL.clearLine);
    stream.write(`${FRAMES[frame++ % FRAMES.length]} ${label} ${sec} s`);
    shown = true;
  };
  let timer: NodeJS.Timeout | undefined;
  const begin = setTimeout(() => {
    draw();
    timer = setInterval(draw, 100);
  }, delayMs);
  return {
    update(t: string): void {
      label = t;
    },
    done(): void {
      clearTimeout(begin);
      clearInterval(timer);
      if (shown) writeTerminalControl(stream, TERMINAL_CONTROL.clearLine);
    },
  };
}
