// Runs the system's bpftrace on a fixed program shipped with Portwatch (argv array, no shell) and keeps what
// it reports, host-wide: by default connect-failures.bt, every connect() that found no free local port
// (EADDRNOTAVAIL), seen at the TCP state change the kernel makes then, which costs nothing to other
// syscalls; with `syscalls`, syscall-failures.bt, every connect() and bind() refused with EADDRINUSE or
// EADDRNOTAVAIL, bound sockets included, at the cost of sending every syscall on the host through the
// tracing path (the .bt files say why; `npm run bench -- tracer` measures both). It never
// blocks a sample (reading is asynchronous, snapshot() is a copy), is restarted with backoff when it dies,
// and is stopped with its owner (SIGINT lets bpftrace detach its probes; SIGKILL after a grace period).
// When it cannot run (not Linux, not root, no bpftrace, no tracefs, lockdown, no BTF) it says why and how
// to fix it, and everything else works as before.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConnectFailure } from '../../../../common/connect-failures.js';
import type { SourceStatus } from '../../../../common/model.js';
import { FAILURES_CURRENT_MS, TRACER_SOURCE } from '../../../../common/connect-failures.js';
import { parseTracerLine } from './tracer-output.js';
import { DEFAULT_PLACE_ROOTS, failurePlace, type PlaceRoots } from './failure-place.js';

/** Where things are; tests point these elsewhere. */
export interface TracerOptions {
  /** bpftrace candidates, first executable file wins (default: bpftrace in each absolute directory of PATH). */
  bpftrace?: readonly string[];
  /** The syscall-tracepoint program instead of the default (see the file comment). */
  syscalls?: boolean;
  /** The .bt program (default: the one `syscalls` chooses, found by tracerProgramCandidates). */
  program?: string;
  tracefs?: readonly string[];
  /** Effective uid (default process.geteuid()). */
  euid?: number;
  /** How long failures are kept after they were last seen. */
  keepMs?: number;
  /** First restart delay; doubles up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
  now?: () => number;
  /** Where to find pod and netns names (null: do not look them up). */
  places?: PlaceRoots | null;
}

/** One key as kept: the failure and its per-second counts of the last minute. */
interface Kept extends ConnectFailure {
  /** (time seen, failed calls) per print of bpftrace, newest last; only the last FAILURES_CURRENT_MS. */
  recent: { t: number; n: number }[];
}

/** Per-print counts kept per key, at most (bpftrace prints a key at most once a second). */
const MAX_RECENT = 2 * Math.ceil(FAILURES_CURRENT_MS / 1000);

const here = dirname(fileURLToPath(import.meta.url));
/** The programs, and the tracefs event directory each needs. */
const PROGRAMS = { state: { file: 'connect-failures.bt', events: 'sock' }, syscalls: { file: 'syscall-failures.bt', events: 'syscalls' } } as const;

/**
 * Where a program is, first that exists: beside this module (the source tree, run by tsx), beside the
 * bundled CLI's folder (resources/cli/portwatch.mjs → resources/tracer, in the desktop packages), in the
 * app's resources (the desktop main process), or in the source tree from the compiled out/node/…/tracer
 * (the npm package, which ships the .bt files in their source folder).
 */
export function tracerProgramCandidates(file: string, from = here, resourcesPath = (process as { resourcesPath?: string }).resourcesPath): string[] {
  return [join(from, file), join(from, '../tracer', file), ...(resourcesPath ? [join(resourcesPath, 'tracer', file)] : []), join(from, '../../../../../../../electron/node/platform/linux/tracer', file)];
}

const TRACEFS = ['/sys/kernel/tracing', '/sys/kernel/debug/tracing'];
/** Where bpftrace is looked for when there is no PATH. */
const BPFTRACE = ['/usr/bin/bpftrace', '/usr/sbin/bpftrace', '/usr/local/bin/bpftrace'];

/**
 * bpftrace candidates: each absolute directory of PATH, as a shell would look (a relative entry such as
 * "." is never used: a root process must not run what lies in whatever directory it was started from).
 */
function bpftraceOnPath(path: string | undefined): string[] {
  if (path === undefined) return BPFTRACE;
  return path.split(':').filter((d) => isAbsolute(d)).map((d) => join(d, 'bpftrace'));
}

/** An executable regular file. */
function isExecutable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return statSync(p).isFile();
  } catch {
    return false;
  }
}
const MAX_KEYS = 1000;

/** The tracer's state, as a source status plus the fix when it cannot run. */
export interface TracerState {
  status: SourceStatus['status'];
  error?: string;
  /** What to do about it (a command when there is one). */
  fix?: string;
  restarts: number;
}

/** A tracer on Linux (it says itself when it cannot run there), null elsewhere: nothing to trace with. */
export function createConnectFailureTracer(o: TracerOptions = {}): ConnectFailureTracer | null {
  return process.platform === 'linux' ? new ConnectFailureTracer(o) : null;
}

