// One run of the privileged helper, seen from the unprivileged side: started with an argv array (never a
// shell) inside a pseudo-terminal (node-pty), so that a UI can show exactly what runs in an embedded
// terminal and the user can answer a password prompt there. The session exposes the terminal stream
// (onData / write / resize) and the helper's machine-readable results, parsed from the same stream and
// validated (the unprivileged side trusts nothing it reads). Without node-pty it falls back to pipes.
import { spawn as spawnChild } from 'node:child_process';
import { homedir } from 'node:os';
import { isAbsoluteProgram } from '../../helper/command-runner.js';
import { HELPER_RESULT_PREFIX, parseHelperResult, type HelperResult } from '../../common/tuning.js';
import type { ElevationMethod } from './elevation.js';
import { TuningError } from '../../common/errors/tuning-error.js';
import { CommandFailedError } from '../../common/errors/command-failed-error.js';

/** A running (or finished) helper. */
export interface HelperSession {
  /** Exactly what runs. */
  readonly argv: readonly string[];
  readonly method: ElevationMethod;
  readonly transport: 'pty' | 'pipes';
  readonly pid: number;
  /** Everything printed so far (the last 1 MiB). */
  readonly transcript: string;
  /** Every result line so far. */
  readonly results: readonly HelperResult[];
  /** Terminal output as it comes (for xterm.js); returns the unsubscribe function. */
  onData(listener: (chunk: string) => void): () => void;
  /** Each result line as it comes; returns the unsubscribe function. */
  onResult(listener: (r: HelperResult) => void): () => void;
  /** Keystrokes (a password, "keep\r"). */
  write(data: string): void;
  resize(cols: number, rows: number): void;
  /** The first result (seen or to come) matching; rejects when the helper ends first or on timeout. */
  waitForResult(match: (r: HelperResult) => boolean, timeoutMs?: number): Promise<HelperResult>;
  /** Resolves when the helper has ended, with its last result. */
  readonly exited: Promise<{ exitCode: number | null; signal: number | null; result: HelperResult | null }>;
  /** SIGTERM: during a countdown the helper reverts at once; during a write it finishes the step first. */
  interrupt(): void;
}

/** How to start a session. */
export interface SessionOptions {
  method: ElevationMethod;
  env: Record<string, string>;
  transport?: 'pty' | 'pipes';
  cols?: number;
  rows?: number;
  cwd?: string;
}

const TRANSCRIPT_MAX = 1 << 20;

interface Child {
  pid: number;
  write(d: string): void;
  resize(c: number, r: number): void;
  kill(sig: NodeJS.Signals): void;
}

/** Starts argv (argv[0] an absolute path) and returns the session at once. */
export async function startHelperSession(argv: readonly string[], opts: SessionOptions): Promise<HelperSession> {
  if (argv.length === 0 || !isAbsoluteProgram(argv[0]!)) throw new TuningError(`the helper command must start with an absolute path, got ${JSON.stringify(argv[0])}`);
  const dataListeners = new Set<(c: string) => void>();
  const resultListeners = new Set<(r: HelperResult) => void>();
  const waiters = new Set<() => void>();
  const results: HelperResult[] = [];
  let transcript = '';
  let partial = '';
  let ended: { exitCode: number | null; signal: number | null } | null = null;

  const onChunk = (chunk: string): void => {
    transcript = (transcript + chunk).slice(-TRANSCRIPT_MAX);
    for (const l of dataListeners) l(chunk);
    partial += chunk;
    let nl: number;
    while ((nl = partial.indexOf('\n')) >= 0) {
      const line = partial.slice(0, nl).replace(/\r$/, '');
      partial = partial.slice(nl + 1);
      const at = line.indexOf(HELPER_RESULT_PREFIX);
      if (at < 0) continue;
      try {
        const v = parseHelperResult(JSON.parse(line.slice(at + HELPER_RESULT_PREFIX.length)));
        if (!v.ok) continue;
        results.push(v.value);
        for (const l of resultListeners) l(v.value);
      } catch {
        // not a result after all
      }
    }
    if (partial.length > TRANSCRIPT_MAX) partial = partial.slice(-TRANSCRIPT_MAX);
    for (const w of [...waiters]) w();
  };

  let resolveExit!: (v: { exitCode: number | null; signal: number | null; result: HelperResult | null }) => void;
  const exited = new Promise<{ exitCode: number | null; signal: number | null; result: HelperResult | null }>((r) => (resolveExit = r));
  const onExit = (exitCode: number | null, signal: number | null): void => {
    if (partial) onChunk('\n');
    ended = { exitCode, signal };
    for (const w of [...waiters]) w();
    resolveExit({ ...ended, result: results[results.length - 1] ?? null });
  };

  const transport = opts.transport ?? 'pty';
  const child = transport === 'pty' ? await startPty(argv, opts, onChunk, onExit) : startPipes(argv, opts, onChunk, onExit);

  return {
    argv: [...argv],
    method: opts.method,
    transport,
    pid: child.pid,
    get transcript() {
      return transcript;
    },
    results,
    onData(l) {
      dataListeners.add(l);
      return () => dataListeners.delete(l);
    },
    onResult(l) {
      resultListeners.add(l);
      return () => resultListeners.delete(l);
    },
    write: (d) => {
      if (!ended) child.write(d);
    },
    resize: (c, r) => {
      if (!ended) child.resize(c, r);
    },
    waitForResult: (match, timeoutMs = 120_000) =>
      waitForHelperResult({ results, waiters, ended: () => ended, transcript: () => transcript }, match, timeoutMs),
    exited,
    interrupt: () => {
      if (!ended) child.kill('SIGTERM');
    },
  };
}

