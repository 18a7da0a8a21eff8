// Rates: new outbound connections per second, overall (ActiveOpens) and per destination.
import type { TickSample } from '../../common/model.js';

/** A cumulative counter read at a time (epoch ms). */
export interface CounterReading {
  time: number;
  value: number;
}

/** Per-second rate between two readings; null when either is missing, time did not advance, or the counter went back (reboot, wrap). */
export function counterRatePerSec(older: CounterReading | null, newer: CounterReading | null): number | null {
  if (!older || !newer) return null;
  const dt = (newer.time - older.time) / 1000;
  const dv = newer.value - older.value;
  if (!(dt > 0) || !(dv >= 0) || !Number.isFinite(dv)) return null;
  return dv / dt;
}

/** The longest look-back that TIME-WAIT ages support (they only exist for the TIME-WAIT length). */
export const MAX_RECENT_WINDOW_SEC = 60;

/**
 * The window W over which recently closed connections are counted: the time since the previous
 * sample clamped to [1 s, 60 s]; the first sample looks back the whole 60 s.
 */
export function recentWindowSec(elapsedSec: number | null): number {
  if (elapsedSec === null || !Number.isFinite(elapsedSec)) return MAX_RECENT_WINDOW_SEC;
  return Math.min(MAX_RECENT_WINDOW_SEC, Math.max(1, elapsedSec));
}

/** What is known about one destination's new connections since the previous sample. */
export interface DestinationRateInput {
  /** TIME-WAIT sockets at most W old. */
  recentTimeWait: number;
  /** TIME-WAIT sockets of unknown age (then the rate is unknown). */
  unknownAgeTimeWait: number;
  /** Growth of its non-TIME-WAIT outbound sockets since the previous sample (null: no previous sample). */
  openGrowth: number | null;
  windowSec: number;
  /** Seconds since the previous sample (null: none). */
  elapsedSec: number | null;
}

/**
 * New connections per second toward one destination: connections closed within W (TIME-WAIT no older
 * than W) per second, plus the growth of its open connections when positive. A lower bound: a
 * connection opened and reused within W is missed.
 */
export function destinationNewPerSec(r: DestinationRateInput): number | null {
  if (r.unknownAgeTimeWait > 0) return null;
  let rate = r.recentTimeWait / r.windowSec;
  if (r.openGrowth !== null && r.openGrowth > 0 && r.elapsedSec !== null && r.elapsedSec > 0) {
    rate += r.openGrowth / Math.max(1, r.elapsedSec);
  }
  return rate;
}

/** A bounded ring of the latest tick samples. */
export class TickHistory {
  private readonly items: TickSample[] = [];

  constructor(readonly capacity = 300) {}

  /** Adds a tick sample, dropping the oldest beyond capacity. */
  push(t: TickSample): void {
    this.items.push(t);
    if (this.items.length > this.capacity) this.items.splice(0, this.items.length - this.capacity);
  }

  /** The retained tick samples, oldest first. */
  list(): readonly TickSample[] {
    return this.items;
  }
}
