// kernel-counters: what the kernel counted since the previous sample (deltas, never totals since
// boot). TCPTimeWaitOverflow: TIME-WAIT sockets destroyed early because tcp_max_tw_buckets was reached.
// ListenOverflows: a server's accept queue overflowed — a backlog problem, not ports.
import type { Diagnosis, Recommendation } from '../../common/model.js';
import type { DiagnosisContext } from './diagnosis-context.js';
import { formatCount, formatDuration } from './format.js';
import { connectionReuseRecommendation } from './recommendations.js';

/** Increase of a counter since the previous sample; null when unknown or when it went back (reboot). */
export function counterDelta(prev: number | null | undefined, cur: number | null | undefined): number | null {
  if (prev === null || prev === undefined || cur === null || cur === undefined) return null;
  const d = cur - prev;
  return d >= 0 && Number.isFinite(d) ? d : null;
}

/** Diagnoses kernel counters that rose since the previous sample, or null. */
export function diagnoseKernelCounters(ctx: DiagnosisContext): Diagnosis | null {
  const prev = ctx.previousCounters;
  if (!prev) return null;
  const since = ctx.elapsedSec !== null ? ` in the last ${formatDuration(ctx.elapsedSec)}` : ' since the previous sample';
  const twOverflow = counterDelta(prev.timeWaitOverflow, ctx.counters.timeWaitOverflow) ?? 0;
  const listenOverflow = counterDelta(prev.listenOverflows, ctx.counters.listenOverflows) ?? 0;
  if (twOverflow <= 0 && listenOverflow <= 0) return null;

  const evidence: string[] = [];
  const recs: Recommendation[] = [];
  if (twOverflow > 0) {
    const max = ctx.kernel.maxTwBuckets !== null ? ` (${formatCount(ctx.kernel.maxTwBuckets)})` : '';
    evidence.push(`TCPTimeWaitOverflow rose by ${formatCount(twOverflow)}${since}: TIME-WAIT sockets were destroyed early because net.ipv4.tcp_max_tw_buckets${max} was reached.`);
    recs.push(connectionReuseRecommendation());
    recs.push({
      kind: 'investigate',
      text:
        'Do not lower net.ipv4.tcp_max_tw_buckets: overflowing it already destroys TIME-WAIT sockets early, and the kernel documentation says never to lower it. ' +
        'The overflow is a symptom of connection churn.',
    });
  }
  if (listenOverflow > 0) {
    evidence.push(`ListenOverflows rose by ${formatCount(listenOverflow)}${since}: incoming connections were dropped because a listening socket's accept queue was full.`);
    recs.push({
      kind: 'application',
      text:
        'This is a listen backlog problem, not ports: make the server accept faster, or raise its listen() backlog (net.core.somaxconn caps the backlog a program may ask for).',
    });
  }
  return {
    id: 'kernel-counters',
    severity: 'warning',
    title: 'Kernel counters show dropped TIME-WAIT sockets or listen overflows',
    summary:
      twOverflow > 0 && listenOverflow > 0
        ? 'The kernel destroyed TIME-WAIT sockets early and dropped incoming connections at a full accept queue.'
        : twOverflow > 0
          ? 'The kernel destroyed TIME-WAIT sockets early: the TIME-WAIT table overflowed.'
          : 'Incoming connections were dropped at a full accept queue: a backlog problem, not ports.',
    evidence,
    recommendations: recs,
  };
}
