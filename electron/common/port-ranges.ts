// Port-range arithmetic shared by the engine's parsers, the privileged helper and the dashboard. Pure.
import type { PortRange } from './model.js';

/** Sorts ranges and merges overlapping or adjacent ones. */
export function mergeRanges(ranges: readonly PortRange[]): PortRange[] {
  const sorted = [...ranges].sort((a, b) => a.low - b.low);
  const out: PortRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.low <= last.high + 1) last.high = Math.max(last.high, r.high);
    else out.push({ low: r.low, high: r.high });
  }
  return out;
}

/** Why a range cannot be used, or null when it is a valid range. */
export function invalidRangeReason(range: PortRange): string | null {
  const ok = (p: number) => Number.isInteger(p) && p >= 1 && p <= 65535;
  if (!ok(range.low) || !ok(range.high)) return `the ephemeral port range ${range.low}–${range.high} is not a pair of ports`;
  if (range.low > range.high) return `the ephemeral port range ${range.low}–${range.high} ends below its start`;
  return null;
}
