// time-wait-churn: TIME-WAIT dominates a destination's ports, so connections to it are short-lived
// (one per request). The cure is connection reuse; a wider range and tw_reuse are relief.
import type { Diagnosis, Recommendation } from '../../common/model.js';
import { formatDestination } from './address.js';
import type { DestinationDetail, DiagnosisContext } from './diagnosis-context.js';
import { diagnosisSeverity, destinationLevel } from './diagnosis-level.js';
import { formatCount, formatDuration, formatPercent, formatRate } from './format.js';
import { widenRangeRecommendations } from './port-range-advice.js';
import { reuseRestsOnPeerTimestamps } from './tw-reuse.js';
import {
  connectionReuseRecommendation,
  finTimeoutNote,
  moreSourceAddressesRecommendation,
  ownersRecommendation,
  timedWaitDelayRecommendation,
  twReuseRecommendations,
} from './recommendations.js';

/** TIME-WAIT share of a destination's sockets from which it "dominates". */
export const CHURN_TIME_WAIT_SHARE = 0.5;
/** Fewest TIME-WAIT sockets worth a diagnosis. */
export const CHURN_MIN_TIME_WAIT = 10;

/** Whether one destination shows churn that matters: TIME-WAIT dominates, and ports, rate or count are under pressure. */
export function isChurning(d: DestinationDetail, ctx: DiagnosisContext): boolean {
  const u = d.usage;
  const tw = u.states['TIME-WAIT'] ?? 0;
  if (tw < CHURN_MIN_TIME_WAIT || tw < CHURN_TIME_WAIT_SHARE * u.inUse) return false;
  const pressure =
    u.utilization >= ctx.config.thresholds.warning ||
    (u.newPerSec !== null && u.newPerSec >= 0.5 * u.sustainablePerSec) ||
    tw >= 0.1 * u.capacity ||
    (u.timeToExhaustionSec !== null && u.timeToExhaustionSec < ctx.config.ttlWarningSec);
  return pressure;
}

/** Diagnoses short-lived outbound connections, or null. */
export function diagnoseTimeWaitChurn(ctx: DiagnosisContext): Diagnosis | null {
  const churning = ctx.destinations.filter((d) => isChurning(d, ctx));
  if (!churning.length) return null;
  const evidence = churning.slice(0, 3).map((d) => {
    const u = d.usage;
    const tw = u.states['TIME-WAIT'] ?? 0;
    const parts = [
      `${formatDestination(u.localAddress, u.remoteAddress, u.remotePort)}: ${formatCount(tw)} of ${formatCount(u.inUse)} sockets in TIME-WAIT`,
      `${formatCount(u.blocking)} of ${formatCount(u.capacity)} usable ports blocked (${formatPercent(u.utilization)})`,
    ];
    if (u.newPerSec !== null) parts.push(`about ${formatRate(u.newPerSec)} new connections`);
    parts.push(`sustainable ${formatRate(u.sustainablePerSec)} with ports held ${formatDuration(d.holdSec)}${d.reuse ? ` (TIME-WAIT reuse applies${reuseRestsOnPeerTimestamps(u.localAddress, u.remoteAddress) ? ', if the peer echoes TCP timestamps; otherwise 60 s' : ''})` : ''}`);
    if (u.timeToExhaustionSec !== null) parts.push(`runs out in about ${formatDuration(u.timeToExhaustionSec)}`);
    return parts.join('; ');
  });
  if (churning.length > 3) evidence.push(`${churning.length - 3} more destinations look the same.`);

  const owners = mergeOwners(churning);
  const usable = ctx.capacity?.usable ?? null;
  const recs: Recommendation[] = [connectionReuseRecommendation()];
  const who = ownersRecommendation(owners, 'The connections come from (TIME-WAIT attributed to the process that owned them)');
  if (who) recs.push(who);
  recs.push(moreSourceAddressesRecommendation(usable));
  // More ports only help where TIME-WAIT actually blocks them (not where reuse already frees them).
  if (churning.some((d) => !d.reuse || d.usage.utilization >= ctx.config.thresholds.warning)) {
    recs.push(...widenRangeRecommendations(ctx.platform, ctx.kernel, ctx.heldPorts));
  }
  if (churning.some((d) => !d.reuse)) recs.push(...twReuseRecommendations(ctx.platform, ctx.kernel, usable));
  const twd = timedWaitDelayRecommendation(ctx.platform, ctx.kernel);
  if (twd) recs.push(twd);
  const fin = finTimeoutNote(ctx.platform);
  if (fin) recs.push(fin);

  const worst = churning[0]!.usage;
  return {
    id: 'time-wait-churn',
    severity: diagnosisSeverity(churning.map((d) => destinationLevel(d, ctx.config))),
    title: 'Short-lived outbound connections fill the ports with TIME-WAIT',
    summary:
      `Most sockets toward ${formatDestination(worst.localAddress, worst.remoteAddress, worst.remotePort)} are in TIME-WAIT: ` +
      `connections are opened and closed instead of reused, and each closed one holds its port ${formatDuration(churning[0]!.holdSec)}${churning[0]!.reuse && reuseRestsOnPeerTimestamps(worst.localAddress, worst.remoteAddress) ? ' (TIME-WAIT reuse, which needs the peer to echo TCP timestamps)' : ''}.`,
    evidence,
    recommendations: recs,
  };
}

function mergeOwners(ds: readonly DestinationDetail[]): { pid: number; name: string; sockets: number }[] {
  const byPid = new Map<number, { pid: number; name: string; sockets: number }>();
  for (const d of ds) {
    for (const p of d.usage.processes) {
      const o = byPid.get(p.pid);
      if (o) o.sockets += p.sockets;
      else byPid.set(p.pid, { ...p });
    }
  }
  return [...byPid.values()].sort((a, b) => b.sockets - a.sockets || a.pid - b.pid);
}
