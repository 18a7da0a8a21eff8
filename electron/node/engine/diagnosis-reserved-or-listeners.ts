// reserved-or-listeners-eat-range: reserved ports and ports held by listeners take a notable share of
// the range, and with it capacity from every destination.
import type { Diagnosis, Recommendation } from '../../common/model.js';
import { formatPortList } from './capacity.js';
import type { DiagnosisContext } from './diagnosis-context.js';
import { formatCount, formatPercent } from './format.js';
import { severityRank } from './severity.js';

/** Share of the range from which reservations and listeners are worth a diagnosis. */
export const EATEN_SHARE = 0.1;

/** Diagnoses reservations and listeners taking a notable share of the range, or null. */
export function diagnoseReservedOrListeners(ctx: DiagnosisContext): Diagnosis | null {
  const cap = ctx.capacity;
  const r = ctx.range;
  if (!cap || !r || cap.rangeSize <= 0) return null;
  const eaten = cap.reserved + cap.heldByListeners;
  const share = eaten / cap.rangeSize;
  if (share < EATEN_SHARE) return null;

  const evidence = [
    `${formatCount(cap.reserved)} reserved ports and ${formatCount(cap.heldByListeners)} ports held by listening or bound sockets take ` +
      `${formatPercent(share)} of the range ${r.low}–${r.high}, leaving ${formatCount(cap.usable)}.`,
  ];
  const recs: Recommendation[] = [];
  if (ctx.listenersInRange.length) {
    const shown = ctx.listenersInRange.slice(0, 10).join(', ') + (ctx.listenersInRange.length > 10 ? ` and ${ctx.listenersInRange.length - 10} more` : '');
    evidence.push(`Listening ports inside the range: ${shown}.`);
    recs.push({
      kind: 'investigate',
      text: `Services listen inside the ephemeral range (ports ${shown}): each such port is lost to outgoing connections. Move them below ${r.low} where you can.`,
    });
  }
  if (cap.reserved > 0 && ctx.kernel.reservedPorts) {
    recs.push({
      kind: 'investigate',
      text: `Review the reserved ports (${formatPortList(ctx.kernel.reservedPorts)}): each reserved port inside the range is one fewer for outgoing connections; keep only what services need.`,
    });
  }
  if (cap.heldByListeners > ctx.listenersInRange.length) {
    recs.push({ kind: 'investigate', text: 'Some ports are held by sockets that are bound but neither listening nor connected: find the program that binds them.' });
  }
  const pressured = ctx.level !== 'unknown' && severityRank(ctx.level) >= severityRank('warning');
  return {
    id: 'reserved-or-listeners-eat-range',
    severity: pressured ? 'warning' : 'info',
    title: 'Reserved ports and listeners take a large part of the range',
    summary: `${formatPercent(share)} of the ephemeral range cannot be used by outgoing connections because it is reserved or held by listening sockets.`,
    evidence,
    recommendations: recs,
  };
}
