// Port-range arithmetic shared by the engine's parsers and the privileged helper. Pure.
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
