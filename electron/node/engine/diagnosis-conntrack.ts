// conntrack-near-full: a look-alike. A full connection-tracking table drops packets, so connections
// time out, but connect() does not fail with EADDRNOTAVAIL and ports are not the problem.
import type { Diagnosis } from '../../common/model.js';
import type { DiagnosisContext } from './diagnosis-context.js';
import { formatCount, formatPercent } from './format.js';

/** Fill from which the conntrack table is "near full". */
export const CONNTRACK_NEAR_FULL = 0.8;
/** Fill from which it is critical. */
export const CONNTRACK_CRITICAL = 0.95;

/** Diagnoses a nearly full conntrack table, or null. */
export function diagnoseConntrack(ctx: DiagnosisContext): Diagnosis | null {
  const ct = ctx.kernel.conntrack;
  if (!ct || !(ct.max > 0)) return null;
  const fill = ct.count / ct.max;
  if (fill < CONNTRACK_NEAR_FULL) return null;
  return {
    id: 'conntrack-near-full',
    severity: fill >= CONNTRACK_CRITICAL ? 'critical' : 'warning',
    title: 'The connection-tracking table is nearly full (not a port problem)',
    summary:
      'When nf_conntrack is full the kernel drops new packets: connections time out, but connect() does not fail with EADDRNOTAVAIL. ' +
      'This looks like port exhaustion and is not.',
    evidence: [`nf_conntrack_count ${formatCount(ct.count)} of nf_conntrack_max ${formatCount(ct.max)} (${formatPercent(fill)}).`],
    recommendations: [
      { kind: 'investigate', text: 'Check the kernel log for "nf_conntrack: table full, dropping packet".' },
      {
        kind: 'kernel',
        text: 'Raise net.netfilter.nf_conntrack_max (each entry costs kernel memory), or stop tracking traffic that needs no tracking.',
        setting: { key: 'net.netfilter.nf_conntrack_max', current: String(ct.max), suggested: String(Math.max(ct.max * 2, 65536)) },
      },
    ],
  };
}
