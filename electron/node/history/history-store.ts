// The engine's bounded history: per track, the newest day of points at up to 1-second resolution in a
// ring, and every point also rolled up into 1-minute buckets kept for a week (min and max in order, so
// spikes survive). A silence longer than the track's gap threshold, or a failed reading, is recorded as a
// gap marker: charts show a hole, never a zero.
import {
  BucketSeries,
  trackFields,
  type HistoryFrame,
  type HistoryPoint,
  type HistoryTrack,
} from '../../common/history-frame.js';
import { PointRing } from './point-ring.js';

/** Bounds of the store. */
export interface HistoryLimits {
  /** Raw points per track (86,400 = a day at one per second). */
  rawPoints: number;
  rollupBucketMs: number;
  rollupWindowMs: number;
  /** Silence after which a gap is recorded, per track. */
  gapAfterMs: Record<HistoryTrack, number>;
}

export const DEFAULT_HISTORY_LIMITS: HistoryLimits = {
  rawPoints: 86_400,
  rollupBucketMs: 60_000,
  rollupWindowMs: 7 * 86_400_000,
  // Full samples come at most 60 s apart (the sampler's slowest cadence); ticks every second.
  gapAfterMs: { sample: 75_000, tick: 5_000 },
};

class Track {
  readonly ring: PointRing;
  rollup: BucketSeries;
  constructor(
    readonly name: HistoryTrack,
    readonly limits: HistoryLimits,
  ) {
    this.ring = new PointRing(limits.rawPoints, trackFields(name).length);
    this.rollup = new BucketSeries(name, limits.rollupBucketMs, limits.rollupWindowMs);
  }
}

/** Bounded, two-tier history of both tracks. */
export class HistoryStore {
  private readonly tracks: Record<HistoryTrack, Track>;

  constructor(readonly limits: HistoryLimits = DEFAULT_HISTORY_LIMITS) {
    this.tracks = { sample: new Track('sample', limits), tick: new Track('tick', limits) };
  }

  /** Records a point; returns what was stored (a gap marker may come first after a silence). */
  add(track: HistoryTrack, p: HistoryPoint): HistoryPoint[] {
    const t = this.tracks[track];
    const stored: HistoryPoint[] = [];
    const newest = t.ring.newestTime;
    if (p.time < newest) return stored; // out of order: the clock went back; keep the series ascending
    if (Number.isFinite(newest) && !t.ring.newestIsGap && !p.gap && p.time - newest > this.limits.gapAfterMs[track]) {
      stored.push(this.put(t, { time: newest + 1, gap: true, values: [] }));
    }
    if (p.gap && t.ring.newestIsGap) return stored; // one marker per hole is enough
    stored.push(this.put(t, p));
    return stored;
  }

  /** Records a gap marker now (sampling paused or stopped). */
  markGap(track: HistoryTrack, time: number): HistoryPoint[] {
    return this.add(track, { time, gap: true, values: [] });
  }

  /** One track over [now - windowMs, now], in about `buckets` buckets of whole seconds. */
  frame(track: HistoryTrack, windowMs: number, buckets: number, now: number): HistoryFrame {
    const t = this.tracks[track];
    const bucketMs = Math.max(1000, Math.ceil(windowMs / buckets / 1000) * 1000);
    const out = new BucketSeries(track, bucketMs, windowMs);
    const from = now - windowMs;
    const rawFrom = t.ring.oldestTime;
    if (from < rawFrom) {
      // Older than the raw ring: replay the minute buckets as their two extremes (and their gaps).
      const r = t.rollup;
      const w = r.bucketMs;
      for (let i = 0; i < r.length; i++) {
        const start = r.time[i]!;
        // The minute that straddles the raw ring's start is taken from the raw points only (no double count).
        if (start + w <= from || start + w > rawFrom) continue;
        const firsts = r.first.map((a) => a[i] ?? null);
        const seconds = r.second.map((a) => a[i] ?? null);
        if (r.count[i]! > 0) out.add({ time: Math.max(from, start + w * 0.25), gap: false, values: firsts });
        if (r.gaps[i]! > 0) out.add({ time: Math.max(from, start + w * 0.5), gap: true, values: [] });
        if (r.count[i]! > 1) out.add({ time: Math.max(from, start + w * 0.75), gap: false, values: seconds });
      }
    }
    for (let i = t.ring.firstIndexAtOrAfter(from); i < t.ring.length; i++) out.add(t.ring.at(i));
    return out.toFrame();
  }

  /** The minute roll-ups of a track, as a frame (what persistence saves). */
  rollups(track: HistoryTrack): HistoryFrame {
    return this.tracks[track].rollup.toFrame();
  }

  /**
   * Puts saved minute roll-ups back after a restart, matching fields by name (a field the save lacks stays
   * unknown). Only buckets older than anything recorded since are taken, so nothing is counted twice.
   */
  restoreRollups(track: HistoryTrack, saved: HistoryFrame): void {
    const r = this.tracks[track].rollup;
    if (saved.bucketMs !== r.bucketMs) return;
    const before = r.length > 0 ? r.time[0]! : Infinity;
    const fields = trackFields(track);
    const from = fields.map((f) => saved.fields.indexOf(f));
    const restored = new BucketSeries(track, r.bucketMs, r.windowMs);
    // the window bound holds for the whole: a restored week plus new minutes is still a week
    const newest = Math.max(r.length > 0 ? r.time[r.length - 1]! : -Infinity, saved.time[saved.time.length - 1] ?? -Infinity);
    for (let i = 0; i < saved.time.length; i++) {
      if (!(saved.time[i]! < before) || saved.time[i]! < newest - r.windowMs) continue;
      restored.time.push(saved.time[i]!);
      restored.count.push(saved.count[i]!);
      restored.gaps.push(saved.gaps[i]!);
      from.forEach((k, j) => {
        restored.first[j]!.push(k >= 0 ? (saved.first[k]![i] ?? null) : null);
        restored.second[j]!.push(k >= 0 ? (saved.second[k]![i] ?? null) : null);
      });
    }
    for (let i = 0; i < r.length; i++) {
      restored.time.push(r.time[i]!);
      restored.count.push(r.count[i]!);
      restored.gaps.push(r.gaps[i]!);
      for (let j = 0; j < fields.length; j++) {
        restored.first[j]!.push(r.first[j]![i] ?? null);
        restored.second[j]!.push(r.second[j]![i] ?? null);
      }
    }
    this.tracks[track].rollup = restored;
  }

  /** Number of raw points held in a track. */
  rawLength(track: HistoryTrack): number {
    return this.tracks[track].ring.length;
  }

  private put(t: Track, p: HistoryPoint): HistoryPoint {
    // One point per second at most in the raw ring, so a day fits; the rollup sees every reading.
    if (!p.gap && !t.ring.newestIsGap && Math.floor(p.time / 1000) === Math.floor(t.ring.newestTime / 1000)) t.ring.replaceNewest(p);
    else t.ring.push(p);
    t.rollup.add(p);
    return p;
  }
}
