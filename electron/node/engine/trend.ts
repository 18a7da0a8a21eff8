// Per-destination history over the trend window: a bounded number of destinations, each with a
// bounded number of points, fitted by least squares.

/** One destination's counts at one sample. */
export interface TrendPoint {
  /** Epoch ms. */
  time: number;
  blocking: number;
  established: number;
}

/** Which destination a history belongs to (enough to find it again in a later table). */
export interface TrackedDestination {
  key: string;
  localAddr: string;
  remoteAddr: string;
  remotePort: number;
}

/** A straight-line fit of one field over the window. */
export interface TrendFit {
  /** Change per second. */
  slopePerSec: number;
  points: number;
  /** Seconds between the first and the last point. */
  spanSec: number;
  first: number;
  last: number;
  /** Share of steps (point to next point) that did not go down, 0..1. */
  nonDecreasingShare: number;
  /** Slope over the newest quarter of the span (at least 3 points), null when too few: growth that stopped shows here first. */
  recentSlopePerSec?: number | null;
}

/** Least-squares slope of values over times (seconds); null with fewer than two distinct times. */
export function leastSquaresSlope(times: readonly number[], values: readonly number[]): number | null {
  const n = Math.min(times.length, values.length);
  if (n < 2) return null;
  let st = 0;
  let sv = 0;
  for (let i = 0; i < n; i++) {
    st += times[i]!;
    sv += values[i]!;
  }
  const mt = st / n;
  const mv = sv / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const dt = times[i]! - mt;
    num += dt * (values[i]! - mv);
    den += dt * dt;
  }
  return den > 0 ? num / den : null;
}

/** Fits one field of the points no older than windowSec before `now`; null when fewer than two points. */
export function fitTrend(points: readonly TrendPoint[], field: 'blocking' | 'established', now: number, windowSec: number): TrendFit | null {
  const from = now - windowSec * 1000;
  const inWindow = points.filter((p) => p.time >= from && p.time <= now);
  if (inWindow.length < 2) return null;
  const t0 = inWindow[0]!.time;
  const slope = leastSquaresSlope(
    inWindow.map((p) => (p.time - t0) / 1000),
    inWindow.map((p) => p[field]),
  );
  if (slope === null) return null;
  let up = 0;
  for (let i = 1; i < inWindow.length; i++) if (inWindow[i]![field] >= inWindow[i - 1]![field]) up++;
  const lastTime = inWindow[inWindow.length - 1]!.time;
  const recentFrom = lastTime - (lastTime - t0) / 4;
  let recent = inWindow.filter((p) => p.time >= recentFrom);
  if (recent.length < 3) recent = inWindow.slice(-3);
  const recentSlope = recent.length >= 3 ? leastSquaresSlope(recent.map((p) => (p.time - t0) / 1000), recent.map((p) => p[field])) : null;
  return {
    slopePerSec: slope,
    points: inWindow.length,
    spanSec: (inWindow[inWindow.length - 1]!.time - t0) / 1000,
    first: inWindow[0]![field],
    last: inWindow[inWindow.length - 1]![field],
    nonDecreasingShare: up / (inWindow.length - 1),
    recentSlopePerSec: recentSlope,
  };
}

/** One destination's history as kept on disk across a restart. */
export interface SavedTrend {
  dest: TrackedDestination;
  points: TrendPoint[];
  lastListed: number;
}

interface History {
  dest: TrackedDestination;
  points: TrendPoint[];
  /** When it was last among the listed destinations (epoch ms). */
  lastListed: number;
}

/** Histories of at most maxTracked destinations, at most maxPoints each, no older than windowSec. */
export class DestinationTrends {
  private readonly byKey = new Map<string, History>();

  constructor(
    public windowSec: number,
    public maxTracked: number,
    readonly maxPoints = 512,
  ) {}

  /** Changes the window and the number tracked for the points from now on, keeping the histories. */
  setBounds(windowSec: number, maxTracked: number): void {
    this.windowSec = windowSec;
    this.maxTracked = maxTracked;
  }

  /** Number of destinations tracked. */
  get size(): number {
    return this.byKey.size;
  }

  /** Adds a point; `listed` keeps the destination tracked (it is among the listed ones now). */
  record(dest: TrackedDestination, point: TrendPoint, listed: boolean): void {
    let h = this.byKey.get(dest.key);
    if (!h) {
      if (!listed) return; // only listed destinations start a history
      h = { dest, points: [], lastListed: point.time };
      this.byKey.set(dest.key, h);
    }
    if (listed) h.lastListed = point.time;
    const last = h.points[h.points.length - 1];
    if (last && point.time <= last.time) h.points = h.points.filter((p) => p.time < point.time); // clock went back: keep order
    h.points.push(point);
    const from = point.time - this.windowSec * 1000;
    let drop = 0;
    while (drop < h.points.length && h.points[drop]!.time < from) drop++;
    drop = Math.max(drop, h.points.length - this.maxPoints);
    if (drop > 0) h.points.splice(0, drop);
  }

  /** Every history, to keep across a restart (see history/trend-file.ts). */
  save(): SavedTrend[] {
    return [...this.byKey.values()].map((h) => ({ dest: { ...h.dest }, points: h.points.map((p) => ({ ...p })), lastListed: h.lastListed }));
  }

  /**
   * Puts saved histories back (after a restart) under today's bounds: points older than the window before
   * `now` or in the future are dropped, and a destination already tracked keeps its own newer points.
   */
  restore(saved: readonly SavedTrend[], now: number): number {
    const from = now - this.windowSec * 1000;
    let n = 0;
    for (const t of saved) {
      if (this.byKey.has(t.dest.key)) continue;
      const points = t.points.filter((p) => p.time >= from && p.time <= now).slice(-this.maxPoints);
      if (points.length === 0) continue;
      this.byKey.set(t.dest.key, { dest: { ...t.dest }, points: points.map((p) => ({ ...p })), lastListed: Math.min(t.lastListed, now) });
      n++;
    }
    this.prune(now);
    return n;
  }

  /** The points of a destination, oldest first (empty when untracked). */
  points(key: string): readonly TrendPoint[] {
    return this.byKey.get(key)?.points ?? [];
  }

  /** Every tracked destination. */
  tracked(): TrackedDestination[] {
    return [...this.byKey.values()].map((h) => h.dest);
  }

  /** Forgets destinations beyond maxTracked (least recently listed first) and those not listed within the window. */
  prune(now: number): void {
    const from = now - this.windowSec * 1000;
    for (const [k, h] of this.byKey) if (h.lastListed < from) this.byKey.delete(k);
    if (this.byKey.size <= this.maxTracked) return;
    const order = [...this.byKey.values()].sort((a, b) => a.lastListed - b.lastListed);
    for (const h of order.slice(0, this.byKey.size - this.maxTracked)) this.byKey.delete(h.dest.key);
  }
}
