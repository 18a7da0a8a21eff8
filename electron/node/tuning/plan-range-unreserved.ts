// The wider range on a system without Linux's reserved-port list (macOS; Windows, whose excluded ranges
// Portwatch does not add to): only ever wider; never below the platform's floor; the default low end not
// under 32768; and since a port cannot be reserved, a port that is listening (or bound, or named with
// --reserve) must never become ephemeral: the default range stops short of such ports, and an explicit
// range that would cover one is refused, saying how to protect it first. Pure.
import type { PortRange } from '../../common/model.js';
import { PORT_MAX, SAFE_RANGE_FLOOR, inRanges } from '../../common/tuning.js';
import { portList } from './plan-format.js';
import { HELD_PORTS_UNKNOWN } from './plan-input.js';

/** What differs between the platforms. */
export interface UnreservedRangeRules {
  /** Lowest low end the system takes (macOS 1024, Windows 1025). */
  floor: number;
  /** Fewest ports a range may have (macOS 2: first below last; Windows 255). */
  minPorts: number;
  /** Ports already kept away from connect() (Windows excluded ranges). */
  protectedRanges: readonly PortRange[];
  /** "macOS", "Windows". */
  system: string;
  /** How a user protects a port on this system before covering it, in one sentence. */
  protectHint: string;
}

/** The proposal: a wider range or none, warnings, and what was asked for but is not proposed. */
export interface UnreservedRangeProposal {
  range: PortRange | null;
  warnings: string[];
  refusals: string[];
}

/** Proposes a wider range than `cur` (the one asked for, or the default when `wanted`). */
export function proposeUnreservedRange(
  cur: PortRange,
  asked: { range?: PortRange; reserve?: readonly number[] },
  wanted: boolean,
  held: readonly number[] | null,
  rules: UnreservedRangeRules,
): UnreservedRangeProposal {
  const none = (warnings: string[] = [], refusals: string[] = []): UnreservedRangeProposal => ({ range: null, warnings, refusals });
  let target: PortRange;
  if ((asked.range || wanted) && (cur.low < rules.floor || cur.high > PORT_MAX || cur.low >= cur.high)) {
    // A range Portwatch could not have written: widening it would need a low end the system refuses.
    return none([], [`The current range ${cur.low}–${cur.high} is outside what ${rules.system} takes (from ${rules.floor} to ${PORT_MAX}): no wider range is proposed.`]);
  }
  if (asked.range) {
    const t = asked.range;
    if (!Number.isInteger(t.low) || !Number.isInteger(t.high) || t.low < 1 || t.high > PORT_MAX || t.low >= t.high) return none([], [`${t.low}–${t.high} is not a port range.`]);
    if (t.low < rules.floor) return none([], [`The range cannot start at ${t.low}: ${rules.system} takes nothing below ${rules.floor}.`]);
    if (t.high - t.low + 1 < rules.minPorts) return none([], [`${t.low}–${t.high} has fewer than the ${rules.minPorts} ports ${rules.system} needs.`]);
    if (t.low > cur.low || t.high < cur.high) return none([], [`${t.low}–${t.high} does not contain the current range ${cur.low}–${cur.high}: Portwatch only widens it.`]);
    target = { ...t };
  } else if (wanted) {
    target = { low: Math.min(cur.low, Math.max(SAFE_RANGE_FLOOR, rules.floor)), high: PORT_MAX };
  } else {
    return none();
  }
  if (target.low === cur.low && target.high === cur.high) return none(asked.range ? [`The range is already ${cur.low}–${cur.high}.`] : []);
  if (held === null) return none([], [HELD_PORTS_UNKNOWN]);

  const warnings: string[] = [];
  const newlyCovered = (p: number, r: PortRange) => p >= r.low && p <= r.high && (p < cur.low || p > cur.high) && !inRanges(rules.protectedRanges, p);
  const mustStayOut = [...new Set([...held, ...(asked.reserve ?? [])])].sort((a, b) => a - b);
  const exposed = mustStayOut.filter((p) => newlyCovered(p, target));
  if (exposed.length && asked.range) {
    return none([], [
      `${target.low}–${target.high} would make port${exposed.length > 1 ? 's' : ''} ${portList(exposed)} ephemeral, where a service listens or is configured to: ${rules.system} has no reserved-port list, so an outgoing connection could take it while the service restarts. ${rules.protectHint}`,
    ]);
  }
  if (exposed.length) {
    const below = exposed.filter((p) => p < cur.low);
    const above = exposed.filter((p) => p > cur.high);
    if (below.length) target.low = Math.max(...below) + 1;
    if (above.length) target.high = Math.min(...above) - 1;
    warnings.push(
      `Port${exposed.length > 1 ? 's' : ''} ${portList(exposed)} ${exposed.length > 1 ? 'are' : 'is'} in use by a service (or named with --reserve) next to the current range: the wider range stops short of ${exposed.length > 1 ? 'them' : 'it'} (${target.low}–${target.high}), because ${rules.system} cannot reserve a port. ${rules.protectHint}`,
    );
    if (target.low === cur.low && target.high === cur.high) return none(warnings);
    // Stopping short can leave fewer ports than the system takes (a current range already under it).
    const size = target.high - target.low + 1;
    if (size < rules.minPorts) {
      return none(warnings, [`Stopping short of ${portList(exposed)} leaves ${target.low}–${target.high}, ${size} ports, fewer than the ${rules.minPorts} ${rules.system} takes: no wider range is proposed.`]);
    }
  }
  if (target.low < SAFE_RANGE_FLOOR && target.low < cur.low) {
    warnings.push(
      `The range starts at ${target.low}, below ${SAFE_RANGE_FLOOR}: real outages came from low ranges, when an outgoing connection took a service's port before the service started. ` +
        `No port listening now is inside the part added, but services that are configured and not running cannot be seen: name them with --reserve and the range stops short of them.`,
    );
  }
  return { range: target, warnings, refusals: [] };
}
