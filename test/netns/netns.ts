/**
 * Real-kernel test harness: throw-away Linux network namespaces for Portwatch scenarios and benchmarks.
 * Plain Node (no Vitest import), so benchmarks can use it too; Vitest suites use describe-netns.ts.
 *
 *   import { canUseNamespaces, createNamespace } from '../../netns/netns.js';
 *   const ns = await createNamespace('exhaust');          // named "pw-exhaust-<pid>-<n>", lo is up
 *   try {
 *     await ns.sysctl('net.ipv4.ip_local_port_range', '40000 40009');   // written, then read back
 *     const server = ns.spawn([process.execPath, 'server.mjs', '--listen', '127.0.0.1:8080']);
 *     await server.waitForEvent((e) => e.ready === true, 5_000);       // one JSON line per event
 *     const { stdout } = await ns.execOrThrow(['ss', '-tanH']);        // argv arrays, never a shell
 *   } finally {
 *     await ns.destroy();    // SIGKILLs every process in the namespace, then deletes it
 *   }
 *
 * - canUseNamespaces(): { ok: true } or { ok: false, reason } (not Linux, not root, no `ip`/`ss`, or
 *   `ip netns add` refused). Checked once per process.
 * - createNamespace(prefix) → Namespace: exec / execOrThrow (argv, timeout), sysctl / readSysctl /
 *   readSysctlOrNull, spawn (→ NsProcess: pid, lines, events, waitForLine, waitForEvent, kill, wait),
 *   addAddress (on the namespace's own lo), pids, destroy.
 * - Programs run as `ip netns exec NAME argv…`; ip execs the program in place, so NsProcess.pid is the
 *   program's own pid (what ss and Portwatch report as the owner).
 * - Every namespace is also deleted when the process exits normally; namespaces left by a crashed run
 *   (their creator pid is gone) are deleted by the next createNamespace().
 * - Workload helpers: workloads.ts; ss parsing: ss.ts; the Portwatch CLI inside a namespace: portwatch-cli.ts.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** Whether this process can create network namespaces, and why not. */
export type NamespaceSupport = { ok: true } | { ok: false; reason: string };

/** What a finished command produced. */
export interface ExecResult {
  /** Exit status, null when killed by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** True when the command was killed because it ran past its timeout. */
  timedOut: boolean;
}

