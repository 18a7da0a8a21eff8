// `capture` shows which read is under way on a terminal (a real pseudo-terminal through node-pty), erases
// that line when done, and prints nothing of it when stderr is a pipe (scripts, logs, CI).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI_ENTRY, REPO_ROOT } from '../netns/portwatch-cli.js';
import { runInPty } from './pty-run.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function outDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'pw-capture-progress-'));
  dirs.push(d);
  return join(d, 'bundle');
}

const ARGS = ['--reads', '3', '--interval', '2', '--no-owners'];

describe('capture progress', () => {
  it('names the read under way and the wait before the next on a terminal, then erases the line', async () => {
    const out = outDir();
    const { code, screen } = await runInPty(['capture', '--out', out, ...ARGS]);
    expect(code).toBe(0);
    // The line is drawn once the capture has taken a second, and says what it waits for.
    expect(screen).toMatch(/waiting 2 s before read 2 of 3… \d+ s/);
    expect(screen).toMatch(/waiting 2 s before read 3 of 3…/);
    // Erased (carriage return + erase to end of line) before the result is printed, which stands on its own line.
    const last = screen.lastIndexOf('of 3…');
    const result = screen.indexOf('Captured 3 read(s)');
    expect(result).toBeGreaterThan(last);
    expect(screen.slice(last, result)).toContain('\r\x1b[K');
  });

  it('prints no progress when stderr is not a terminal', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', CLI_ENTRY, 'capture', '--out', outDir(), ...ARGS], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Captured 3 read\(s\)/);
    expect(r.stderr).toBe('');
  });
});
