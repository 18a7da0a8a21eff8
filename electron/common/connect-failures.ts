// Failed connect()/bind() calls seen by the kernel's own tracepoints (Linux, bpftrace): facts, not
// inference. A destination with failures in the recent window is exhausted, whatever the socket table
// suggests, and the diagnosis quotes the failures.
import type { DestinationUsage, Diagnosis, Sample, SourceStatus } from './model.js';
import { formatCount, formatHostPort } from './format.js';

/** One (process, netns, destination, errno) whose calls failed for lack of a port. */
export interface ConnectFailure {
  pid: number;
  /** The process's command name (comm, up to 15 bytes; from outside: clean before printing). */
  name: string;
  /** Network namespace inode of the failing process. */
  netns: number;
  /** connect: the destination; bind: the local address asked for. */
  syscall: 'connect' | 'bind';
  remoteAddress: string;
  remotePort: number;
  /** 99 EADDRNOTAVAIL (no free port), 98 EADDRINUSE (the port is taken). */
  errno: 98 | 99;
  count: number;
  /** Failed calls in the last FAILURES_CURRENT_MS (absent from producers that cannot tell, such as older versions). */
  recentCount?: number;
  /** Where the process runs, when it has a name: "pod web-7", "netns blue" (from outside: clean before printing). */
  place?: string;
  /** Epoch ms of the first and the last second it was seen in. */
  firstSeen: number;
  lastSeen: number;
  /**
   * Failed in a network namespace other than the one the sample describes (or the sample's own could not
   * be read): listed and reported, never judged there. That namespace's ports are not the ones that ran out.
   */
  elsewhere?: true;
}

/** Failures at most this old make the destination exhausted now. */
export const FAILURES_CURRENT_MS = 60_000;

const ERRNO_NAME = { 98: 'EADDRINUSE', 99: 'EADDRNOTAVAIL' } as const;

/** "10.0.3.7:8080", "[::1]:8080": the destination (connect) or the local address asked for (bind). */
export function failureEndpoint(f: Pick<ConnectFailure, 'remoteAddress' | 'remotePort'>): string {
  return formatHostPort(f.remoteAddress, f.remotePort);
}

/** "EADDRNOTAVAIL" or "EADDRINUSE". */
export function errnoName(errno: ConnectFailure['errno']): string {
  return ERRNO_NAME[errno];
}

/**
 * "nginx (pid 812) in pod web-7 failed 1,204 connects to 10.0.3.7:8080 in the last minute (EADDRNOTAVAIL)";
 * without a recent count (older producers): the count since first seen, without "in the last minute".
 */
export function describeFailure(f: ConnectFailure): string {
  const n = f.recentCount ?? f.count;
  const calls = f.syscall === 'connect' ? `connect${n === 1 ? '' : 's'} to` : `bind${n === 1 ? '' : 's'} of`;
  const when = f.recentCount === undefined ? '' : ' in the last minute';
  return `${f.name} (pid ${f.pid}) in ${f.place ?? `netns ${f.netns}`} failed ${formatCount(n)} ${calls} ${failureEndpoint(f)}${when} (${ERRNO_NAME[f.errno]})`;
}

/** The failures happening now (seen in the last FAILURES_CURRENT_MS) wherever they happen, most failed calls first. */
export function recentFailures(failures: readonly ConnectFailure[] | undefined, now: number): ConnectFailure[] {
  return (failures ?? []).filter((f) => now - f.lastSeen <= FAILURES_CURRENT_MS && (f.recentCount ?? f.count) > 0).sort((a, b) => (b.recentCount ?? b.count) - (a.recentCount ?? a.count) || b.lastSeen - a.lastSeen);
}

/** The failures happening now in the sample's own namespace: the ones that judge it (severity, cause, episodes, alerts). */
export function currentFailures(failures: readonly ConnectFailure[] | undefined, now: number): ConnectFailure[] {
  return recentFailures(failures, now).filter((f) => !f.elsewhere);
}

/** 4026531840 from "net:[4026531840]" (how a snapshot names its namespace); null when it is not known. */
export function netnsInode(link: string): number | null {
  const m = /^net:\[(\d+)\]$/.exec(link);
  return m ? Number(m[1]) : null;
}

/** Whether a failure happened toward this destination of the table (same address and port, and the same netns when both are known). */
function failedToward(d: DestinationUsage, f: ConnectFailure): boolean {
  if (f.syscall !== 'connect' || d.remoteAddress !== f.remoteAddress || d.remotePort !== f.remotePort) return false;
  const inode = /(\d+)/.exec(d.netns)?.[1];
  return inode === undefined || Number(inode) === f.netns;
}

/**
 * The sample with the observed failures added: `connectFailures` always (empty when none), each one not in
 * `ownNetns` marked `elsewhere`. Failures in the sample's own namespace during the last FAILURES_CURRENT_MS
 * make it "exhausted" with the failures quoted, and a diagnosis. Failures elsewhere get a warning diagnosis
 * that quotes them and leave the severity alone: a pod that ran out of its own ports says nothing about
 * this namespace's. When the own namespace is unknown (null), no failure is judged: which one is ours
 * would be a guess.
 */
