// `tune` says what it waits for while it samples the machine twice (a real pseudo-terminal through
// node-pty), erases that line before the plan, and prints nothing of it when stderr is a pipe.
import { spawn } from 'node-pty';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI_ENTRY, REPO_ROOT } from '../netns/portwatch-cli.js';

const ARGS = ['tune', '--interval', '2'];

describe.runIf(process.platform === 'linux')('tune progress', () => {
  it('shows the sampling under way on a terminal, then erases the line before the plan', async () => {
    let screen = '';
    const pty = spawn(process.execPath, ['--import', 'tsx', CLI_ENTRY, ...ARGS], {
      cols: 80,
      rows: 24,
      cwd: REPO_ROOT,
      env: { ...process.env, NO_COLOR: '1' } as Record<string, string>,
    });
    pty.onData((d) => (screen += d));
    const code = await new Promise<number>((resolve) => pty.onExit((e) => resolve(e.exitCode)));
    expect(code, screen).toBe(0);
    expect(screen).toMatch(/sampling this machine twice, 2 s apart… \d+ s/);
    const last = screen.lastIndexOf('2 s apart…');
    const plan = screen.indexOf('What is happening:');
    expect(plan).toBeGreaterThan(last);
    expect(screen.slice(last, plan)).toContain('\r\x1b[K');
  });

  it('prints no progress when stderr is not a terminal', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', CLI_ENTRY, ...ARGS], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^What is happening:/);
    expect(r.stderr).toBe('');
  });
});
