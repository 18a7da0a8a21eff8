// The range and reserved-ports part of a plan, inside the guard rails of docs/domain.md: never below
// ip_unprivileged_port_start (nor 1024); the default low end is not under 32768; a low end under 32768
// only when every port listening inside the new range is reserved in the same plan; ports a service
// listens on that the wider range newly covers are reserved too; the reserved list is merged with the
// existing one, never overwritten; ends of different parity (Linux warns otherwise). Only ever wider.
import type { KernelSettings, PortRange } from '../../common/model.js';
import { PORT_MAX, RANGE_ABSOLUTE_FLOOR, SAFE_RANGE_FLOOR, inRanges, mergePortRanges } from '../../common/tuning.js';
import { portList } from './plan-format.js';
import { HELD_PORTS_UNKNOWN } from './plan-input.js';

/** What the planner proposes for the range and the reserved list. */
export interface RangeProposal {
  /** The new range, or null to leave it. */
  range: PortRange | null;
  /** The new (merged) reserved list, or null to leave it. */
  reserved: PortRange[] | null;
  /** Ports this plan newly reserves. */
  reservedAdded: number[];
  warnings: string[];
  /** What was asked for but is not proposed, and why. */
  refusals: string[];
}

const none = (warnings: string[] = [], refusals: string[] = []): RangeProposal => ({ range: null, reserved: null, reservedAdded: [], warnings, refusals });

/** The lowest low end the kernel and the helper accept here. */
export function rangeFloor(kernel: KernelSettings): number {
  return Math.max(kernel.unprivilegedPortStart ?? RANGE_ABSOLUTE_FLOOR, RANGE_ABSOLUTE_FLOOR);
}

/**
 * Proposes a wider range (the one asked for, or the default: up to 65535 and down to 32768) with the
 * reservations it needs. `wanted` says whether the diagnosis calls for relief at all.
 */
export function proposeRange(
  kernel: KernelSettings,
  listening: readonly number[] | null,
  asked: { range?: PortRange; reserve?: readonly number[] },
  wanted: boolean,
): RangeProposal {
  const cur = kernel.portRange;
  if (!cur) return none([], asked.range || wanted ? ['The current range could not be read, so no wider one is proposed.'] : []);
  const floor = rangeFloor(kernel);
  const warnings: string[] = [];
  let target: PortRange;

  if (asked.range) {
    const t = asked.range;
    if (!Number.isInteger(t.low) || !Number.isInteger(t.high) || t.high > PORT_MAX || t.low > t.high) {
      return none([], [`${t.low}–${t.high} is not a port range.`]);
    }
    if (t.low < floor) {
      return none([], [`The range cannot start at ${t.low}: the kernel refuses a low end below ip_unprivileged_port_start (${floor} here; never below ${RANGE_ABSOLUTE_FLOOR}).`]);
    }
    if (t.low > cur.low || t.high < cur.high) {
      return none([], [`${t.low}–${t.high} does not contain the current range ${cur.low}–${cur.high}: Portwatch only widens it.`]);
    }
    target = { ...t };
    if (target.low % 2 === target.high % 2) {
      warnings.push(`Both ends of ${target.low}–${target.high} are ${target.low % 2 ? 'odd' : 'even'}: the kernel logs a warning for ranges whose ends have the same parity (connect() prefers even ports, bind() odd ones).`);
    }
  } else if (wanted) {
    if (cur.low < floor) {
      return none([], [`The current range starts at ${cur.low}, below ip_unprivileged_port_start (${floor}): the kernel refuses any write of a range starting there, so no wider range is proposed.`]);
    }
    // Down to 32768 (or the floor, if higher), but never above where it starts now.
    let low = Math.min(cur.low, Math.max(SAFE_RANGE_FLOOR, floor));
    let high = PORT_MAX;
    if (low % 2 === high % 2) {
      if (low < cur.low) low++;
      else if (high > cur.high) high--;
    }
    target = { low, high };
  } else {
    return none();
  }
  if (target.low === cur.low && target.high === cur.high) {
    return none(asked.range ? [`The range is already ${cur.low}–${cur.high}.`] : []);
  }

  if (listening === null) return none([], [HELD_PORTS_UNKNOWN]);

  // Ports that must be reserved in the same change.
  const reservedNow = kernel.reservedPorts;
  const isReserved = (p: number) => inRanges(reservedNow ?? [], p);
  const inside = (p: number) => p >= target.low && p <= target.high;
  const newlyCovered = (p: number) => inside(p) && (p < cur.low || p > cur.high);
  const toReserve = new Set<number>();
  for (const p of listening) if (newlyCovered(p) && !isReserved(p)) toReserve.add(p);
  for (const p of asked.reserve ?? []) if (inside(p) && !isReserved(p)) toReserve.add(p);
  if (target.low < SAFE_RANGE_FLOOR) {
    for (const p of listening) if (inside(p) && !isReserved(p)) toReserve.add(p);
    warnings.push(
      `The range starts at ${target.low}, below ${SAFE_RANGE_FLOOR}: real outages came from low ranges, when the kernel handed a service's port to an outgoing connection before the service started. ` +
        'Every port listening now inside the range is reserved in this plan; ports of services that are configured but not running cannot be seen: name them with --reserve.',
    );
  }
  const added = [...toReserve].sort((a, b) => a - b);
  if (added.length && reservedNow === null) {
    return none(warnings, [`The range would cover listening ports (${portList(added)}) that must be reserved, but net.ipv4.ip_local_reserved_ports could not be read to merge with: no wider range is proposed.`]);
  }
  const reserved = added.length ? mergePortRanges([...(reservedNow ?? []), ...added.map((p) => ({ low: p, high: p }))]) : null;
  return { range: target, reserved, reservedAdded: added, warnings, refusals: [] };
}