/** The preflight: null when the tracer can start, else why not and the fix. */
export function tracerPreflight(o: TracerOptions = {}): { status: 'unsupported' | 'failed'; error: string; fix: string } | { bpftrace: string; program: string } {
  if (process.platform !== 'linux') return { status: 'unsupported', error: 'the connect-failure tracer needs Linux (bpftrace)', fix: 'none on this platform' };
  const euid = o.euid ?? process.geteuid?.() ?? -1;
  if (euid !== 0) return { status: 'unsupported', error: 'tracing connect() failures needs root (bpftrace loads eBPF programs)', fix: 'run Portwatch as root (sudo portwatch serve / check)' };
  const bpftrace = (o.bpftrace ?? bpftraceOnPath(process.env.PATH)).find(isExecutable);
  if (!bpftrace) return { status: 'unsupported', error: 'bpftrace is not installed (no executable bpftrace on PATH)', fix: 'apt-get install bpftrace (Debian/Ubuntu) or dnf install bpftrace, or add its directory to PATH' };
  const wanted = o.syscalls ? PROGRAMS.syscalls : PROGRAMS.state;
  const program = o.program ?? tracerProgramCandidates(wanted.file).find((p) => existsSync(p));
  if (!program || !existsSync(program)) return { status: 'failed', error: `the tracer program ${wanted.file} is missing from this installation`, fix: 'reinstall Portwatch' };
  const tracefs = (o.tracefs ?? TRACEFS).find((p) => existsSync(join(p, 'events', wanted.events)));
  if (!tracefs) return { status: 'failed', error: `tracefs is not mounted (no /sys/kernel/tracing/events/${wanted.events})`, fix: 'mount -t tracefs nodev /sys/kernel/tracing' };
  const lockdown = readText('/sys/kernel/security/lockdown');
  if (lockdown && /\[confidentiality\]/.test(lockdown)) return { status: 'unsupported', error: 'kernel lockdown (confidentiality) forbids reading kernel memory with eBPF', fix: 'boot without lockdown=confidentiality (or with Secure Boot off), if your policy allows' };
  if (!existsSync('/sys/kernel/btf/vmlinux')) return { status: 'unsupported', error: 'the kernel has no BTF (/sys/kernel/btf/vmlinux), needed to read the network namespace of a failed connect', fix: 'a kernel built with CONFIG_DEBUG_INFO_BTF=y' };
  return { bpftrace, program };
}

function readText(p: string): string | null {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return null;
  }
}

/** Keeps the tracer running and the failures it saw (see the file comment). */
export class ConnectFailureTracer {
  private child: ChildProcess | null = null;
  private running = false;
  private restartTimer: NodeJS.Timeout | undefined;
  private backoff: number;
  private readonly failures = new Map<string, Kept>();
  /** (pid|netns) → its place name, null when it has none; undefined while looking. */
  private readonly places = new Map<string, string | null | undefined>();
  private state: TracerState = { status: 'unsupported', error: 'not started', restarts: 0 };
  private attached = false;
  private attachWaiters: (() => void)[] = [];
  /** Lines that could not be read (kept for the status; never thrown). */
  problems = 0;

  constructor(private readonly o: TracerOptions = {}) {
    this.backoff = o.backoffMs ?? 1000;
  }

