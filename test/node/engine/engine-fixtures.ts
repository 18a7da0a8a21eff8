// Synthetic snapshots for engine tests: a Linux kernel with its defaults and tables built row by row.
import type { KernelCounters, KernelSettings } from '../../../electron/common/model.js';
import { TCP_STATE } from '../../../electron/common/tcp-state.js';
import { SocketTableBuilder, type SocketRow } from '../../../electron/node/platform/socket-table.js';
import type { Snapshot, SocketTable } from '../../../electron/node/platform/types.js';

export const S = TCP_STATE;

/** Linux defaults (docs/domain.md): 32768–60999, tw_reuse 2, delay 1000 ms, timestamps on, 60 s TIME-WAIT. */
export function linuxKernel(over: Partial<KernelSettings> = {}): KernelSettings {
  return {
    portRange: { low: 32768, high: 60999 },
    reservedPorts: [],
    unprivilegedPortStart: 1024,
    twReuse: 2,
    twReuseDelayMs: 1000,
    timestamps: 1,
    finTimeoutSec: 60,
    maxTwBuckets: 262144,
    timeWaitSec: 60,
    timeWaitSource: 'fixed in the Linux kernel (TCP_TIMEWAIT_LEN)',
    conntrack: null,
    ...over,
  };
}

export function counters(over: Partial<KernelCounters> = {}): KernelCounters {
  return {
    activeOpens: null,
    passiveOpens: null,
    currEstab: null,
    timeWaitOverflow: null,
    twRecycled: null,
    listenOverflows: null,
    listenDrops: null,
    portAllocationFailures: null,
    sockstat: null,
    ...over,
  };
}

export function tableOf(rows: readonly SocketRow[]): SocketTable {
  const b = new SocketTableBuilder(rows.length);
  for (const r of rows) b.push(r);
  return b.build();
}

export interface SnapshotOptions {
  time?: number;
  kernel?: KernelSettings;
  counters?: KernelCounters;
  processNames?: Map<number, string>;
  netns?: string;
  platform?: Snapshot['platform'];
}

export const T0 = 1_700_000_000_000;

export function snapshotOf(sockets: SocketTable | readonly SocketRow[] | null, o: SnapshotOptions = {}): Snapshot {
  const table = sockets === null ? null : Array.isArray(sockets) ? tableOf(sockets as SocketRow[]) : (sockets as SocketTable);
  return {
    time: o.time ?? T0,
    platform: o.platform ?? 'linux',
    hostname: 'test-host',
    netns: o.netns ?? 'net:[4026531840]',
    kernel: o.kernel ?? linuxKernel(),
    counters: o.counters ?? counters(),
    sockets: table,
    processNames: o.processNames ?? new Map(),
    sources: [],
  };
}

/** n outbound sockets from local:firstPort.. toward remote:port (one per local port). */
export function outbound(
  n: number,
  o: { local?: string; remote: string; port: number; firstPort?: number; state?: number; pid?: number; ageMs?: number | ((i: number) => number); step?: number },
): SocketRow[] {
  const rows: SocketRow[] = [];
  const family = o.remote.includes(':') ? 6 : 4;
  for (let i = 0; i < n; i++) {
    const state = o.state ?? S.ESTABLISHED;
    const row: SocketRow = {
      family,
      state,
      localAddr: o.local ?? (family === 6 ? '::1' : '10.0.0.1'),
      localPort: (o.firstPort ?? 40000) + i * (o.step ?? 1),
      remoteAddr: o.remote,
      remotePort: o.port,
    };
    if (o.pid !== undefined) row.pid = o.pid;
    if (state === S.TIME_WAIT) row.timeWaitAgeMs = typeof o.ageMs === 'function' ? o.ageMs(i) : (o.ageMs ?? 30_000);
    rows.push(row);
  }
  return rows;
}

export function listener(port: number, addr = '0.0.0.0'): SocketRow {
  return { family: addr.includes(':') ? 6 : 4, state: S.LISTEN, localAddr: addr, localPort: port, remoteAddr: addr.includes(':') ? '::' : '0.0.0.0', remotePort: 0 };
}

/** A healthy busy machine: a few listeners, some keep-alive connections, a little TIME-WAIT. */
export function healthyRows(): SocketRow[] {
  return [
    listener(22),
    listener(443),
    listener(5432, '::'),
    ...outbound(40, { remote: '10.0.0.2', port: 443, firstPort: 33000, pid: 10 }),
    ...outbound(12, { remote: '10.0.0.2', port: 443, firstPort: 34000, state: S.TIME_WAIT, ageMs: (i) => i * 4000 }),
    ...outbound(20, { remote: '10.0.0.3', port: 5432, firstPort: 35000, pid: 11 }),
    ...outbound(3, { local: '127.0.0.1', remote: '127.0.0.1', port: 6379, firstPort: 36000, pid: 12 }),
    { family: 4, state: S.CLOSE_WAIT, localAddr: '10.0.0.1', localPort: 33500, remoteAddr: '10.0.0.2', remotePort: 443, pid: 10 },
  ];
}
