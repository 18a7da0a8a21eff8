// Runs the Portwatch CLI inside a namespace, the way a user would on that machine:
// `ip netns exec NS node --import tsx electron/cli/portwatch.ts <args>` from the repository root.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Sample } from '../../electron/common/model.js';
import type { Namespace } from './netns.js';

/** The repository root (this file is test/netns/portwatch-cli.ts). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The CLI entry point, run from source through tsx. */
export const CLI_ENTRY = 'electron/cli/portwatch.ts';

/** What one CLI run produced. */
export interface CliRun {
  /** Exit status: 0 ok, 1 warning, 2 critical or exhausted, 3 unknown (null when killed). */
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/** True once the CLI source exists. */
export function cliExists(): boolean {
  return existsSync(new URL(`../../${CLI_ENTRY}`, import.meta.url));
}

/** Runs `portwatch <args>` inside the namespace (bounded by timeoutMs). */
export async function runPortwatch(ns: Namespace, args: readonly string[], timeoutMs = 30_000): Promise<CliRun> {
  const r = await ns.exec([process.execPath, '--import', 'tsx', CLI_ENTRY, ...args], { cwd: REPO_ROOT, timeoutMs });
  if (r.timedOut) throw new Error(`portwatch ${args.join(' ')} in ${ns.name} ran past ${timeoutMs} ms\n${r.stderr}`);
  return { exitCode: r.code, stdout: r.stdout, stderr: r.stderr };
}

/** Runs `portwatch check --json` inside the namespace and parses the Sample it prints. */
export async function checkJson(ns: Namespace, extraArgs: readonly string[] = []): Promise<CliRun & { sample: Sample }> {
  const run = await runPortwatch(ns, ['check', '--json', ...extraArgs]);
  let sample: Sample;
  try {
    sample = JSON.parse(run.stdout) as Sample;
  } catch (e) {
    throw new Error(`portwatch check --json in ${ns.name} (exit ${run.exitCode}) did not print one JSON document: ${(e as Error).message}\nstdout: ${run.stdout.slice(0, 2_000)}\nstderr: ${run.stderr.slice(0, 2_000)}`);
  }
  return { ...run, sample };
}

/** Runs `portwatch <args>` on the host, outside any namespace (e.g. `check --bundle DIR` of a capture made inside one). */
export function runPortwatchOnHost(args: readonly string[], timeoutMs = 30_000): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI_ENTRY, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`portwatch ${args.join(' ')} on the host ran past ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ exitCode: code, stdout, stderr });
    });
  });
}
