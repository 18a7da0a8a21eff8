// narrow-range: the usable range is small while something is under pressure.
import type { Diagnosis, Recommendation } from '../../common/model.js';
import type { DiagnosisContext } from './diagnosis-context.js';
import { diagnosisSeverity } from './diagnosis-level.js';
import { formatCount } from './format.js';
import { widenRangeRecommendations } from './port-range-advice.js';
import { connectionReuseRecommendation } from './recommendations.js';
import { severityRank } from './severity.js';

/** Usable capacity below which a range counts as narrow. */
export const NARROW_USABLE = 16384;

/** Diagnoses a small usable range under pressure, or null. */
export function diagnoseNarrowRange(ctx: DiagnosisContext): Diagnosis | null {
  const cap = ctx.capacity;
  const r = ctx.range;
  if (!cap || !r || cap.usable >= NARROW_USABLE) return null;
  if (ctx.level === 'unknown' || severityRank(ctx.level) < severityRank('warning')) return null;
  const recs: Recommendation[] = widenRangeRecommendations(ctx.platform, ctx.kernel, ctx.heldPorts);
  if (!recs.length) {
    recs.push({
      kind: 'investigate',
      text: 'The range cannot be widened further within the guard rails: look at what reserves or holds ports inside it, and at connection reuse.',
    });
  }
  recs.push(connectionReuseRecommendation());
  return {
    id: 'narrow-range',
    severity: diagnosisSeverity([ctx.level]),
    title: 'The ephemeral port range is narrow',
    summary: `Only ${formatCount(cap.usable)} ports are usable for outgoing connections toward each destination, and they are under pressure.`,
    evidence: [
      `Range ${r.low}–${r.high}: ${formatCount(cap.rangeSize)} ports, ${formatCount(cap.reserved)} reserved, ${formatCount(cap.heldByListeners)} held by listening or bound sockets, ${formatCount(cap.usable)} usable.`,
    ],
    recommendations: recs,
  };
}
