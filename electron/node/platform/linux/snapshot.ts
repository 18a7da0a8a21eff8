// Turns the raw sources of one Linux read (live or from a capture bundle) into a Snapshot. Pure: the
// same bytes give the same Snapshot on any machine.
import type { KernelSettings, SourceStatus } from '../../../common/model.js';
import {
  parseCounterPairs,
  parseNetnsLink,
  parsePortList,
  parsePortRange,
  parseSockstat,
  parseSysctlInt,
  pickCounters,
  type Parsed,
} from '../parse/procfs.js';
import type { RawSnapshot, RawSource, Snapshot } from '../types.js';
import { parseSocketSources } from './sockets.js';
import { LINUX_SYSCTLS } from './file-sources.js';

/** Linux keeps a closed connection's 4-tuple for TCP_TIMEWAIT_LEN, a compile-time 60 s. */
export const LINUX_TIME_WAIT_SEC = 60;

/** Parses every raw source of a Linux read; problems degrade the source they came from. */
export function parseLinuxSnapshot(raw: RawSnapshot): Snapshot {
  const byName = new Map(raw.sources.map((s) => [s.name, s]));
  const statuses = new Map<string, SourceStatus>(
    raw.sources.map((s) => [s.name, { name: s.name, status: s.status, durationMs: s.durationMs, ...(s.error ? { error: s.error } : {}) }]),
  );
  const degrade = (name: string, problems: string[]): void => {
    const st = statuses.get(name);
    if (!st || problems.length === 0) return;
    st.status = 'degraded';
    const text = problems.slice(0, 5).join('; ') + (problems.length > 5 ? `; and ${problems.length - 5} more` : '');
    st.error = st.error ? `${st.error}; ${text}` : text;
  };
  /** Parses one source if it was read; a parse that yields nothing marks the source failed. */
  function parse<T>(name: string, parser: (text: string, file: string) => Parsed<T>): T | null {
    const src: RawSource | undefined = byName.get(name);
    if (!src || src.status !== 'ok' || !src.data) return null;
    const r = parser(src.data.toString('utf8'), name);
    degrade(name, r.problems);
    if (r.value === null) statuses.get(name)!.status = 'failed';
    return r.value;
  }
  unprovenAbsences(statuses);
  const int = (name: string, min = 0, max = Number.MAX_SAFE_INTEGER): number | null =>
    parse(name, (t, f) => parseSysctlInt(t, f, min, max));

  const twReuse = int('net.ipv4.tcp_tw_reuse', 0, 2) as 0 | 1 | 2 | null;
  const conntrackCount = int('net.netfilter.nf_conntrack_count');
  const conntrackMax = int('net.netfilter.nf_conntrack_max');
  const kernel: KernelSettings = {
    portRange: parse('net.ipv4.ip_local_port_range', parsePortRange),
    reservedPorts: parse('net.ipv4.ip_local_reserved_ports', parsePortList),
    unprivilegedPortStart: int('net.ipv4.ip_unprivileged_port_start', 0, 65536),
    twReuse,
    twReuseDelayMs: int('net.ipv4.tcp_tw_reuse_delay'),
    timestamps: int('net.ipv4.tcp_timestamps'),
    finTimeoutSec: int('net.ipv4.tcp_fin_timeout'),
    maxTwBuckets: int('net.ipv4.tcp_max_tw_buckets'),
    timeWaitSec: LINUX_TIME_WAIT_SEC,
    timeWaitSource: 'fixed in the Linux kernel (TCP_TIMEWAIT_LEN)',
    conntrack: conntrackCount !== null && conntrackMax !== null ? { count: conntrackCount, max: conntrackMax } : null,
  };
  const sockstat = parse('proc-net-sockstat', parseSockstat);
  const snmp = parse('proc-net-snmp', parseCounterPairs);
  const netstat = parse('proc-net-netstat', parseCounterPairs);
  const counters = pickCounters(snmp, netstat, sockstat);

  const socketSources = raw.sources.filter((s) => SOCKET_SOURCE.test(s.name));
  const sockets = parseSocketSources(socketSources);
  for (const problem of sockets.problems) {
    const owner = socketSources.find((s) => problem.startsWith(`${s.name}:`))?.name ?? socketSources[0]?.name;
    if (owner) degrade(owner, [problem]);
  }
  const hostnameSrc = byName.get('hostname');
  return {
    time: raw.time,
    platform: 'linux',
    hostname: hostnameSrc?.data ? hostnameSrc.data.toString('utf8').trim() : '',
    netns: parse('netns', (t) => parseNetnsLink(t)) ?? '',
    kernel,
    counters,
    sockets: sockets.table,
    processNames: sockets.processNames,
    sources: [...statuses.values()],
  };
}

const SOCKET_SOURCE = /^(tcp-diag-|proc-net-tcp|socket-owners)/;

/**
 * An optional sysctl's absence says "not on this kernel" only when the sysctls every Linux has were
 * there. When none of them was read (no /proc/sys at all, as under systemd's ProcSubset=pid), the
 * absence proves nothing: the source failed, like the others.
 */
function unprovenAbsences(statuses: Map<string, SourceStatus>): void {
  const required = LINUX_SYSCTLS.filter((x) => !x.optional).map((x) => statuses.get(x.key));
  if (required.some((st) => st === undefined || st.status === 'ok')) return;
  for (const { key } of LINUX_SYSCTLS.filter((x) => x.optional)) {
    const st = statuses.get(key);
    if (st?.status !== 'unsupported') continue;
    st.status = 'failed';
    st.error = (st.error ?? key).replace(/: not present on this system$/, '') + ': not found, nor were the sysctls every Linux has, so this says nothing of the kernel';
  }
}
