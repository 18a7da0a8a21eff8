// What each kernel setting in effect means for ephemeral ports, in words that agree with the project's
// domain facts (docs/domain.md). Pure: settings in, rows out.
import type { KernelSettings, PlatformName, PortRange } from '../../electron/common/model.js';
import { int } from './format.js';
import { invalidRangeReason } from '../../electron/common/port-ranges.js';

/** One line of the kernel settings panel. */
export interface KernelRow {
  key: string;
  label: string;
  value: string;
  meaning: string;
}

const ranges = (r: PortRange[]): string => (r.length === 0 ? 'none' : r.map((x) => (x.low === x.high ? String(x.low) : `${x.low}-${x.high}`)).join(','));

const TW_REUSE: Record<0 | 1 | 2, string> = {
  0: 'Off: a TIME-WAIT 4-tuple is never reused; each destination sustains at most usable ports ÷ TIME-WAIT new connections per second.',
  1: 'On: a new outgoing connection may reuse a TIME-WAIT 4-tuple (needs tcp_timestamps).',
  2: 'Loopback only (the default): reuse of TIME-WAIT 4-tuples applies to connections over loopback, not to remote destinations.',
};

/** The rows to show for a platform's settings (settings the platform lacks are left out). */
export function kernelRows(k: KernelSettings, platform: PlatformName): KernelRow[] {
  const rows: KernelRow[] = [];
  const linux = platform === 'linux';
  const rangeKey = linux ? 'net.ipv4.ip_local_port_range' : platform === 'darwin' ? 'net.inet.ip.portrange.first/last' : 'dynamic port range';
  // Every platform has a range: when it is missing it could not be read, and that is said, not left out.
  const bad = k.portRange ? invalidRangeReason(k.portRange) : null;
  if (k.portRange && !bad) {
    const size = k.portRange.high - k.portRange.low + 1;
    rows.push({
      key: rangeKey,
      label: 'Ephemeral port range',
      value: `${k.portRange.low}–${k.portRange.high} (${int(size)} ports)`,
      meaning:
        'connect() picks its local port here. Only the whole 4-tuple must be unique, so the limit applies per destination (source IP, destination IP, destination port); a program that bind()s before connect() takes ports from everyone.',
    });
  } else {
    rows.push({
      key: rangeKey,
      label: 'Ephemeral port range',
      value: k.portRange ? `${k.portRange.low}–${k.portRange.high}` : 'unknown',
      meaning: `${bad ? `Not a valid range: ${bad}` : 'It could not be read (see the sources)'}, so the capacity is unknown.`,
    });
  }
  if (k.reservedPorts) {
    rows.push({
      key: linux ? 'net.ipv4.ip_local_reserved_ports' : 'excluded port ranges',
      label: 'Reserved ports',
      value: ranges(k.reservedPorts),
      meaning: linux
        ? 'Never handed out automatically. Usable capacity = range − reserved − ports held by listeners. Writing this setting replaces the whole list: merge, do not overwrite.'
        : 'Excluded from the dynamic range (Hyper-V, WSL and WinNAT reserve blocks that move on reboot). Capacity = range − exclusions.',
    });
  }
  if (k.unprivilegedPortStart !== null) {
    rows.push({
      key: 'net.ipv4.ip_unprivileged_port_start',
      label: 'Unprivileged port start',
      value: String(k.unprivilegedPortStart),
      meaning: 'The kernel refuses a port range whose low end is below this.',
    });
  }
  rows.push({
    key: linux ? 'TCP_TIMEWAIT_LEN' : platform === 'darwin' ? 'net.inet.tcp.msl × 2' : 'TcpTimedWaitDelay',
    label: 'TIME-WAIT duration',
    value: `${k.timeWaitSec} s`,
    meaning: `A closed outbound connection keeps its 4-tuple this long (${k.timeWaitSource}), so one destination sustains at most usable ports ÷ ${k.timeWaitSec} s new connections per second unless TIME-WAIT reuse applies.`,
  });
  if (k.twReuse !== null) {
    rows.push({ key: 'net.ipv4.tcp_tw_reuse', label: 'TIME-WAIT reuse', value: String(k.twReuse), meaning: TW_REUSE[k.twReuse] });
  }
  if (k.twReuseDelayMs !== null) {
    rows.push({
      key: 'net.ipv4.tcp_tw_reuse_delay',
      label: 'TIME-WAIT reuse delay',
      value: `${k.twReuseDelayMs} ms`,
      meaning: 'With reuse on, a TIME-WAIT port becomes reusable after this delay (at 1000 ms a port serves about one new connection per second).',
    });
  }
  if (k.timestamps !== null) {
    rows.push({
      key: 'net.ipv4.tcp_timestamps',
      label: 'TCP timestamps',
      value: String(k.timestamps),
      meaning: k.timestamps === 0 ? 'Off: tcp_tw_reuse cannot work without timestamps.' : 'On: required for tcp_tw_reuse.',
    });
  }
  if (k.finTimeoutSec !== null) {
    rows.push({
      key: 'net.ipv4.tcp_fin_timeout',
      label: 'FIN timeout',
      value: `${k.finTimeoutSec} s`,
      meaning: 'Bounds how long an orphaned FIN-WAIT-2 socket lives. It does NOT shorten TIME-WAIT (fixed at 60 s on Linux); lowering it does not free ports held in TIME-WAIT.',
    });
  }
  if (k.maxTwBuckets !== null) {
    rows.push({
      key: 'net.ipv4.tcp_max_tw_buckets',
      label: 'Max TIME-WAIT sockets',
      value: int(k.maxTwBuckets),
      meaning: 'Beyond this, TIME-WAIT sockets are destroyed early (counter TCPTimeWaitOverflow). Lowering it does not help; the kernel documentation says never to lower it.',
    });
  }
  if (k.conntrack) {
    rows.push({
      key: 'net.netfilter.nf_conntrack_count / _max',
      label: 'Connection tracking',
      value: `${int(k.conntrack.count)} / ${int(k.conntrack.max)}`,
      meaning: 'A look-alike: when this table is full, packets are dropped and connections time out, but connect() does not fail with EADDRNOTAVAIL.',
    });
  }
  return rows;
}