/** Options for commands run inside a namespace. */
export interface ExecOptions {
  /** Kill the command after this long (default 10 s): every command is bounded. */
  timeoutMs?: number;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/** How a long-running program is started in a namespace. */
export interface SpawnOptions extends Omit<ExecOptions, 'timeoutMs'> {
  /**
   * Enter the namespace's network only (nsenter --net), keeping this process's mounts: `ip netns exec`
   * mounts a fresh /sys, without tracefs, so a failure tracer could not run there.
   */
  keepMounts?: boolean;
}

/** A program running inside a namespace, with its stdout kept as lines and parsed JSON events. */
export interface NsProcess {
  /** The program's pid (ip netns exec execs it in place). */
  readonly pid: number;
  /** The argv it was started with. */
  readonly argv: readonly string[];
  /** Every stdout line so far. */
  readonly lines: readonly string[];
  /** Every stdout line that parsed as a JSON object, in order. */
  readonly events: readonly Record<string, unknown>[];
  /** Everything written to stderr so far. */
  readonly stderr: string;
  /** The exit status once it has ended, undefined while it runs. */
  readonly exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** Resolves with the first line (seen or to come) matching `re`; rejects on timeout or exit. */
  waitForLine(re: RegExp, timeoutMs: number): Promise<string>;
  /** Resolves with the first JSON event (seen or to come) for which `match` is true; rejects on timeout or exit. */
  waitForEvent(match: (e: Record<string, unknown>) => boolean, timeoutMs: number): Promise<Record<string, unknown>>;
  /** Async iterator over stdout lines, from the first one, ending when the program ends. */
  linesIterator(): AsyncIterableIterator<string>;
  /** Sends a signal (default SIGTERM); no-op when it has ended. */
  kill(signal?: NodeJS.Signals): void;
  /** Resolves when it has ended; kills it with SIGKILL and rejects if it has not ended within timeoutMs. */
  wait(timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** A network namespace created for one test (or benchmark), with loopback up. */
export interface Namespace {
  readonly name: string;
  /** Runs argv inside the namespace (no shell) and collects its output; never rejects for a non-zero exit. */
  exec(argv: readonly string[], opts?: ExecOptions): Promise<ExecResult>;
  /** Like exec, but rejects naming the command and its stderr when it fails or times out; resolves with the result. */
  execOrThrow(argv: readonly string[], opts?: ExecOptions): Promise<ExecResult>;
  /** Writes a sysctl inside the namespace and reads it back; rejects when the kernel kept another value. */
  sysctl(key: string, value: string | number): Promise<void>;
  /** Reads a sysctl inside the namespace (whitespace normalised to single spaces); rejects when unreadable. */
  readSysctl(key: string): Promise<string>;
  /** Reads a sysctl, or null when this kernel does not have it (e.g. net.ipv4.tcp_tw_reuse_delay). */
  readSysctlOrNull(key: string): Promise<string | null>;
  /** Starts argv inside the namespace; it is SIGKILLed by destroy() at the latest. */
  spawn(argv: readonly string[], opts?: SpawnOptions): NsProcess;
  /** Adds an address to the namespace's own lo, e.g. "10.9.0.1/32" or "fd00::1/128". */
  addAddress(cidr: string): Promise<void>;
  /** Pids of every process inside the namespace (`ip netns pids`). */
  pids(): Promise<number[]>;
  /** Kills every process inside the namespace and deletes it; safe to call twice. */
  destroy(): Promise<void>;
}

const NAME_PREFIX = 'pw-';
// pw-<label>-<creator pid>-<sequence>: the creator pid lets a later run delete what a crashed run left.
const NAME_PATTERN = /^pw-[a-z0-9]{1,20}-(\d{1,10})-(\d{1,6})$/;
const DEFAULT_TIMEOUT_MS = 10_000;

let support: NamespaceSupport | undefined;
let sequence = 0;
const live = new Set<string>();
let exitHookInstalled = false;

/** Checks once whether network namespaces can be used here: Linux, root, `ip` and `ss` present, and `ip netns add` works. */
export function canUseNamespaces(): NamespaceSupport {
  support ??= probeSupport();
  return support;
}

function probeSupport(): NamespaceSupport {
  if (process.platform !== 'linux') return { ok: false, reason: `network namespaces are Linux only (platform is ${process.platform})` };
  const uid = process.getuid?.();
  if (uid !== 0) return { ok: false, reason: `not root (uid ${uid}): creating a network namespace needs CAP_SYS_ADMIN` };
  for (const [tool, args] of [['ip', ['-V']], ['ss', ['-V']]] as const) {
    const r = spawnSync(tool, args, { encoding: 'utf8', timeout: 5_000 });
    if (r.error) return { ok: false, reason: `\`${tool}\` (iproute2) cannot be run: ${r.error.message}` };
  }
  const probe = `${NAME_PREFIX}probe-${process.pid}-0`;
  const add = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8', timeout: 5_000 });
  if (add.status !== 0) return { ok: false, reason: `\`ip netns add ${probe}\` failed: ${(add.stderr || add.error?.message || `status ${add.status}`).trim()}` };
  spawnSync('ip', ['netns', 'del', probe], { timeout: 5_000 });
  return { ok: true };
}

/** Creates a namespace named pw-<prefix>-<pid>-<n> with lo up; throws when namespaces cannot be used. */
export async function createNamespace(prefix = 'test'): Promise<Namespace> {
  const s = canUseNamespaces();
  if (!s.ok) throw new Error(`cannot create a network namespace: ${s.reason}`);
  const label = prefix.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 20) || 'test';
  const name = `${NAME_PREFIX}${label}-${process.pid}-${++sequence}`;
  installExitHook();
  sweepStaleNamespaces();
  await run(['ip', 'netns', 'add', name], {}, true);
  live.add(name);
  const ns = new NamespaceImpl(name);
  try {
    await ns.execOrThrow(['ip', 'link', 'set', 'lo', 'up']);
  } catch (e) {
    await ns.destroy();
    throw e;
  }
  return ns;
}

/** Runs fn with a fresh namespace and always destroys it afterwards, even when fn throws. */
export async function withNamespace<T>(prefix: string, fn: (ns: Namespace) => Promise<T>): Promise<T> {
  const ns = await createNamespace(prefix);
  try {
    return await fn(ns);
  } finally {
    await ns.destroy();
  }
}

class NamespaceImpl implements Namespace {
  private readonly processes = new Set<NsProcessImpl>();
  private destroyed = false;

  constructor(readonly name: string) {}