  /** The pid of the running bpftrace, for tests. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts (or says why it cannot); returns at once. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.launch();
  }

  /** Resolves once the probes are attached (or after timeoutMs, or at once when it cannot run); true if attached. */
  waitAttached(timeoutMs: number): Promise<boolean> {
    if (this.attached || this.state.status === 'unsupported' || this.state.status === 'failed') return Promise.resolve(this.attached);
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(this.attached), timeoutMs);
      this.attachWaiters.push(() => {
        clearTimeout(t);
        resolve(true);
      });
    });
  }

  /** The tracer as a source of a sample. */
  status(): SourceStatus {
    const s = this.state;
    return { name: TRACER_SOURCE, status: s.status, durationMs: 0, ...(s.error ? { error: `${s.error}${s.fix ? ` (fix: ${s.fix})` : ''}` } : {}) };
  }

  /** The tracer's state (with the fix when it cannot run), for the dashboard and /metrics. */
  get tracerState(): TracerState {
    return { ...this.state };
  }

  /** Failures seen in the last keepMs, as a copy, each with its count of the last minute and its place when known. */
  snapshot(): ConnectFailure[] {
    const now = (this.o.now ?? Date.now)();
    const keep = this.o.keepMs ?? 10 * 60_000;
    for (const [k, f] of this.failures) if (now - f.lastSeen > keep) this.failures.delete(k);
    const out: ConnectFailure[] = [];
    for (const { recent, ...f } of this.failures.values()) {
      while (recent.length > 0 && now - recent[0]!.t > FAILURES_CURRENT_MS) recent.shift();
      const place = this.places.get(`${f.pid}|${f.netns}`);
      out.push({ ...f, recentCount: recent.reduce((n, r) => n + r.n, 0), ...(place ? { place } : {}) });
    }
    return out;
  }

  /**
   * Stops bpftrace (its probes detach) and stays stopped. Resolves once its output is read to the end: on
   * SIGINT the program prints what it counted since its last print, so those failures are kept too.
   */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.restartTimer);
    const c = this.child;
    this.child = null;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    // 'close': the process has exited and its stdout is read to the end ('exit' can come before the last lines).
    const gone = new Promise<void>((r) => c.once('close', () => r()));
    c.kill('SIGINT');
    const t = setTimeout(() => c.kill('SIGKILL'), 5000);
    await gone;
    clearTimeout(t);
  }

  private launch(): void {
    const pre = tracerPreflight(this.o);
    if ('error' in pre) {
      this.state = { status: pre.status, error: pre.error, fix: pre.fix, restarts: this.state.restarts };
      return;
    }
    this.attached = false;
    // argv array, no shell; -f json: one JSON document per line.
    const child = spawn(pre.bpftrace, ['-f', 'json', pre.program], { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: '/usr/bin:/bin:/usr/sbin:/sbin', BPFTRACE_MAP_KEYS_MAX: String(MAX_KEYS * 4) } });
    this.child = child;
    this.state = { status: 'degraded', error: 'starting (attaching probes)', restarts: this.state.restarts };
    let held = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      const lines = (held + chunk).split('\n');
      held = lines.pop() ?? '';
      if (held.length > 2 * 1024 * 1024) held = '';
      for (const l of lines) this.onLine(l);
    });
    // A last line without its newline (bpftrace cut off) is read too.
    child.stdout!.on('end', () => {
      if (held !== '') this.onLine(held);
      held = '';
    });
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (c: string) => (stderr = (stderr + c).slice(-4000)));
    child.on('error', (e) => {
      this.state = { status: 'failed', error: `bpftrace could not start: ${e.message}`, restarts: this.state.restarts };
    });
    child.on('exit', (code, signal) => {
      if (this.child === child) this.child = null;
      if (!this.running) return;
      const why = stderr.split('\n').filter((l) => /ERROR/.test(l) && !/RLIMIT_MEMLOCK/.test(l)).pop()?.trim();
      this.state = { status: 'failed', error: `bpftrace ended (${code ?? signal})${why ? `: ${why.slice(0, 300)}` : ''}; restarting in ${Math.round(this.backoff / 1000)} s`, restarts: this.state.restarts + 1 };
      this.restartTimer = setTimeout(() => this.launch(), this.backoff);
      this.backoff = Math.min(this.backoff * 2, this.o.maxBackoffMs ?? 60_000);
    });
  }

  private onLine(line: string): void {
    const r = parseTracerLine(line);
    const now = (this.o.now ?? Date.now)();
    if (r.kind === 'bad') {
      this.problems++;
      return;
    }
    // Attached once a heartbeat comes (BEGIN's, after every probe is attached), not at bpftrace's
    // "attached_probes" line, which it prints before attaching: failures made then would not be counted.
    if (r.kind === 'heartbeat') {
      if (!this.attached) {
        this.attached = true;
        this.backoff = this.o.backoffMs ?? 1000;
        this.state = { status: 'ok', restarts: this.state.restarts };
        for (const w of this.attachWaiters.splice(0)) w();
      }
      return;
    }
    if (r.kind !== 'failures') return;
    this.problems += r.problems.length;
    for (const f of r.failures) {
      const key = `${f.pid}|${f.netns}|${f.errno}|${f.syscall}|${f.address}|${f.port}`;
      const had = this.failures.get(key);
      if (had) {
        had.count += f.count;
        had.lastSeen = now;
        had.name = f.comm;
        had.recent.push({ t: now, n: f.count });
        if (had.recent.length > MAX_RECENT) had.recent.shift();
      } else if (this.failures.size < MAX_KEYS) {
        this.failures.set(key, { pid: f.pid, name: f.comm, netns: f.netns, syscall: f.syscall, remoteAddress: f.address, remotePort: f.port, errno: f.errno, count: f.count, firstSeen: now, lastSeen: now, recent: [{ t: now, n: f.count }] });
        this.lookUpPlace(f.pid, f.netns);
      }
    }
  }

  // Names the pod or namespace of a new (pid, netns) in the background; the answer shows from the next snapshot.
  private lookUpPlace(pid: number, netns: number): void {
    const roots = this.o.places === undefined ? DEFAULT_PLACE_ROOTS : this.o.places;
    const key = `${pid}|${netns}`;
    if (!roots || this.places.has(key)) return;
    if (this.places.size >= MAX_KEYS) this.places.clear();
    this.places.set(key, undefined);
    void failurePlace(pid, netns, roots).then((p) => this.places.set(key, p));
  }
}
