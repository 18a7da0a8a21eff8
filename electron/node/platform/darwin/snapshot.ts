// Turns the raw sources of one macOS read (live or from a capture bundle) into a Snapshot. Pure: the
// same bytes give the same Snapshot on any machine.
import type { KernelCounters, KernelSettings } from '../../../common/model.js';
import { parseDarwinNetstat } from '../parse/darwin-netstat.js';
import { parseDarwinTcpStats } from '../parse/darwin-netstat-stats.js';
import { parseDarwinPs } from '../parse/darwin-ps.js';
import { darwinPortRange, darwinTimeWait, parseSysctlValues } from '../parse/darwin-sysctl.js';
import { SourceStatuses } from '../source-status.js';
import type { RawSnapshot, Snapshot, SocketTable } from '../types.js';
import { DARWIN_SOURCES } from './commands.js';
import { NO_COUNTERS } from '../no-counters.js';
import { nonLinuxKernel } from '../non-linux-kernel.js';

/** Counters macOS does not have (TcpExt-style): null, never zero. */
export const DARWIN_NO_COUNTER: Readonly<KernelCounters> = NO_COUNTERS;

/** Parses every raw source of a macOS read; problems degrade the source they came from. */
export function parseDarwinSnapshot(raw: RawSnapshot): Snapshot {
  const st = new SourceStatuses(raw);
  const S = DARWIN_SOURCES;

  const sysctl = st.parse(S.sysctl, (d, n) => parseSysctlValues(d.toString('utf8'), n));
  let portRange = null;
  if (sysctl) {
    const r = darwinPortRange(sysctl, S.sysctl);
    st.degrade(S.sysctl, r.problems);
    portRange = r.value;
  }
  const tw = darwinTimeWait(sysctl);
  if (tw.problem) st.degrade(S.sysctl, [`${S.sysctl}: ${tw.problem}`]);
  const kernel: KernelSettings = nonLinuxKernel({ portRange, reservedPorts: null, timeWaitSec: tw.timeWaitSec, timeWaitSource: tw.timeWaitSource });

  const stats = st.parse(S.tcpStats, (d, n) => parseDarwinTcpStats(d.toString('utf8'), n));
  const counters: KernelCounters = { ...DARWIN_NO_COUNTER, ...(stats ?? {}) };

  const processNames = new Map<number, string>();
  const sockets: SocketTable | null = st.parse(S.sockets, (d, n) => {
    const r = parseDarwinNetstat(d, n);
    for (const [pid, name] of r.processNames) processNames.set(pid, name);
    return { value: r.table, problems: r.problems };
  });
  const ps = st.parse(S.processes, (d, n) => parseDarwinPs(d.toString('utf8'), n));
  if (sockets) {
    for (let i = 0; i < sockets.count; i++) {
      const pid = sockets.pid[i]!;
      if (pid > 0 && !processNames.has(pid)) {
        const name = ps?.get(pid);
        if (name !== undefined) processNames.set(pid, name);
      }
    }
  }

  st.add({ name: 'reserved-ports', status: 'unsupported', error: 'macOS has no reserved-port list: connect() may pick any port of portrange.first–last', durationMs: 0 });
  st.add({ name: 'time-wait-age', status: 'unsupported', error: 'netstat does not show how long a socket has been in TIME-WAIT', durationMs: 0 });
  const host = raw.sources.find((s) => s.name === S.hostname);
  return {
    time: raw.time,
    platform: 'darwin',
    hostname: host?.data ? host.data.toString('utf8').trim() : '',
    netns: '',
    kernel,
    counters,
    sockets,
    processNames,
    sources: st.list(),
  };
}
