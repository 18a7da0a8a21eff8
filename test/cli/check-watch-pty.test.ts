// `check --watch` in a real pseudo-terminal (node-pty), as a user sees it: the alternate screen, every
// refresh within the terminal's width and height with the severity line on screen, a redraw on resize,
// and `q` or Ctrl-C leaving the main screen as it was with exit status of the last severity.
import { describe, expect, it } from 'vitest';
import { spawn, type IPty } from 'node-pty';
import { CLI_ENTRY, REPO_ROOT } from '../netns/portwatch-cli.js';

const ENTER_ALT = '\x1b[?1049h';
const LEAVE_ALT = '\x1b[?1049l';
const CLEAR = '\x1b[H\x1b[2J';

/** The text of the latest full screen: what follows the last home-and-clear, colours removed. */
function lastScreen(out: string): string[] {
  const i = out.lastIndexOf(CLEAR);
  const frame = i < 0 ? out : out.slice(i + CLEAR.length);
   
  return frame.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').split(/\r?\n/).map((l) => l.replace(/\r/g, ''));
}

async function until(read: () => boolean, what: string, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!read()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function start(cols: number, rows: number, extra: string[] = []): { pty: IPty; out: () => string; exit: Promise<number> } {
  let out = '';
  const pty = spawn(process.execPath, ['--import', 'tsx', CLI_ENTRY, 'check', '--watch', '--netns', 'self', '--no-owners', ...extra], {
    cols,
    rows,
    cwd: REPO_ROOT,
    env: { ...process.env, NO_COLOR: '' } as Record<string, string>,
  });
  pty.onData((d) => (out += d));
  const exit = new Promise<number>((resolve) => pty.onExit((e) => resolve(e.exitCode)));
  return { pty, out: () => out, exit };
}

describe('check --watch in a pseudo-terminal', () => {
  it('draws on the alternate screen within 80 × 12, redraws on resize, and quits on q', async () => {
    const w = start(80, 12);
    // A frame reaches the pty in chunks; its last line (the cut notice) says the whole frame is in.
    const framed = (): boolean => /more lines/.test(lastScreen(w.out()).join('\n'));
    await until(() => w.out().includes('Severity:') && framed(), 'the first full report');
    expect(w.out()).toContain(ENTER_ALT);
    let screen = lastScreen(w.out());
    expect(screen.length).toBeLessThanOrEqual(12);
    expect(screen.every((l) => [...l].length <= 80)).toBe(true);
    expect(screen.some((l) => l.startsWith('Severity: '))).toBe(true);
    expect(screen.join('\n')).toMatch(/more lines: enlarge the terminal/);

    const before = w.out().length;
    w.pty.resize(60, 6);
    await until(() => w.out().length > before && framed() && lastScreen(w.out()).length <= 6, 'the redraw at 60 × 6');
    screen = lastScreen(w.out());
    expect(screen.some((l) => l.startsWith('Severity: '))).toBe(true);
    expect(screen.every((l) => [...l].length <= 60)).toBe(true);

    w.pty.write('q');
    const code = await w.exit;
    expect(code).toBe(0); // this machine's own namespace is not exhausted
    expect(w.out().lastIndexOf(LEAVE_ALT)).toBeGreaterThan(w.out().lastIndexOf(CLEAR));
  }, 60_000);

  it('quits cleanly on Ctrl-C, colours only when wanted', async () => {
    const w = start(100, 40);
    // The whole severity line, not a chunk of it: the pty may deliver a frame in pieces.
    await until(() => /Severity:[^\n]*\n/.test(w.out()), 'the first report');
    // A TTY without NO_COLOR: the severity word is coloured (bold + a colour).
    expect(w.out()).toMatch(/Severity: \x1b\[1m\x1b\[3\dm(OK|WARNING|CRITICAL|EXHAUSTED|UNKNOWN)\x1b\[0m/);
    w.pty.write('\x03');
    expect(await w.exit).toBe(0);
    expect(w.out()).toContain(LEAVE_ALT);

    const plain = start(100, 40, ['--no-color']);
    await until(() => /Severity:[^\n]*\n/.test(plain.out()), 'the first report');
     
    expect(plain.out()).not.toMatch(/\x1b\[3\dm/);
    plain.pty.write('q');
    expect(await plain.exit).toBe(0);
  }, 60_000);
});
