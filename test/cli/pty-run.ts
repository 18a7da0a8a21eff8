// Runs `portwatch <args>` in a real pseudo-terminal (node-pty), as at a user's terminal: the exit status
// and every byte the terminal received (stdout and stderr both, control sequences included).
import { spawn } from 'node-pty';
import { CLI_ENTRY, REPO_ROOT } from '../netns/portwatch-cli.js';

export async function runInPty(args: readonly string[], cols = 80, rows = 24): Promise<{ code: number; screen: string }> {
  let screen = '';
  const pty = spawn(process.execPath, ['--import', 'tsx', CLI_ENTRY, ...args], {
    cols,
    rows,
    cwd: REPO_ROOT,
    env: { ...process.env, NO_COLOR: '1' } as Record<string, string>,
  });
  pty.onData((d) => (screen += d));
  const code = await new Promise<number>((resolve) => pty.onExit((e) => resolve(e.exitCode)));
  return { code, screen };
}
