// Time until a destination has no port left, from its trend and from its rate against capacity.
import type { TrendFit } from './trend.js';

/** Fewest samples a trend needs before it may predict anything. */
export const MIN_TREND_POINTS = 3;

/** What one destination looks like now. */
export interface ExhaustionInput {
  usable: number;
  blocking: number;
  /** New connections per second toward it (null: unknown). */
  newPerSec: number | null;
  /** usable / holdSec. */
  sustainablePerSec: number;
  holdSec: number;
  /** Fit of its blocking count over the trend window (null: too little history). */
  trend: TrendFit | null;
  trendWindowSec: number;
}

/**
 * Seconds until blocking reaches usable if the least-squares trend continues. A trend counts only
 * with MIN_TREND_POINTS points spanning at least min(30 s, half the window) and a rise worth the
 * name (≥ 2 ports and ≥ 1 % of capacity over the span) that still goes on in the newest quarter of
 * the span: noise around a flat line, or growth that stopped, predicts nothing.
 */
export function timeFromTrend(trend: TrendFit | null, blocking: number, usable: number, windowSec: number): number | null {
  if (!trend || trend.points < MIN_TREND_POINTS || trend.spanSec < Math.min(30, windowSec / 2)) return null;
  if (!(trend.slopePerSec > 0)) return null;
  // Growth that has stopped predicts nothing: never a countdown next to a flat line.
  if (typeof trend.recentSlopePerSec === 'number' && !(trend.recentSlopePerSec > 0)) return null;
  if (trend.slopePerSec * trend.spanSec < Math.max(2, 0.01 * usable)) return null;
  return Math.max(0, (usable - blocking) / trend.slopePerSec);
}

/**
 * Seconds until exhaustion from rates: ports come in at newPerSec and go out at about blocking / holdSec
 * (each is held holdSec). When newPerSec exceeds what the destination sustains, the steady state
 * exceeds capacity and the free ports run out at the net rate.
 */
export function timeFromRate(newPerSec: number | null, sustainablePerSec: number, blocking: number, usable: number, holdSec: number): number | null {
  if (newPerSec === null || !(newPerSec > sustainablePerSec) || !(holdSec > 0)) return null;
  const net = newPerSec - blocking / holdSec;
  if (!(net > 0)) return null;
  return Math.max(0, (usable - blocking) / net);
}

/** The sooner of the two estimates; 0 when already exhausted; null when neither says it will run out. */
export function timeToExhaustion(x: ExhaustionInput): number | null {
  if (x.blocking >= x.usable) return 0;
  const estimates = [
    timeFromTrend(x.trend, x.blocking, x.usable, x.trendWindowSec),
    timeFromRate(x.newPerSec, x.sustainablePerSec, x.blocking, x.usable, x.holdSec),
  ].filter((v): v is number => v !== null && Number.isFinite(v) && v > 0);
  return estimates.length ? Math.min(...estimates) : null;
}
