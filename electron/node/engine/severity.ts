// Severity: a level from utilization, raised by a near time to exhaustion, with hysteresis so that a
// value hovering at a threshold does not flap.
import type { AnalysisConfig } from '../../common/config.js';
import type { Severity } from '../../common/model.js';

const RANK: Record<Severity, number> = { ok: 0, warning: 1, critical: 2, exhausted: 3 };

/** Order of a level: ok 0 … exhausted 3. */
export function severityRank(s: Severity): number {
  return RANK[s];
}

/** The higher of two levels. */
export function maxSeverity(a: Severity, b: Severity): Severity {
  return RANK[a] >= RANK[b] ? a : b;
}

/**
 * Level for a utilization (0..1+): ≥ 1 exhausted, ≥ critical, ≥ warning, else ok. `shift` lowers
 * every threshold (the exhausted one too) for the hysteresis test.
 */
export function levelForUtilization(u: number, thresholds: AnalysisConfig['thresholds'], shift = 0): Severity {
  if (u >= 1 - shift) return 'exhausted';
  if (u >= thresholds.critical - shift) return 'critical';
  if (u >= thresholds.warning - shift) return 'warning';
  return 'ok';
}

/** Raises a level by the time to exhaustion: below ttlCriticalSec at least critical, below ttlWarningSec at least warning. */
export function raiseForTimeToExhaustion(level: Severity, tteSec: number | null, cfg: AnalysisConfig): Severity {
  if (tteSec === null) return level;
  if (tteSec < cfg.ttlCriticalSec) return maxSeverity(level, 'critical');
  if (tteSec < cfg.ttlWarningSec) return maxSeverity(level, 'warning');
  return level;
}

/** The level now (raw) and the level the hysteresis test uses (thresholds lowered by cfg.hysteresis). */
export function assessLevels(utilization: number, tteSec: number | null, cfg: AnalysisConfig): { raw: Severity; lowered: Severity } {
  return {
    raw: raiseForTimeToExhaustion(levelForUtilization(utilization, cfg.thresholds), tteSec, cfg),
    lowered: raiseForTimeToExhaustion(levelForUtilization(utilization, cfg.thresholds, cfg.hysteresis), tteSec, cfg),
  };
}

/** Outcome of one hysteresis step. */
export interface HysteresisStep {
  level: Severity;
  /** True when the level stays above the raw level because recovery is not yet confirmed. */
  holding: boolean;
  /** Consecutive samples so far that qualify for lowering. */
  samplesBelow: number;
}

/**
 * Going up is immediate; going down needs `recoverSamples` consecutive samples whose level, computed
 * with lowered thresholds, is below the current one. It then drops to the highest of those levels.
 */
export class SeverityHysteresis {
  private current: Severity | null = null;
  private below = 0;
  private candidate: Severity = 'ok';

  constructor(public recoverSamples: number) {}

  /** Changes how many samples below a level lower it, keeping the level shown and the count so far. */
  setRecoverSamples(n: number): void {
    this.recoverSamples = n;
  }

  /** Feeds one sample's raw and lowered levels; returns the level to show. */
  update(raw: Severity, lowered: Severity): HysteresisStep {
    const cur = this.current;
    if (cur === null || RANK[raw] >= RANK[cur]) {
      this.current = raw;
      this.below = 0;
      return { level: raw, holding: false, samplesBelow: 0 };
    }
    if (RANK[lowered] < RANK[cur]) {
      this.candidate = this.below === 0 ? lowered : maxSeverity(this.candidate, lowered);
      this.below++;
      if (this.below >= this.recoverSamples) {
        this.current = this.candidate;
        this.below = 0;
      }
    } else {
      this.below = 0;
    }
    const level = this.current!;
    return { level, holding: RANK[level] > RANK[raw], samplesBelow: this.below };
  }

  /** Forgets the current level (after a sample whose severity is unknown). */
  reset(): void {
    this.current = null;
    this.below = 0;
  }
}
