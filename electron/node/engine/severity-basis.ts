// Severity that never pages on a guess: the level the kernel-exact figures justify, raised by inferred
// figures at most to warning, unless the kernel's own behaviour (recorded allocation failures)
// confirms that ports ran out.
import type { AnalysisConfig } from '../../common/config.js';
import type { DestinationUsage, KernelCounters, Severity } from '../../common/model.js';
import { utilizationOf } from './destinations.js';
import type { GlobalPressure } from './global-pressure.js';
import { assessLevels, maxSeverity, severityRank } from './severity.js';

/** Allocation failures at most this old confirm an inferred shortage. */
export const CONFIRMING_FAILURE_MS = 10 * 60 * 1000;

/** The highest level an inference alone may reach. */
export const INFERRED_LEVEL_CAP: Severity = 'warning';

/** Raw and lowered (hysteresis) levels, and whether inference was held back. */
export interface JudgedLevels {
  raw: Severity;
  lowered: Severity;
  /** True when the best estimate says more than warning but rests on inference. */
  capped: boolean;
}

/** True when the kernel itself recorded failed port allocations recently (Windows Tcpip 4227/4231). */
export function confirmedByKernel(counters: KernelCounters, time: number): boolean {
  const ev = counters.portAllocationFailures;
  return !!ev && ev.latestMs !== null && ev.id4227 + ev.id4231 > 0 && time - ev.latestMs <= CONFIRMING_FAILURE_MS;
}

/** Utilization of a destination if nothing uncertain were bound (its kernel-exact floor). */
export function exactUtilization(u: DestinationUsage): number {
  return u.basis ? utilizationOf(u.blocking, u.basis.high + u.blocking) : u.utilization;
}

/** Levels from the listed destinations and the global pressure, inference capped at warning. */
export function judgeLevels(
  destinations: readonly DestinationUsage[],
  global: GlobalPressure | null,
  soonest: { sec: number; dest: DestinationUsage } | null,
  cfg: AnalysisConfig,
  confirmed: boolean,
): JudgedLevels {
  let best = global?.utilization ?? 0;
  let exact = global?.exactUtilization ?? 0;
  let soonestExact: number | null = null;
  for (const u of destinations) {
    best = Math.max(best, u.utilization);
    exact = Math.max(exact, exactUtilization(u));
    // A time to exhaustion computed from the kernel-exact floor (the best estimate is the high bound:
    // nothing uncertain taken as held) rests on no inference, whatever else the basis names.
    const fromFloor = !u.basis || u.basis.kind !== 'inferred' || u.basis.left >= u.basis.high;
    if (u.timeToExhaustionSec !== null && fromFloor && (soonestExact === null || u.timeToExhaustionSec < soonestExact)) soonestExact = u.timeToExhaustionSec;
  }
  const b = assessLevels(best, soonest?.sec ?? null, cfg);
  if (confirmed) return { raw: b.raw, lowered: b.lowered, capped: false };
  const e = assessLevels(exact, soonestExact, cfg);
  const cap = (s: Severity) => (severityRank(s) > severityRank(INFERRED_LEVEL_CAP) ? INFERRED_LEVEL_CAP : s);
  const raw = maxSeverity(e.raw, cap(b.raw));
  return { raw, lowered: maxSeverity(e.lowered, cap(b.lowered)), capped: severityRank(b.raw) > severityRank(raw) };
}
