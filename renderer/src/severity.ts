// The severity colour a utilization deserves (the engine's thresholds; hysteresis is the engine's business).
import type { Severity } from '../../electron/common/model.js';
import { DEFAULT_ANALYSIS_CONFIG } from '../../electron/common/config.js';

/** ok below warning, warning, critical, exhausted at 100 %. */
export function utilizationSeverity(ratio: number, t = DEFAULT_ANALYSIS_CONFIG.thresholds): Severity {
  if (ratio >= 1) return 'exhausted';
  if (ratio >= t.critical) return 'critical';
  if (ratio >= t.warning) return 'warning';
  return 'ok';
}
