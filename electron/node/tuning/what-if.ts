// Capacity and rate of a set of settings: how many ports connect() can pick toward one destination, how
// long a closed outgoing connection keeps its port (TIME-WAIT, or the reuse delay when tcp_tw_reuse
// applies), and so how many new connections per second one destination sustains (docs/domain.md "Rate, not
// count"). Pure.
import type { KernelSettings, PortRange } from '../../common/model.js';
import { inRanges, mergePortRanges, type CapacityFigures, type WhatIf } from '../../common/tuning.js';

/** The settings a what-if varies. */
export interface TunableState {
  range: PortRange | null;
  reserved: PortRange[] | null;
  twReuse: 0 | 1 | 2 | null;
  /** TIME-WAIT length when a plan changes it (macOS msl, Windows TcpTimedWaitDelay); absent: the kernel's. */
  timeWaitSec?: number;
}

/** The reuse delay when the kernel has no tcp_tw_reuse_delay (about one second on older kernels). */
export const FALLBACK_TW_REUSE_DELAY_MS = 1000;

/**
 * Usable ports of a state, given the ports held by listening or bound sockets; with those unknown (null),
 * heldByListeners is null and usable counts none held: a ceiling.
 */
export function capacityOf(state: TunableState, held: readonly number[] | null): CapacityFigures {
  const r = state.range;
  if (!r) return { range: null, rangeSize: null, reserved: 0, heldByListeners: held === null ? null : 0, usable: null };
  const reservedRanges = mergePortRanges(state.reserved ?? []);
  let reserved = 0;
  for (const x of reservedRanges) {
    const lo = Math.max(x.low, r.low);
    const hi = Math.min(x.high, r.high);
    if (lo <= hi) reserved += hi - lo + 1;
  }
  const heldInside = held === null ? null : new Set(held.filter((p) => p >= r.low && p <= r.high && !inRanges(reservedRanges, p))).size;
  const rangeSize = r.high - r.low + 1;
  return { range: { ...r }, rangeSize, reserved, heldByListeners: heldInside, usable: Math.max(0, rangeSize - reserved - (heldInside ?? 0)) };
}

/**
 * Seconds a closed outgoing connection keeps its port toward one destination: the TIME-WAIT length, or
 * tcp_tw_reuse_delay when reuse applies (1 for every destination, 2 for loopback only, both need timestamps).
 */
export function holdSecondsOf(kernel: KernelSettings, twReuse: 0 | 1 | 2 | null, loopback: boolean, timeWaitSec: number = kernel.timeWaitSec): number {
  const timestamps = kernel.timestamps !== null && kernel.timestamps !== 0;
  const reuse = timestamps && (twReuse === 1 || (twReuse === 2 && loopback));
  if (reuse) return (kernel.twReuseDelayMs !== null && kernel.twReuseDelayMs > 0 ? kernel.twReuseDelayMs : FALLBACK_TW_REUSE_DELAY_MS) / 1000;
  return timeWaitSec > 0 ? timeWaitSec : 60;
}

/** The what-if of a state, for a non-loopback destination. */
export function whatIfOf(kernel: KernelSettings, state: TunableState, held: readonly number[] | null): WhatIf {
  const capacity = capacityOf(state, held);
  const holdSec = holdSecondsOf(kernel, state.twReuse, false, state.timeWaitSec);
  return { capacity, holdSec, sustainablePerDestinationPerSec: capacity.usable === null ? null : capacity.usable / holdSec };
}

/** True for 127.0.0.0/8, ::1 and IPv4-mapped loopback (the kernel's tw_reuse = 2 test looks at both ends). */
export function isLoopbackAddress(a: string): boolean {
  const v4 = a.startsWith('::ffff:') ? a.slice(7) : a;
  return /^127\./.test(v4) || a === '::1';
}
