// Failed connect()/bind() calls seen by the kernel's own tracepoints (Linux, bpftrace): facts, not
// inference. A destination with failures in the recent window is exhausted, whatever the socket table
// suggests, and the diagnosis quotes the failures.
import type { Diagnosis, Sample } from './model.js';

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
  /** Epoch ms of the first and the last second it was seen in. */
  firstSeen: number;
  lastSeen: number;
}

/** Failures at most this old make the destination exhausted now. */
export const FAILURES_CURRENT_MS = 60_000;

const ERRNO_NAME = { 98: 'EADDRINUSE', 99: 'EADDRNOTAVAIL' } as const;

function where(f: ConnectFailure): string {
  return f.remoteAddress.includes(':') ? `[${f.remoteAddress}]:${f.remotePort}` : `${f.remoteAddress}:${f.remotePort}`;
}

/** "nginx (pid 812) in netns 4026532173 failed 1,204 connects to 10.0.3.7:8080 (EADDRNOTAVAIL)". */
export function describeFailure(f: ConnectFailure): string {
  const calls = f.syscall === 'connect' ? `connect${f.count === 1 ? '' : 's'} to` : `bind${f.count === 1 ? '' : 's'} of`;
  return `${f.name} (pid ${f.pid}) in netns ${f.netns} failed ${f.count.toLocaleString('en-US')} ${calls} ${where(f)} (${ERRNO_NAME[f.errno]})`;
}

/**
 * The sample with the observed failures added: `connectFailures` always (empty when none); when any
 * failed in the last FAILURES_CURRENT_MS, severity "exhausted" with the failures quoted, and a diagnosis.
 */
export function withConnectFailures(sample: Sample, failures: readonly ConnectFailure[], now: number): Sample {
  const sorted = [...failures].sort((a, b) => b.count - a.count || b.lastSeen - a.lastSeen);
  const current = sorted.filter((f) => now - f.lastSeen <= FAILURES_CURRENT_MS);
  const out: Sample = { ...sample, connectFailures: sorted };
  if (current.length === 0) return out;
  const total = current.reduce((n, f) => n + f.count, 0);
  const quoted = current.slice(0, 3).map(describeFailure);
  const diagnosis: Diagnosis = {
    id: 'port-allocation-failures',
    severity: 'critical',
    title: 'The kernel refused connects for lack of a port (observed)',
    summary: `${quoted[0]}${current.length > 1 ? `, and ${current.length - 1} more` : ''}, in the last ${Math.round(FAILURES_CURRENT_MS / 1000)} s: seen by the kernel's own tracepoints, not inferred.`,
    evidence: current.slice(0, 10).map((f) => `${describeFailure(f)}, ${new Date(f.firstSeen).toISOString()} – ${new Date(f.lastSeen).toISOString()}`),
    recommendations: [],
  };
  return {
    ...out,
    severity: 'exhausted',
    severityReason: `Observed: ${quoted.join('; ')}${current.length > 3 ? `; ${current.length - 3} more` : ''} (${total.toLocaleString('en-US')} failed calls in the last ${Math.round(FAILURES_CURRENT_MS / 1000)} s).`,
    diagnoses: [diagnosis, ...sample.diagnoses],
  };
}
