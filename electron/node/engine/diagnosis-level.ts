// Severity of a diagnosis from the levels of what it is about.
import type { AnalysisConfig } from '../../common/config.js';
import type { Diagnosis, Severity } from '../../common/model.js';
import type { DestinationDetail } from './diagnosis-context.js';
import { levelForUtilization, raiseForTimeToExhaustion, severityRank } from './severity.js';

/** A destination's own level (utilization raised by its time to exhaustion), without hysteresis. */
export function destinationLevel(d: DestinationDetail, cfg: AnalysisConfig): Severity {
  return raiseForTimeToExhaustion(levelForUtilization(d.usage.utilization, cfg.thresholds), d.usage.timeToExhaustionSec, cfg);
}

/** critical when any level is critical or exhausted, warning when any is warning, else info. */
export function diagnosisSeverity(levels: readonly (Severity | 'unknown')[]): Diagnosis['severity'] {
  let worst = 0;
  for (const l of levels) if (l !== 'unknown') worst = Math.max(worst, severityRank(l));
  return worst >= 2 ? 'critical' : worst === 1 ? 'warning' : 'info';
}
