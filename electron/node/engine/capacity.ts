// How many ports of the ephemeral range a plain connect() can actually pick (docs/domain.md, the usable
// capacity bullet under What "exhausted" means).
import type { PortRange } from '../../common/model.js';
export { invalidRangeReason } from '../../common/port-ranges.js';

/** Usable capacity of the range, all counts in ports. */
export interface Capacity {
  rangeSize: number;
  /** Reserved ports inside the range (overlapping reserved ranges counted once). */
  reserved: number;
  /** Distinct ports inside the range held by listening or bound-only sockets, not already reserved. */
  heldByListeners: number;
  /** rangeSize - reserved - heldByListeners (never below 0). */
  usable: number;
}


/** Reserved ranges sorted, clipped to ports 0..65535 and merged where they overlap or touch. */
export function mergeRanges(ranges: readonly PortRange[]): PortRange[] {
  const valid = ranges
    .filter((r) => Number.isFinite(r.low) && Number.isFinite(r.high) && r.low <= r.high && r.high >= 0 && r.low <= 65535)
    .map((r) => ({ low: Math.max(0, Math.trunc(r.low)), high: Math.min(65535, Math.trunc(r.high)) }))
    .sort((a, b) => a.low - b.low || a.high - b.high);
  const out: PortRange[] = [];
  for (const r of valid) {
    const last = out[out.length - 1];
    if (last && r.low <= last.high + 1) last.high = Math.max(last.high, r.high);
    else out.push({ ...r });
  }
  return out;
}

/** One byte per port (65536): 1 where the port is reserved and inside the range. */
export function reservedPortMask(range: PortRange, reserved: readonly PortRange[] | null): Uint8Array {
  const mask = new Uint8Array(65536);
  for (const r of mergeRanges(reserved ?? [])) {
    const lo = Math.max(r.low, range.low);
    const hi = Math.min(r.high, range.high);
    if (lo <= hi) mask.fill(1, lo, hi + 1);
  }
  return mask;
}

/**
 * Capacity of a valid range given which ports are reserved and which are held by listening or
 * bound-only sockets (both masks indexed by port).
 */
export function computeCapacity(range: PortRange, reservedMask: Uint8Array, heldMask: Uint8Array | null): Capacity {
  let reserved = 0;
  let held = 0;
  for (let p = range.low; p <= range.high; p++) {
    if (reservedMask[p]) reserved++;
    else if (heldMask?.[p]) held++;
  }
  const rangeSize = range.high - range.low + 1;
  return { rangeSize, reserved, heldByListeners: held, usable: Math.max(0, rangeSize - reserved - held) };
}

/** Renders reserved ranges the way ip_local_reserved_ports reads them: "8080,9000-9010". */
export function formatPortList(ranges: readonly PortRange[]): string {
  return mergeRanges(ranges)
    .map((r) => (r.low === r.high ? `${r.low}` : `${r.low}-${r.high}`))
    .join(',');
}
