// bind-before-connect: ports held exclusively (bind() before connect(), bound-only sockets), so the
// range runs out for every destination at once.
import type { Diagnosis, Recommendation } from '../../common/model.js';
import type { DiagnosisContext } from './diagnosis-context.js';
import { diagnosisSeverity } from './diagnosis-level.js';
import { formatCount, formatCountOf, formatPercent } from './format.js';
import { levelForUtilization, severityRank } from './severity.js';
import { INFERRED_LEVEL_CAP } from './severity-basis.js';
import type { Severity } from '../../common/model.js';

function minSeverity(a: Severity, b: Severity): Severity {
  return severityRank(a) <= severityRank(b) ? a : b;
}

/** Global utilization from which bound-only sockets alone are worth a diagnosis. */
export const BOUND_ONLY_MIN_UTILIZATION = 0.05;

/** Diagnoses exclusively held ports, or null. */
export function diagnoseBindBeforeConnect(ctx: DiagnosisContext): Diagnosis | null {
  const g = ctx.global;
  const cap = ctx.capacity;
  if (!g || !cap) return null;
  // Bound-only sockets alone are worth saying when they take a noticeable share of the range.
  if (!g.bindBeforeConnectEvidence && (g.boundOnlySockets === 0 || g.exactUtilization < BOUND_ONLY_MIN_UTILIZATION)) return null;

  const evidence: string[] = [];
  if (g.sharingEvidence) {
    evidence.push(
      `${formatCount(g.outboundSockets)} outbound sockets toward ${formatCount(g.destinations)} destinations use ${formatCount(g.distinctPortsInUse)} distinct local ports ` +
        `and never share one, although plain connect() calls would share about ${formatCount(g.expectedSharedPorts)} by chance.`,
    );
  }
  for (const p of g.bindingProcesses.slice(0, 3)) {
    evidence.push(`Process ${p.pid} holds bound-only sockets, so its ${p.sockets === 1 ? 'connected socket is' : `${formatCount(p.sockets)} connected sockets are`} counted as bound before connect() (inferred: the socket table cannot tell).`);
  }
  if (g.boundOnlySockets > 0) evidence.push(`${formatCountOf(g.boundOnlySockets, 'bound-only socket')} (bound, not connected or listening) ${g.boundOnlySockets === 1 ? 'holds a port' : 'hold ports'} inside the range.`);
  evidence.push(
    `${formatCount(g.exclusivelyHeld)} of ${formatCount(cap.rangeSize - cap.reserved)} ports are taken from every destination (${formatPercent(g.utilization)})` +
      (g.heldInferred > 0 ? `, ${formatCount(g.heldExact)} of them for certain (listeners and bound-only sockets).` : '.'),
  );

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
    // What rests on inference says warning at most (never page on a guess).
    severity: diagnosisSeverity([levelForUtilization(g.exactUtilization, ctx.config.thresholds), minSeverity(levelForUtilization(g.utilization, ctx.config.thresholds), INFERRED_LEVEL_CAP)]),
    title: 'Ports are held exclusively (bind() before connect())',
    summary:
      'Sockets that bind() before connect() take their port for every destination, so the range runs out globally ' +
      '(EADDRINUSE, "Address already in use", even toward a new destination).',
    evidence,
    recommendations: recs,
  };
}
