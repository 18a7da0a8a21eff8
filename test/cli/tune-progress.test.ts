// `tune` says what it waits for while it samples the machine twice (a real pseudo-terminal through
// node-pty), erases that line before the plan, and prints nothing of it when stderr is a pipe.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI_ENTRY, REPO_ROOT } from '../netns/portwatch-cli.js';
import { runInPty } from './pty-run.js';

const ARGS = ['tune', '--interval', '2'];

describe.runIf(process.platform === 'linux')('tune progress', () => {
  it('shows the sampling under way on a terminal, then erases the line before the plan', async () => {
    const { code, screen } = await runInPty(ARGS);
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
