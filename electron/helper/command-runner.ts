// How the helper runs a system program (macOS sysctl, Windows netsh and reg): an argv array, the program
// by absolute path, never a shell, a time limit, bounded output. Injectable: tests give the stores a fake
// runner that records argv and answers with captured outputs, because these programs cannot run here.
import { execFile } from 'node:child_process';

/** What a finished program printed and how it ended (exitCode null: ended by a signal). */
export interface RunResult {
  stdout: Buffer;
  stderr: Buffer;
  exitCode: number | null;
}

/** Runs one program to its end; rejects only when it could not be run at all. */
export type HelperRunner = (file: string, args: readonly string[]) => Promise<RunResult>;

/** A program the helper runs is named by an absolute path (POSIX, or a Windows drive path). */
export function isAbsoluteProgram(file: string): boolean {
  return /^\/[^\0]+$/.test(file) || /^[A-Za-z]:\\[^\0"]+$/.test(file);
}

const TIMEOUT_MS = 30_000;
const MAX_OUTPUT = 4 * 1024 * 1024;

/** The real runner: execFile with shell: false, no console window, a 30 s limit. */
export const execRunner: HelperRunner = (file, args) =>
  new Promise((resolve, reject) => {
    if (!isAbsoluteProgram(file)) {
      reject(new Error(`the helper runs programs by absolute path only, got ${JSON.stringify(file)}`));
      return;
    }
    execFile(file, [...args], { encoding: 'buffer', shell: false, windowsHide: true, timeout: TIMEOUT_MS, maxBuffer: MAX_OUTPUT }, (err, stdout, stderr) => {
      const e = err as (Error & { code?: string | number | null; signal?: string | null }) | null;
      if (!e) resolve({ stdout, stderr, exitCode: 0 });
      else if (typeof e.code === 'number') resolve({ stdout, stderr, exitCode: e.code });
      else if (e.code == null && e.signal) resolve({ stdout, stderr, exitCode: null });
      else reject(e);
    });
  });

/** The first non-empty line of a program's output (what it said when it failed), shortened. */
export function firstLine(...outputs: Buffer[]): string {
  for (const b of outputs) {
    const line = b
      .toString('latin1')
      .split(/\r?\n/)
      .map((l) => l.trim())
      .find((l) => l !== '');
    if (line) return line.length > 200 ? `${line.slice(0, 200)}…` : line;
  }
  return '';
}
