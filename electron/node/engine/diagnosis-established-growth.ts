// established-growth: ESTABLISHED toward one destination keeps growing over the trend window — a
// connection leak, or a pool without an upper bound. No kernel setting fixes that.
import type { Diagnosis, Recommendation } from '../../common/model.js';
import { formatDestination } from './address.js';
import type { DestinationDetail, DiagnosisContext } from './diagnosis-context.js';
import { destinationLevel, diagnosisSeverity } from './diagnosis-level.js';
import { formatCount, formatDuration, formatRate } from './format.js';
import { ownersRecommendation } from './recommendations.js';

/** Fewest samples, in the window, for "keeps growing". */
export const GROWTH_MIN_POINTS = 5;
/** Share of steps that must not go down. */
export const GROWTH_MIN_MONOTONE_SHARE = 0.7;

/** Whether a destination's ESTABLISHED count kept growing over (at least half) the trend window. */
export function keepsGrowing(d: DestinationDetail, ctx: DiagnosisContext): boolean {
  const f = d.establishedTrend;
  if (!f || f.points < GROWTH_MIN_POINTS || f.spanSec < ctx.config.trendWindowSec / 2) return false;
  const rise = f.last - f.first;
  return f.slopePerSec > 0 && f.nonDecreasingShare >= GROWTH_MIN_MONOTONE_SHARE && rise >= Math.max(20, 0.05 * d.usage.capacity);
}

/** Diagnoses a growing number of open connections toward a destination, or null. */
export function diagnoseEstablishedGrowth(ctx: DiagnosisContext): Diagnosis | null {
  const growing = ctx.destinations.filter((d) => keepsGrowing(d, ctx));
  if (!growing.length) return null;
  const evidence = growing.slice(0, 3).map((d) => {
    const f = d.establishedTrend!;
    const u = d.usage;
    const tte = u.timeToExhaustionSec !== null ? `; runs out in about ${formatDuration(u.timeToExhaustionSec)}` : '';
    return (
      `${formatDestination(u.localAddress, u.remoteAddress, u.remotePort)}: ESTABLISHED grew from ${formatCount(f.first)} to ${formatCount(f.last)} ` +
      `in ${formatDuration(f.spanSec)} (about +${formatRate(f.slopePerSec)}), ${formatCount(u.blocking)} of ${formatCount(u.capacity)} usable ports in use${tte}`
    );
  });
  const recs: Recommendation[] = [
    {
      kind: 'application',
      text:
        'Give the connection pool an upper bound (a maximum per host) and make sure every connection is closed or returned to the pool: ' +
        'a count of open connections that only grows is a leak, and no kernel setting stops it.',
    },
  ];
  const who = ownersRecommendation(growing[0]!.usage.processes, 'Owners of these connections');
  if (who) recs.push(who);
  const worst = growing[0]!.usage;
  return {
    id: 'established-growth',
    severity: diagnosisSeverity(growing.map((d) => destinationLevel(d, ctx.config)).concat('warning')),
    title: 'Open connections toward a destination keep growing',
    summary:
      `The number of ESTABLISHED connections toward ${formatDestination(worst.localAddress, worst.remoteAddress, worst.remotePort)} ` +
      'rose steadily over the trend window: connections are opened and never closed (a leak or a pool without a bound).',
    evidence,
    recommendations: recs,
  };
}
