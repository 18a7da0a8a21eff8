// Turns the raw sources of one Windows read (live or from a capture bundle) into a Snapshot. Pure: the
// same bytes give the same Snapshot on any machine.
import type { KernelCounters, KernelSettings, PortRange } from '../../../common/model.js';
import { parseTcpipEvents, type TcpipEventCounts } from '../parse/win32-events.js';
import { excludedAsReserved, parseDynamicPort, parseExcludedPortRanges, type DynamicPortRange } from '../../../common/parse/win32-netsh.js';
import { parseWin32Netstat } from '../parse/win32-netstat.js';
import { parseWin32ProcessesJson } from '../parse/win32-processes-json.js';
import { parseTcpTimedWaitDelay, win32TimeWait } from '../../../common/parse/win32-registry.js';
import { parseWin32TcpJson } from '../parse/win32-tcp-json.js';
import { SourceStatuses } from '../source-status.js';
import type { RawSnapshot, Snapshot, SocketTable } from '../types.js';
import { WIN32_SOURCES } from './commands.js';
import { NO_COUNTERS } from '../no-counters.js';
import { nonLinuxKernel } from '../non-linux-kernel.js';

/** No counter is read on Windows yet: null, never zero. */
export const WIN32_NO_COUNTER: Readonly<KernelCounters> = NO_COUNTERS;

export const WIN32_NO_COUNTER_REASON =
  'Windows TCP counters (connections initiated per second) are not read yet: they need a long-lived PowerShell; connection rates are unknown';

/** A Windows Snapshot, plus what the model has no field for yet. */
export interface Win32Snapshot extends Snapshot {
  /** Tcpip events 4227/4231 in the System log (the latest 50 read): proof that port allocation failed. Null when unread. */
  portExhaustionEvents: TcpipEventCounts | null;
}

const sameRange = (a: PortRange, b: PortRange): boolean => a.low === b.low && a.high === b.high;

/** Parses every raw source of a Windows read; problems degrade the source they came from. */
export function parseWin32Snapshot(raw: RawSnapshot): Win32Snapshot {
  const st = new SourceStatuses(raw);
  const S = WIN32_SOURCES;

  const dyn4 = st.parse(S.dynamicPortV4, parseDynamicPort);
  const dyn6 = st.parse(S.dynamicPortV6, parseDynamicPort);
  if (dyn4 && dyn6 && !sameRange(dyn4.range, dyn6.range)) {
    st.degrade(S.dynamicPortV6, [`${S.dynamicPortV6}: IPv6 range ${describe(dyn6)} differs from IPv4's ${describe(dyn4)}; capacity uses the IPv4 range`]);
  }
  const excluded = st.parse(S.excludedPorts, parseExcludedPortRanges);
  const delay = st.parse(S.timedWaitDelay, parseTcpTimedWaitDelay);
  const tw = win32TimeWait(delay);
  if (tw.problem) st.degrade(S.timedWaitDelay, [`${S.timedWaitDelay}: ${tw.problem}`]);
  const kernel: KernelSettings = nonLinuxKernel({
    portRange: dyn4?.range ?? dyn6?.range ?? null,
    reservedPorts: excluded ? excludedAsReserved(excluded) : null,
    timeWaitSec: tw.timeWaitSec,
    timeWaitSource: tw.timeWaitSource,
  });

  let sockets: SocketTable | null = st.parse(S.sockets, (d, n) => {
    const r = parseWin32TcpJson(d, n);
    return { value: r.table, problems: r.problems };
  });
  if (!sockets && st.data(S.netstatAnoq)) {
    const ano = st.data(S.netstatAno) ?? null;
    sockets = st.parse(S.netstatAnoq, (d, n) => {
      const r = parseWin32Netstat(d, ano, n);
      return { value: r.table, problems: r.problems };
    });
  }
  const allNames = st.parse(S.processes, parseWin32ProcessesJson);
  const processNames = new Map<number, string>();
  if (sockets && allNames) {
    for (let i = 0; i < sockets.count; i++) {
      const pid = sockets.pid[i]!;
      const name = allNames.get(pid);
      if (name !== undefined) processNames.set(pid, name);
    }
  }
  const events = st.parse(S.events, parseTcpipEvents);

  st.add({ name: 'tcp-counters', status: 'unsupported', error: WIN32_NO_COUNTER_REASON, durationMs: 0 });
  st.add({ name: 'time-wait-age', status: 'unsupported', error: 'Windows does not show how long a socket has been in TIME-WAIT', durationMs: 0 });
  const host = raw.sources.find((s) => s.name === S.hostname);
  return {
    time: raw.time,
    platform: 'win32',
    hostname: host?.data ? host.data.toString('utf8').trim() : '',
    netns: '',
    kernel,
    counters: {
      ...WIN32_NO_COUNTER,
      portAllocationFailures: events ? { id4227: events.byId[4227], id4231: events.byId[4231], latestMs: events.latestMs } : null,
    },
    sockets,
    processNames,
    sources: st.list(),
    portExhaustionEvents: events,
  };
}

function describe(d: DynamicPortRange): string {
  return `${d.range.low}–${d.range.high}`;
}
