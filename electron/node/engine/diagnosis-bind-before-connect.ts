// bind-before-connect: ports held exclusively (bind() before connect(), bound-only sockets), so the
// range runs out for every destination at once.
import type { Diagnosis, Recommendation } from '../../common/model.js';
import type { DiagnosisContext } from './diagnosis-context.js';
import { diagnosisSeverity } from './diagnosis-level.js';
import { formatCount, formatPercent } from './format.js';
import { levelForUtilization } from './severity.js';

/** Global utilization from which bound-only sockets alone are worth a diagnosis. */
export const BOUND_ONLY_MIN_UTILIZATION = 0.05;

/** Diagnoses exclusively held ports, or null. */
export function diagnoseBindBeforeConnect(ctx: DiagnosisContext): Diagnosis | null {
  const g = ctx.global;
  const cap = ctx.capacity;
  if (!g || !cap || !g.bindBeforeConnectEvidence) return null;
  if (!g.sharingEvidence && g.utilization < BOUND_ONLY_MIN_UTILIZATION) return null;

  const evidence: string[] = [];
  if (g.sharingEvidence) {
    evidence.push(
      `${formatCount(g.outboundSockets)} outbound sockets toward ${formatCount(g.destinations)} destinations use ${formatCount(g.distinctPortsInUse)} distinct local ports ` +
        `and never share one, although plain connect() calls would share about ${formatCount(g.expectedSharedPorts)} by chance.`,
    );
  }
  if (g.boundOnlySockets > 0) evidence.push(`${formatCount(g.boundOnlySockets)} bound-only sockets (bound, not connected or listening) hold ports inside the range.`);
  evidence.push(`${formatCount(g.exclusivelyHeld)} of ${formatCount(cap.rangeSize - cap.reserved)} ports are taken from every destination (${formatPercent(g.utilization)}).`);

  const recs: Recommendation[] =
    ctx.platform === 'linux'
      ? [
          {
            kind: 'application',
            text:
              'Set IP_BIND_ADDRESS_NO_PORT (Linux 4.2+) on sockets that bind() a source address before connect(): the port is then chosen at connect() ' +
              'and shared across destinations. Better still, do not bind() before connect() unless a source address is required.',
          },
          {
            kind: 'application',
            text: 'To keep a program inside part of the range, set IP_LOCAL_PORT_RANGE (Linux 6.3+) on its sockets instead of binding explicit ports.',
          },
        ]
      : [
          {
            kind: 'application',
            text: 'Do not bind() before connect() unless a source address is required: a port taken by bind() is held for every destination.',
          },
        ];
  return {
    id: 'bind-before-connect',
    severity: diagnosisSeverity([levelForUtilization(g.utilization, ctx.config.thresholds)]),
    title: 'Ports are held exclusively (bind() before connect())',
    summary:
      'Sockets that bind() before connect() take their port for every destination, so the range runs out globally ' +
      '(EADDRINUSE, "Address already in use", even toward a new destination).',
    evidence,
    recommendations: recs,
  };
}
