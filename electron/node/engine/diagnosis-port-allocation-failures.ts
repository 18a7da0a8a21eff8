// port-allocation-failures (Windows): the Tcpip events that prove connects failed for want of a port.
// 4231: "A request to allocate an ephemeral port number from the global TCP port space has failed";
// 4227: "TCP/IP failed to establish an outgoing connection because the selected local endpoint was
// recently used" (a 4-tuple still in TIME-WAIT). Only events of the last hour count: the System log
// keeps old ones for days.
import type { Diagnosis } from '../../common/model.js';
import type { DiagnosisContext } from './diagnosis-context.js';
import { formatCount } from './format.js';
import { connectionReuseRecommendation } from './recommendations.js';

/** Events older than this are history, not what is happening. */
export const RECENT_EVENT_MS = 60 * 60 * 1000;

/** Diagnoses recent Tcpip 4227/4231 events, or null. */
export function diagnosePortAllocationFailures(ctx: DiagnosisContext): Diagnosis | null {
  const ev = ctx.counters.portAllocationFailures;
  if (!ev || ev.latestMs === null || ev.id4227 + ev.id4231 === 0) return null;
  const ageMs = ctx.time - ev.latestMs;
  if (ageMs > RECENT_EVENT_MS) return null;
  const ago = ageMs < 60_000 ? 'less than a minute ago' : `${Math.round(ageMs / 60_000)} min ago`;
  const evidence: string[] = [];
  if (ev.id4231 > 0) evidence.push(`${formatCount(ev.id4231)} Tcpip event(s) 4231 in the System log: an ephemeral port could not be allocated.`);
  if (ev.id4227 > 0) evidence.push(`${formatCount(ev.id4227)} Tcpip event(s) 4227: a connection was refused a local endpoint still in TIME-WAIT.`);
  evidence.push(`The latest was logged ${ago} (counted among the 50 newest Tcpip events).`);
  return {
    id: 'port-allocation-failures',
    severity: ev.id4231 > 0 ? 'critical' : 'warning',
    title: 'Windows logged failed port allocations',
    summary: 'Windows recorded that outgoing connections failed because no ephemeral port was free: exhaustion has already happened.',
    evidence,
    recommendations: [
      connectionReuseRecommendation(),
      {
        kind: 'investigate',
        text:
          'Check the dynamic port range and the excluded ranges inside it (netsh int ipv4 show dynamicport tcp; netsh int ipv4 show excludedportrange protocol=tcp): Hyper-V, WSL and WinNAT reserve blocks there.',
      },
    ],
  };
}
