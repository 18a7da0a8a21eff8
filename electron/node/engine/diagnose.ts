// Runs every diagnosis on a sample. A healthy system gets an empty list ("no problem" is not a diagnosis).
import type { Diagnosis } from '../../common/model.js';
import { diagnoseBindBeforeConnect } from './diagnosis-bind-before-connect.js';
import { diagnoseCloseWaitLeak } from './diagnosis-close-wait-leak.js';
import { diagnoseConntrack } from './diagnosis-conntrack.js';
import type { DiagnosisContext } from './diagnosis-context.js';
import { diagnoseEstablishedGrowth } from './diagnosis-established-growth.js';
import { diagnoseKernelCounters } from './diagnosis-kernel-counters.js';
import { diagnoseNarrowRange } from './diagnosis-narrow-range.js';
import { diagnosePortAllocationFailures } from './diagnosis-port-allocation-failures.js';
import { diagnoseReservedOrListeners } from './diagnosis-reserved-or-listeners.js';
import { diagnoseTimeWaitChurn } from './diagnosis-time-wait-churn.js';

const DIAGNOSES: readonly ((ctx: DiagnosisContext) => Diagnosis | null)[] = [
  diagnoseTimeWaitChurn,
  diagnoseEstablishedGrowth,
  diagnoseCloseWaitLeak,
  diagnoseBindBeforeConnect,
  diagnoseNarrowRange,
  diagnoseReservedOrListeners,
  diagnoseConntrack,
  diagnoseKernelCounters,
  diagnosePortAllocationFailures,
];

const ORDER: Record<Diagnosis['severity'], number> = { critical: 0, warning: 1, info: 2 };

/** Every diagnosis that applies, most severe first (stable otherwise). */
export function diagnose(ctx: DiagnosisContext): Diagnosis[] {
  const out: Diagnosis[] = [];
  for (const d of DIAGNOSES) {
    const r = d(ctx);
    if (r) out.push(r);
  }
  return out.sort((a, b) => ORDER[a.severity] - ORDER[b.severity]);
}
