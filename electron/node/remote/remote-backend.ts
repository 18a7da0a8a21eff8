// A Backend whose machine is a remote host over SSH: one fixed script per read, one round trip, the
// same raw sources as the local backends. It never throws: an unreachable host is a sample whose
// sources failed (severity unknown) and a status saying since when and why.
import type { PlatformName, Sample } from '../../common/model.js';
import { parseDarwinTcpStats } from '../platform/parse/darwin-netstat-stats.js';
import { parseCounterPairs, parseSockstat, pickCounters } from '../platform/parse/procfs.js';
import { NO_COUNTERS } from '../platform/no-counters.js';
import type { Backend, RawSnapshot, RawSource, Tick } from '../platform/types.js';
import { decodeRemoteOutput } from './remote-frames.js';
import { REMOTE_SCRIPT, remoteCommand, type RemoteMode } from './remote-script.js';
import { SSH_SOURCE, expectedFrames, remoteRawSources } from './remote-sources.js';
import { batchArgv, spawnSshRunner, type SshConnection, type SshRunner } from './ssh-command.js';
import { classifySshFailure, type SshFailureKind } from './ssh-errors.js';
import { formatSshTarget } from './ssh-target.js';

/** How a remote host is doing right now. */
export interface RemoteHostStatus {
  /** "connected" after a good read; otherwise why the last read failed ("never" before the first). */
  state: 'never' | 'connected' | SshFailureKind;
  /** Epoch ms since when the state holds (the first failure of a run of failures). */
  since: number | null;
  /** What to tell the user (empty when connected). */
  message: string;
}

/** Options for a remote backend. */
export interface RemoteBackendOptions {
  connection: SshConnection;
  /** Runs ssh (tests inject fakes for malformed output; default spawns /usr/bin/ssh). */
  runner?: SshRunner;
  /** Timeout of a full read (the socket table grows with the socket count). */
  timeoutMs?: number;
  /** Timeout of a counters-only read. */
  tickTimeoutMs?: number;
}

/** A Backend that reads a remote host, plus its reachability. */
export interface RemoteBackend extends Backend {
  /** "user@host:port" as the user wrote it. */
  readonly label: string;
  status(): RemoteHostStatus;
}

/** Creates the backend for one remote host. */
export function createRemoteBackend(opts: RemoteBackendOptions): RemoteBackend {
  const runner = opts.runner ?? spawnSshRunner;
  const label = formatSshTarget(opts.connection.target);
  let platform: PlatformName = 'linux';
  let status: RemoteHostStatus = { state: 'never', since: null, message: '' };

  async function read(mode: RemoteMode, timeoutMs: number, signal?: AbortSignal): Promise<{ time: number; platform: PlatformName; sources: RawSource[] }> {
    const time = Date.now();
    const t0 = performance.now();
    let argv: string[];
    try {
      argv = batchArgv(opts.connection, remoteCommand(mode));
    } catch (err) {
      return fail(time, 'ssh-failed', `${label}: ${(err as Error).message}`, 0);
    }
    const r = await runner(argv, REMOTE_SCRIPT, timeoutMs, signal);
    const durationMs = performance.now() - t0;
    const decoded = decodeRemoteOutput(r.stdout, expectedFrames(mode));
    // ssh exits 255 for its own failures; no header at all means the command never ran.
    if (r.exitCode === 255 || r.exitCode === null || (decoded.os === null && r.stdout.length === 0)) {
      const e = classifySshFailure(opts.connection.target, r.stderr, r.exitCode);
      return fail(time, e.kind, e.message, durationMs);
    }
    // ssh worked but what came back is not ours (a wrapper shell, a forced command, a lying host).
    if (decoded.os === null) return fail(time, 'ssh-failed', `${label}: ${decoded.problems.join('; ')}`, durationMs);
    const got = remoteRawSources(decoded, mode, label, durationMs);
    if (got.platform === null) return { time, platform, sources: got.sources };
    platform = got.platform;
    status = { state: 'connected', since: status.state === 'connected' ? status.since : time, message: '' };
    return { time, platform, sources: got.sources };
  }

  function fail(time: number, kind: SshFailureKind, message: string, durationMs: number): { time: number; platform: PlatformName; sources: RawSource[] } {
    const since = status.state === kind && status.since !== null ? status.since : time;
    status = { state: kind, since, message };
    return { time, platform, sources: [{ name: SSH_SOURCE, status: 'failed', error: message, durationMs }] };
  }

  return {
    label,
    get platform() {
      return platform;
    },
    status: () => status,
    async readAll(signal?: AbortSignal): Promise<RawSnapshot> {
      const r = await read('full', opts.timeoutMs ?? 30_000, signal);
      return { platform: r.platform, time: r.time, sources: r.sources };
    },
    async readTick(signal?: AbortSignal): Promise<Tick> {
      const r = await read('tick', opts.tickTimeoutMs ?? 10_000, signal);
      const statuses = r.sources.map((s) => ({ name: s.name, status: s.status, durationMs: s.durationMs, ...(s.error ? { error: s.error } : {}) }));
      const byName = new Map(r.sources.map((s) => [s.name, s]));
      const text = (name: string): string | null => {
        const s = byName.get(name);
        return s?.status === 'ok' && s.data ? s.data.toString('utf8') : null;
      };
      if (r.platform === 'darwin') {
        const stats = text('netstat-s-tcp');
        const parsed = stats === null ? null : parseDarwinTcpStats(stats, 'netstat-s-tcp');
        return { time: r.time, counters: { ...NO_COUNTERS, ...(parsed?.value ?? {}) }, sources: statuses };
      }
      const sockstat = text('proc-net-sockstat');
      const snmp = text('proc-net-snmp');
      return {
        time: r.time,
        counters: pickCounters(snmp === null ? null : parseCounterPairs(snmp, 'proc-net-snmp').value, null, sockstat === null ? null : parseSockstat(sockstat).value),
        sources: statuses,
      };
    },
  };
}

/** Why a host's sample says nothing ("Unreachable since …: why"), or null when the host answered. */
export function unreachableReason(status: RemoteHostStatus): string | null {
  if (status.state === 'connected' || status.state === 'never' || status.since === null) return null;
  const when = new Date(status.since).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  const what: Record<SshFailureKind, string> = {
    unreachable: 'Unreachable',
    'host-key-changed': 'Refused (host key changed)',
    'needs-login': 'Needs login',
    'host-key-unknown': 'Host key not yet accepted',
    'ssh-failed': 'Cannot be read',
  };
  return `${what[status.state]} since ${when}: ${status.message}`;
}

/** A sample of a host that did not answer is "unknown", with the reason saying since when: never "ok". */
export function withRemoteStatus(sample: Sample, status: RemoteHostStatus): Sample {
  const reason = unreachableReason(status);
  if (reason === null) return sample;
  return { ...sample, severity: 'unknown', severityReason: reason };
}