  exec(argv: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
    return run(this.wrap(argv), opts, false);
  }

  execOrThrow(argv: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
    return run(this.wrap(argv), opts, true);
  }

  async sysctl(key: string, value: string | number): Promise<void> {
    const wanted = normaliseSysctl(String(value));
    // sysctl -w can report success for a value the kernel did not keep: the read-back is the proof.
    const w = await this.exec(['sysctl', '-w', `${key}=${wanted}`]);
    const got = await this.readSysctlOrNull(key);
    if (got !== wanted) {
      throw new Error(`${this.name}: sysctl ${key}=${JSON.stringify(wanted)} did not take: reads back ${JSON.stringify(got)}${w.stderr.trim() ? ` (${w.stderr.trim()})` : ''}`);
    }
  }

  async readSysctl(key: string): Promise<string> {
    const v = await this.readSysctlOrNull(key);
    if (v === null) throw new Error(`${this.name}: cannot read sysctl ${key}`);
    return v;
  }

  async readSysctlOrNull(key: string): Promise<string | null> {
    const r = await this.exec(['sysctl', '-n', key]);
    return r.code === 0 ? normaliseSysctl(r.stdout) : null;
  }

  spawn(argv: readonly string[], opts: SpawnOptions = {}): NsProcess {
    if (this.destroyed) throw new Error(`${this.name} has been destroyed`);
    const full = opts.keepMounts ? ['nsenter', `--net=/run/netns/${this.name}`, '--', ...argv] : this.wrap(argv);
    const child = spawn(full[0]!, full.slice(1), {
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(opts.cwd === undefined ? {} : { cwd: opts.cwd }),
      ...(opts.env === undefined ? {} : { env: opts.env }),
    });
    const p = new NsProcessImpl(child, argv);
    this.processes.add(p);
    return p;
  }

  async addAddress(cidr: string): Promise<void> {
    if (cidr.startsWith('-')) throw new Error(`refusing address ${JSON.stringify(cidr)}`);
    await this.execOrThrow(['ip', 'addr', 'add', cidr, 'dev', 'lo']);
  }

  async pids(): Promise<number[]> {
    const r = await run(['ip', 'netns', 'pids', this.name], {}, false);
    return r.stdout.split(/\s+/).filter(Boolean).map(Number).filter((n) => Number.isInteger(n) && n > 0);
  }

  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const p of this.processes) p.kill('SIGKILL');
    // Anything else started inside (children of our programs) goes too: every process in this namespace is ours.
    const deadline = Date.now() + 5_000;
    for (;;) {
      const pids = await this.pids();
      if (pids.length === 0 || Date.now() > deadline) break;
      for (const pid of pids) killQuietly(pid);
      await sleep(50);
    }
    await Promise.all([...this.processes].map((p) => p.wait(2_000).catch(() => undefined)));
    await run(['ip', 'netns', 'del', this.name], {}, false);
    live.delete(this.name);
  }

  private wrap(argv: readonly string[]): string[] {
    if (argv.length === 0) throw new Error('empty argv');
    return ['ip', 'netns', 'exec', this.name, ...argv];
  }
}

