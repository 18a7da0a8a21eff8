// `check --watch` on a terminal, as top and btop do it: the alternate screen (the scrollback stays as it
// was), each refresh cut to the terminal's height with the severity line always on screen, redrawn on
// resize, `q` or Ctrl-C to quit with the terminal restored.
import { composeTerminal, TERMINAL_CONTROL, writeComposed, writeTerminalControl } from './terminal-io.js';
import { paintedParts, span, type Line } from './paint.js';

/** Cuts a line to `cols` columns (the last one an ellipsis when cut). */
export function cutLine(line: Line, cols: number): Line {
  const out: Line = [];
  let left = cols;
  for (const s of line) {
    const chars = [...s.text];
    if (chars.length <= left) {
      out.push(s);
      left -= chars.length;
      continue;
    }
    if (left > 0) out.push({ ...s, text: chars.slice(0, Math.max(0, left - 1)).join('') + '…' });
    break;
  }
  return out;
}

/**
 * What fits a screen of `rows` × `cols`: the lines cut to the width and, when too many, the first ones
 * with a last line saying how many more there are. The line at `pinned` (the severity) is always shown.
 */
export function fitScreen(lines: Line[], rows: number, cols: number, pinned: number): Line[] {
  const cut = lines.map((l) => cutLine(l, cols));
  if (cut.length <= rows) return cut;
  if (rows <= 1 || pinned >= rows - 1) return [cut[Math.min(pinned, cut.length - 1)]!];
  const shown = cut.slice(0, rows - 1);
  shown.push(cutLine([span(`… ${cut.length - shown.length} more lines: enlarge the terminal to see them · q quits`, 'dim')], cols));
  return shown;
}

/** The watch screen on one terminal. */
export class WatchScreen {
  private last: (() => Line[]) | null = null;
  private readonly onResize = (): void => this.redraw();
  private readonly onData = (d: Buffer | string): void => {
    const text = typeof d === 'string' ? d : d.toString('utf8');
    // q, Q, Ctrl-C (raw mode delivers it as a byte, not a signal), Ctrl-D
    if (/[qQ\x03\x04]/.test(text)) this.quit();
  };
  private quitCallback: (() => void) | null = null;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly input: NodeJS.ReadStream | null,
    private readonly color: boolean,
    private readonly pinned = 1,
  ) {}

  /** The terminal's size (80 × 24 when it does not say). */
  size(): { rows: number; cols: number } {
    return { rows: this.out.rows > 0 ? this.out.rows : 24, cols: this.out.columns > 0 ? this.out.columns : 80 };
  }

  /** Enters the alternate screen and starts listening for keys and resizes; `onQuit` runs once on q or Ctrl-C. */
  start(onQuit: () => void): void {
    this.quitCallback = onQuit;
    writeTerminalControl(this.out, TERMINAL_CONTROL.enterAltScreen);
    this.out.on('resize', this.onResize);
    if (this.input?.isTTY) {
      this.input.setRawMode(true);
      this.input.on('data', this.onData);
      this.input.resume();
    }
  }

  /** Shows the lines `render(cols)` gives, now and again on every resize. */
  show(render: (cols: number) => Line[]): void {
    this.last = () => render(this.size().cols);
    this.redraw();
  }

  /** Restores the terminal: main screen, cursor, cooked input. */
  stop(): void {
    this.out.off('resize', this.onResize);
    if (this.input?.isTTY) {
      this.input.off('data', this.onData);
      this.input.setRawMode(false);
      this.input.pause();
    }
    writeTerminalControl(this.out, TERMINAL_CONTROL.leaveAltScreen);
  }

  private quit(): void {
    const f = this.quitCallback;
    this.quitCallback = null;
    f?.();
  }

  private redraw(): void {
    if (!this.last) return;
    const { rows, cols } = this.size();
    const lines = fitScreen(this.last(), rows, cols, this.pinned);
    // One write per frame (clear and all): the terminal never shows a half-drawn screen. No newline after
    // the bottom row: it would scroll the screen by one.
    writeComposed(this.out, composeTerminal([{ control: 'homeAndClear' }, ...paintedParts(lines, this.color, false)]));
  }
}