/** The helper ended or went silent before the result a caller waited for; carries what it printed. */
/** What a session has seen so far, for waitForHelperResult. */
export interface HelperResultWatch {
  results: readonly HelperResult[];
  /** Checks registered here run whenever a result arrives or the helper ends. */
  waiters: Set<() => void>;
  ended: () => { exitCode: number | null; signal: number | null } | null;
  transcript: () => string;
}

/** Resolves with the first result that matches; rejects when the helper ends first or time runs out. */
export function waitForHelperResult(w: HelperResultWatch, match: (r: HelperResult) => boolean, timeoutMs: number): Promise<HelperResult> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      const r = w.results.find(match);
      const ended = w.ended();
      if (r) {
        done();
        resolve(r);
      } else if (ended) {
        done();
        reject(new HelperSessionError(`the helper ended (${ended.exitCode ?? `signal ${ended.signal}`}) before the expected result`, w.transcript()));
      }
    };
    const timer = setTimeout(() => {
      done();
      reject(new HelperSessionError(`no result from the helper within ${timeoutMs} ms`, w.transcript()));
    }, timeoutMs);
    const done = (): void => {
      clearTimeout(timer);
      w.waiters.delete(check);
    };
    w.waiters.add(check);
    check();
  });
}

export class HelperSessionError extends Error {
  override readonly name = 'HelperSessionError';
  constructor(
    message: string,
    readonly transcript: string,
  ) {
    super(message);
  }
}

async function startPty(argv: readonly string[], opts: SessionOptions, onChunk: (c: string) => void, onExit: (code: number | null, sig: number | null) => void): Promise<Child> {
  const pty = await import('node-pty');
  const { ptyMasterCloseOnExec } = await import('../platform/linux/native/close-on-exec.js');
  const p = pty.spawn(argv[0]!, argv.slice(1), {
    name: 'xterm-256color',
    cols: opts.cols ?? 100,
    rows: opts.rows ?? 30,
    cwd: opts.cwd ?? defaultCwd(),
    env: opts.env,
  });
  // Children started later must not inherit this terminal (see close-on-exec.ts; Linux with the addon only).
  ptyMasterCloseOnExec(p);
  p.onData(onChunk);
  p.onExit(({ exitCode, signal }) => onExit(signal ? null : exitCode, signal ?? null));
  return { pid: p.pid, write: (d) => p.write(d), resize: (c, r) => p.resize(c, r), kill: (s) => p.kill(s) };
}

function startPipes(argv: readonly string[], opts: SessionOptions, onChunk: (c: string) => void, onExit: (code: number | null, sig: number | null) => void): Child {
  const c = spawnChild(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'], env: opts.env, cwd: opts.cwd ?? defaultCwd(), shell: false, windowsHide: true });
  if (c.pid === undefined) throw new CommandFailedError(`cannot start ${argv[0]}`, argv[0]!, null);
  c.stdout.setEncoding('utf8').on('data', onChunk);
  c.stderr.setEncoding('utf8').on('data', onChunk);
  c.stdin.on('error', () => {});
  c.on('close', (code, signal) => onExit(code, signal ? (SIGNALS[signal] ?? -1) : null));
  return {
    pid: c.pid,
    // A terminal sends \r for Enter; a pipe wants \n.
    write: (d) => c.stdin.write(d.replace(/\r/g, '\n')),
    resize: () => {},
    kill: (s) => c.kill(s),
  };
}

const SIGNALS: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

/** "/" (a directory every user may be in); the home directory on Windows, which has no "/". */
function defaultCwd(): string {
  return process.platform === 'win32' ? homedir() : '/';
}