class NsProcessImpl implements NsProcess {
  readonly pid: number;
  readonly lines: string[] = [];
  readonly events: Record<string, unknown>[] = [];
  stderr = '';
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private readonly listeners = new Set<() => void>();
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(
    private readonly child: ChildProcess,
    readonly argv: readonly string[],
  ) {
    if (child.pid === undefined) throw new Error(`could not start ${argv.join(' ')}`);
    this.pid = child.pid;
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (d: string) => {
      // Bounded: keep the last 64 KiB, which is what a failure message needs.
      this.stderr = (this.stderr + d).slice(-65_536);
    });
    const stdoutDone = new Promise<void>((resolve) => {
      const rl = createInterface({ input: child.stdout!, crlfDelay: Infinity });
      rl.on('line', (line) => {
        this.lines.push(line);
        const e = parseEvent(line);
        if (e) this.events.push(e);
        this.notify();
      });
      rl.on('close', resolve);
    });
    this.exited = new Promise((resolve) => {
      child.on('close', (code, signal) => {
        // 'close' comes after stdio ended, but wait for the line reader too so no last line is lost.
        void stdoutDone.then(() => {
          this.exit = { code, signal };
          this.notify();
          resolve(this.exit);
        });
      });
      child.on('error', (err) => {
        this.stderr += `\n${err.message}`;
      });
    });
  }

  waitForLine(re: RegExp, timeoutMs: number): Promise<string> {
    return this.waitFor(() => this.lines.find((l) => re.test(l)), `a line matching ${re}`, timeoutMs);
  }

  waitForEvent(match: (e: Record<string, unknown>) => boolean, timeoutMs: number): Promise<Record<string, unknown>> {
    return this.waitFor(() => this.events.find(match), `an event matching ${match.toString()}`, timeoutMs);
  }

  async *linesIterator(): AsyncIterableIterator<string> {
    let i = 0;
    for (;;) {
      while (i < this.lines.length) yield this.lines[i++]!;
      if (this.exit) return;
      await new Promise<void>((resolve) => {
        const once = (): void => {
          this.listeners.delete(once);
          resolve();
        };
        this.listeners.add(once);
      });
    }
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    if (this.exit === undefined && this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
  }

  async wait(timeoutMs = 10_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.kill('SIGKILL');
        reject(new Error(`${this.describe()} did not end within ${timeoutMs} ms (killed)`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private waitFor<T>(find: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = (): boolean => {
        const found = find();
        if (found !== undefined) {
          finish();
          resolve(found);
          return true;
        }
        if (this.exit) {
          finish();
          reject(new Error(`${this.describe()} ended (${JSON.stringify(this.exit)}) before printing ${what}${this.tail()}`));
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`${this.describe()} printed no ${what} within ${timeoutMs} ms${this.tail()}`));
      }, timeoutMs);
      const finish = (): void => {
        clearTimeout(timer);
        this.listeners.delete(listener);
      };
      const listener = (): void => void check();
      this.listeners.add(listener);
      check();
    });
  }

  private notify(): void {
    for (const l of [...this.listeners]) l();
  }

  private describe(): string {
    return `pid ${this.pid} (${this.argv.join(' ')})`;
  }

  private tail(): string {
    const out = this.lines.slice(-5).join('\n');
    return `\n--- last stdout lines ---\n${out}\n--- stderr ---\n${this.stderr.slice(-2_000)}`;
  }
}

/** Runs a command (argv, no shell) with a timeout, collecting its output. */
function run(argv: readonly string[], opts: ExecOptions, throwOnFailure: boolean): Promise<ExecResult> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), {
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(opts.cwd === undefined ? {} : { cwd: opts.cwd }),
      ...(opts.env === undefined ? {} : { env: opts.env }),
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${argv.join(' ')}: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const result = { code, signal, stdout, stderr, timedOut };
      if (throwOnFailure && (code !== 0 || timedOut)) {
        const why = timedOut ? `timed out after ${timeoutMs} ms` : `exited with ${code ?? signal}`;
        reject(new Error(`${argv.join(' ')} ${why}: ${stderr.trim() || stdout.trim()}`));
      } else resolve(result);
    });
  });
}

function parseEvent(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const v: unknown = JSON.parse(line);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function normaliseSysctl(v: string): string {
  return v.trim().split(/\s+/).join(' ');
}

/** SIGKILL a process that may already have gone (a namespace's process list is a snapshot). */
export function killIfAlive(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

/** killIfAlive for clean-up paths (exit handlers), where nothing may throw. */
function killQuietly(pid: number): void {
  try {
    killIfAlive(pid);
  } catch {
    // nothing more to do while cleaning up
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Deletes what this process still holds when it exits (synchronously: 'exit' handlers cannot wait). */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const name of live) {
      const pids = spawnSync('ip', ['netns', 'pids', name], { encoding: 'utf8', timeout: 2_000 }).stdout ?? '';
      for (const pid of pids.split(/\s+/).filter(Boolean).map(Number)) if (pid > 0) killQuietly(pid);
      spawnSync('ip', ['netns', 'del', name], { timeout: 2_000 });
    }
  });
}

/**
 * Deletes namespaces this harness created in runs that have ended without cleaning up (creator pid
 * gone). Their processes are left alone: workloads end by themselves (their --max-lifetime-ms guard).
 */
function sweepStaleNamespaces(): void {
  const list = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8', timeout: 2_000 }).stdout ?? '';
  for (const line of list.split('\n')) {
    const name = line.split(' ')[0] ?? '';
    const m = NAME_PATTERN.exec(name);
    if (!m || live.has(name)) continue;
    if (!pidAlive(Number(m[1]))) spawnSync('ip', ['netns', 'del', name], { timeout: 2_000 });
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
