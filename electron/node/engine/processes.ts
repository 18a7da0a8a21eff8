// Which processes use the ephemeral range, counting TIME-WAIT toward the process that owned the
// 4-tuple while it was open, and which destinations each one talks to.
import type { ProcessUsage } from '../../common/model.js';
import { TCP_STATE } from '../../common/tcp-state.js';
import type { SocketTable } from '../platform/types.js';
import type { TableAggregate } from './aggregate.js';
import { TripleMap } from './triple-map.js';

const TIME_WAIT = TCP_STATE.TIME_WAIT;

/** Most destinations listed per process and most processes listed per destination. */
export const TOP_PER_ENTRY = 5;

/** Processes (top ones) and, for each listed destination, its owning processes. */
export interface OwnerSummary {
  processes: ProcessUsage[];
  /** Parallel to the `listedDestinations` argument: owners of each, most sockets first. */
  destinationProcesses: { pid: number; name: string; sockets: number }[][];
}

/**
 * Summarises owners of outbound sockets. owners[i] is the (attributed) pid of socket i or -1;
 * listedDestinations are destination rows; destinationLabel renders one as "addr:port".
 */
export function summarizeOwners(
  t: SocketTable,
  agg: TableAggregate,
  owners: Int32Array,
  nameOf: (pid: number) => string,
  topProcesses: number,
  listedDestinations: readonly number[],
  destinationLabel: (d: number) => string,
): OwnerSummary {
  const slotOfPid = new Map<number, number>();
  const pids: number[] = [];
  let open = new Uint32Array(64);
  let timeWait = new Uint32Array(64);
  const ownerSlot = new Int32Array(t.count).fill(-1);

  let lastPid = -1;
  let lastSlot = -1;
  for (let i = 0; i < t.count; i++) {
    const pid = owners[i]!;
    if (pid < 0) continue;
    let slot = pid === lastPid ? lastSlot : slotOfPid.get(pid);
    if (slot === undefined) {
      slot = pids.length;
      pids.push(pid);
      slotOfPid.set(pid, slot);
      if (slot === open.length) {
        open = grow(open);
        timeWait = grow(timeWait);
      }
    }
    lastPid = pid;
    lastSlot = slot;
    ownerSlot[i] = slot;
    if (t.state[i] === TIME_WAIT) timeWait[slot]!++;
    else open[slot]!++;
  }

  const order = pids.map((_, s) => s);
  order.sort((a, b) => open[b]! + timeWait[b]! - (open[a]! + timeWait[a]!) || pids[a]! - pids[b]!);
  const top = order.slice(0, topProcesses);
  const topIndex = new Int32Array(pids.length).fill(-1);
  top.forEach((s, k) => (topIndex[s] = k));
  const destIndex = new Int32Array(agg.dest.count).fill(-1);
  listedDestinations.forEach((d, k) => (destIndex[d] = k));

  // Pairs (process, destination) and (destination, process), only for what is listed.
  const processDest = new TripleMap(64);
  const destProcess = new TripleMap(64);
  for (let i = 0; i < t.count; i++) {
    const slot = ownerSlot[i]!;
    if (slot < 0) continue;
    const d = agg.destOf[i]!;
    const p = topIndex[slot]!;
    if (p >= 0) processDest.increment(p, d, 0);
    const k = destIndex[d]!;
    if (k >= 0) destProcess.increment(k, slot, 0);
  }

  const perProcess: [number, number][][] = top.map(() => []);
  processDest.forEach((p, d, _c, n) => perProcess[p]!.push([d, n]));
  const processes: ProcessUsage[] = top.map((slot, p) => ({
    pid: pids[slot]!,
    name: nameOf(pids[slot]!),
    sockets: open[slot]!,
    timeWait: timeWait[slot]!,
    topDestinations: topLabels(perProcess[p]!, destinationLabel),
  }));

  const destinationProcesses: OwnerSummary['destinationProcesses'] = listedDestinations.map(() => []);
  destProcess.forEach((k, slot, _c, n) => destinationProcesses[k]!.push({ pid: pids[slot]!, name: nameOf(pids[slot]!), sockets: n }));
  for (let k = 0; k < destinationProcesses.length; k++) {
    destinationProcesses[k] = destinationProcesses[k]!.sort((a, b) => b.sockets - a.sockets || a.pid - b.pid).slice(0, TOP_PER_ENTRY);
  }
  return { processes, destinationProcesses };
}

// Rows that differ only by source address share a label ("addr:port"): sum them.
function topLabels(rows: [number, number][], label: (d: number) => string): string[] {
  // Only the busiest rows can make the top: labelling every row would cost a string per destination.
  rows.sort((x, y) => y[1] - x[1] || x[0] - y[0]);
  const byLabel = new Map<string, number>();
  for (const [d, n] of rows.slice(0, TOP_PER_ENTRY * 10)) {
    const l = label(d);
    byLabel.set(l, (byLabel.get(l) ?? 0) + n);
  }
  return [...byLabel]
    .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
    .slice(0, TOP_PER_ENTRY)
    .map(([l]) => l);
}

function grow(a: Uint32Array<ArrayBuffer>): Uint32Array<ArrayBuffer> {
  const b = new Uint32Array(a.length * 2);
  b.set(a);
  return b;
}
