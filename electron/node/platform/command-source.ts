// Runs a system command as a raw source (macOS and Windows read their sources from commands): argv
// arrays only, no shell, absolute paths, bytes exactly as printed. The runner is injectable because
// these commands cannot run on the machines the tests run on; everything else is the real code.
import type { SourceSpec } from './read-source.js';
import { CommandFailedError } from '../../common/errors/command-failed-error.js';

/** What a finished command printed and how it ended. */
export interface CommandResult {
  stdout: Buffer;
  stderr: Buffer;
  /** Exit status; null when the command was ended by a signal. */
  exitCode: number | null;
}

/**
 * Runs one program with an argument vector and resolves when it ends, whatever its exit status.
 * Rejects only when it could not run (not found, not allowed) or was aborted.
 */
export type CommandRunner = (file: string, args: readonly string[], signal: AbortSignal) => Promise<CommandResult>;

/** Largest output read from one command (a socket table of 150,000 rows is about 30 MB of text). */
export const MAX_COMMAND_OUTPUT = 256 * 1024 * 1024;

/** The real runner: child_process.execFile without a shell, output as bytes, no console window on Windows. */
// child_process is imported on first use: on Linux no source is a command, and loading it (with net and
// dgram) costs `portwatch check` about 5 ms of start-up.
export const execFileRunner: CommandRunner = async (file, args, signal) => {
  const { execFile } = await import('node:child_process');
  return new Promise((resolve, reject) => {
    execFile(
      file,
      [...args],
      { encoding: 'buffer', maxBuffer: MAX_COMMAND_OUTPUT, shell: false, windowsHide: true, signal },
      (err, stdout, stderr) => {
        const e = err as (Omit<NodeJS.ErrnoException, 'code'> & { code?: string | number | null; signal?: string | null }) | null;
        if (!e) resolve({ stdout, stderr, exitCode: 0 });
        else if (typeof e.code === 'number') resolve({ stdout, stderr, exitCode: e.code });
        else if (e.code == null && e.signal && !signal.aborted) resolve({ stdout, stderr, exitCode: null });
        // Could not run, was aborted, or printed more than MAX_COMMAND_OUTPUT.
        else reject(e);
      },
    );
  });
};

/** One command that is a raw source. */
export interface CommandSpec {
  /** Raw source name (also its file name in a capture bundle). */
  name: string;
  /** Absolute path of the program. */
  file: string;
  args: readonly string[];
  /** Exit statuses that still mean "this is the answer" (default [0]). */
  okExitCodes?: readonly number[];
  /** Exit statuses that mean "nothing to report": the source is read, with empty bytes (e.g. reg query of an absent value). */
  emptyExitCodes?: readonly number[];
}

/** How the command appears in an error message: the program and its arguments. */
export function describeCommand(spec: Pick<CommandSpec, 'file' | 'args'>): string {
  return [spec.file, ...spec.args].map((a) => (/[\s"]/.test(a) ? JSON.stringify(a) : a)).join(' ');
}

function firstLine(b: Buffer): string {
  const t = b.toString('utf8').trim().split(/\r?\n/)[0] ?? '';
  return t.length > 200 ? `${t.slice(0, 200)}…` : t;
}

/** A SourceSpec (for readSource: timeout, single flight, status) that runs the command. */
export function commandSource(spec: CommandSpec, runner: CommandRunner): SourceSpec {
  const ok = spec.okExitCodes ?? [0];
  const empty = spec.emptyExitCodes ?? [];
  const what = describeCommand(spec);
  return {
    name: spec.name,
    what,
    read: async (signal) => {
      const r = await runner(spec.file, spec.args, signal);
      if (r.exitCode !== null && ok.includes(r.exitCode)) return r.stdout;
      if (r.exitCode !== null && empty.includes(r.exitCode)) return Buffer.alloc(0);
      const why = firstLine(r.stderr) || firstLine(r.stdout);
      throw new CommandFailedError(r.exitCode === null ? `ended by a signal${why ? `: ${why}` : ''}` : `exited with status ${r.exitCode}${why ? `: ${why}` : ''}`, describeCommand(spec), r.exitCode);
    },
  };
}