export function withConnectFailures(sample: Sample, failures: readonly ConnectFailure[], now: number, ownNetns: number | null): Sample {
  const marked = failures.map((f) => (ownNetns !== null && f.netns === ownNetns ? withoutElsewhere(f) : { ...f, elsewhere: true as const }));
  const sorted = marked.sort((a, b) => b.count - a.count || b.lastSeen - a.lastSeen);
  const out: Sample = { ...sample, connectFailures: sorted, diagnoses: withElsewhere(sample.diagnoses, recentFailures(sorted, now).filter((f) => f.elsewhere), ownNetns) };
  const current = currentFailures(sorted, now);
  if (current.length === 0) return out;
  const total = current.reduce((n, f) => n + (f.recentCount ?? f.count), 0);
  // The destinations of the table the failures went to are exhausted too: a fact, whatever their figures say.
  const destinations = sample.destinations.map((d) => (current.some((f) => failedToward(d, f)) ? { ...d, severity: 'exhausted' as const } : d));
  const worst = sample.worst ? (destinations.find((d) => d.key === sample.worst!.key) ?? sample.worst) : null;
  const quoted = current.slice(0, 3).map(describeFailure);
  const diagnosis: Diagnosis = {
    id: 'port-allocation-failures',
    severity: 'critical',
    title: 'The kernel refused connects for lack of a port (observed)',
    summary: `${quoted[0]}${current.length > 1 ? `, and ${current.length - 1} more` : ''}: seen by the kernel's own tracepoints, not inferred.`,
    evidence: evidenceOf(current),
    recommendations: [],
  };
  return {
    ...out,
    destinations,
    worst,
    severity: 'exhausted',
    severityReason: `Observed: ${quoted.join('; ')}${current.length > 3 ? `; ${current.length - 3} more` : ''} (${formatCount(total)} failed calls in the last ${Math.round(FAILURES_CURRENT_MS / 1000)} s).`,
    diagnoses: [diagnosis, ...out.diagnoses],
  };
}

function withoutElsewhere(f: ConnectFailure): ConnectFailure {
  if (!f.elsewhere) return f;
  const { elsewhere: _, ...own } = f;
  return own;
}

function evidenceOf(failures: readonly ConnectFailure[]): string[] {
  return failures.slice(0, 10).map((f) => `${describeFailure(f)}, ${new Date(f.firstSeen).toISOString()} – ${new Date(f.lastSeen).toISOString()}`);
}

/** The diagnoses with one (a warning, first) for failures happening in other namespaces, when there are any. */
function withElsewhere(diagnoses: Diagnosis[], elsewhere: readonly ConnectFailure[], ownNetns: number | null): Diagnosis[] {
  if (elsewhere.length === 0) return diagnoses;
  const where = new Set(elsewhere.map((f) => f.place ?? `netns ${f.netns}`));
  const diagnosis: Diagnosis = {
    id: 'port-allocation-failures-elsewhere',
    severity: 'warning',
    title: ownNetns === null ? 'The kernel refused connects for lack of a port, in a namespace this reading cannot place (observed)' : 'The kernel refused connects for lack of a port in another network namespace (observed)',
    summary:
      `${describeFailure(elsewhere[0]!)}${elsewhere.length > 1 ? `, and ${elsewhere.length - 1} more` : ''}. ` +
      (ownNetns === null
        ? 'This reading could not name its own network namespace, so these failures do not judge it.'
        : `${where.size === 1 ? 'That namespace has' : 'Those namespaces have'} ports of ${where.size === 1 ? 'its' : 'their'} own: this one's severity does not rest on them.`),
    evidence: evidenceOf(elsewhere),
    recommendations: [
      {
        kind: 'investigate',
        text: "Judge every namespace on its own: `portwatch check --netns host`, `portwatch serve --netns host`, or the desktop app's all-namespaces watch (as root).",
      },
    ],
  };
  return [diagnosis, ...diagnoses];
}

/** The source name the connect-failure tracer reports under in Sample.sources. */
export const TRACER_SOURCE = 'connect-tracer';

/** The tracer's state as people read it: running or not, why not, and the fix (split from its source status). */
export interface TracerView {
  status: SourceStatus['status'];
  /** Why it does not run ("bpftrace is not installed"), null when it runs. */
  reason: string | null;
  /** What to do ("apt-get install bpftrace"), null when there is nothing to do. */
  fix: string | null;
}

/** The tracer's state from a sample, or null when the sample has no tracer (not Linux, or an older engine). */
export function tracerView(sample: Pick<Sample, 'sources'> | null): TracerView | null {
  const s = sample?.sources.find((x) => x.name === TRACER_SOURCE);
  if (!s) return null;
  const m = /^(.*) \(fix: (.*)\)$/s.exec(s.error ?? '');
  return { status: s.status, reason: m ? m[1]! : (s.error ?? null), fix: m ? m[2]! : null };
}
