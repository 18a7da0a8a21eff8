// Severity colours come from the engine: each destination carries its level and the sample carries the
// user's thresholds. The defaults stand in only for samples from older captures that lack them.
import type { DestinationUsage, Sample, Severity } from '../../electron/common/model.js';
import { DEFAULT_ANALYSIS_CONFIG } from '../../electron/common/config.js';

/** The warning and critical utilizations the sample was judged by. */
export function thresholdsOf(sample: Sample | null): { warning: number; critical: number } {
  return sample?.thresholds ?? DEFAULT_ANALYSIS_CONFIG.thresholds;
}

/** ok below warning, warning, critical, exhausted at 100 %. */
export function utilizationSeverity(ratio: number, t: { warning: number; critical: number }): Severity {
  if (ratio >= 1) return 'exhausted';
  if (ratio >= t.critical) return 'critical';
  if (ratio >= t.warning) return 'warning';
  return 'ok';
}

/** A destination's level as the engine judged it. */
export function destinationSeverity(d: DestinationUsage, thresholds: { warning: number; critical: number }): Severity {
  return d.severity ?? utilizationSeverity(d.utilization, thresholds);
}
