// From the 1 Hz tick, a burst of new connections above what the range sustains toward one destination:
// then a full sample is taken at once, while the burst's TIME-WAIT sockets still carry their timers.
import type { Sample, TickSample } from '../../common/model.js';

/** Share of the sustainable rate at which a tick counts as a burst (the default warning threshold). */
export const BURST_SHARE = 0.7;

/**
 * True when the tick's rate of new outbound connections (all destinations) reaches BURST_SHARE of what one
 * destination sustains (usable ports / hold time, from the latest sample), and the last full sample
 * started at least minGapMs ago (a long burst does not turn the monitor into a busy loop).
 */
export function isBurst(tick: TickSample, latest: Sample | null, lastFullStartedAt: number, minGapMs: number): boolean {
  const rate = tick.newConnectionsPerSec;
  const sustainable = latest?.rates.sustainablePerDestinationPerSec ?? null;
  if (rate === null || sustainable === null || !(sustainable > 0)) return false;
  if (tick.time - lastFullStartedAt < minGapMs) return false;
  return rate >= BURST_SHARE * sustainable;
}
