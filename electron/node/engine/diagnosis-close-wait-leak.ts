// close-wait-leak: CLOSE-WAIT means the peer closed and this side never called close(). The sockets
// stay until the application closes them: a bug in the application, not a tuning problem.
import type { Diagnosis, Recommendation } from '../../common/model.js';
import type { DiagnosisContext } from './diagnosis-context.js';
import { formatCount } from './format.js';
import { ownersRecommendation } from './recommendations.js';

/** CLOSE-WAIT sockets from which they "pile up" (they are normally transient, near zero). */
export const CLOSE_WAIT_MIN = 50;
/** From this many, the diagnosis is critical. */
export const CLOSE_WAIT_CRITICAL = 1000;

/** Diagnoses CLOSE-WAIT piling up, naming the owning processes, or null. */
export function diagnoseCloseWaitLeak(ctx: DiagnosisContext): Diagnosis | null {
  const { total, owners } = ctx.closeWait;
  if (total < CLOSE_WAIT_MIN) return null;
  const evidence = [`${formatCount(total)} sockets are in CLOSE-WAIT.`];
  for (const o of owners.slice(0, 5)) evidence.push(`${o.name || 'unknown'} (pid ${o.pid}) holds ${formatCount(o.sockets)} of them.`);
  const unowned = total - owners.reduce((s, o) => s + o.sockets, 0);
  if (unowned > 0) evidence.push(`${formatCount(unowned)} have no known owner (reading owners may need more privileges).`);

  const recs: Recommendation[] = [
    {
      kind: 'application',
      text:
        'Fix the application: when the peer closes (a read returns 0 / end of file), it must close() its socket too. ' +
        'This is a bug, not a tuning problem: no kernel setting releases CLOSE-WAIT sockets, and a restart only frees them until they pile up again.',
    },
  ];
  const who = ownersRecommendation(owners, 'Processes holding CLOSE-WAIT sockets');
  if (who) recs.push(who);
  if (ctx.platform === 'linux') recs.push({ kind: 'investigate', text: 'List them with: ss -tnp state close-wait' });
  return {
    id: 'close-wait-leak',
    severity: total >= CLOSE_WAIT_CRITICAL ? 'critical' : 'warning',
    title: 'CLOSE-WAIT sockets pile up: the application does not close its side',
    summary: `${formatCount(total)} connections were closed by the other end but never by this one; each keeps its port until the application closes it.`,
    evidence,
    recommendations: recs,
  };
}
