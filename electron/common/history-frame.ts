// History as the dashboard draws it: points bucketed in time, each bucket keeping the minimum and the maximum
// of every field in the order they happened (so spikes survive downsampling and a stacked chart can still
// share x positions), and a count of gap markers (sampling failed: a gap, never a zero).
// The engine builds frames from its bounded store; the renderer keeps appending live points to the same
// structure, so both ends bucket the same way. Pure code: no node, no DOM.
import { ALL_TCP_STATES } from './tcp-state.js';

/** The two histories the engine keeps: full samples (states, use) and 1 Hz ticks (rates). */
export type HistoryTrack = 'sample' | 'tick';

/** Fields of the sample track, in this order in every point and frame. */
export const SAMPLE_FIELDS = [
  ...ALL_TCP_STATES,
  'totalSockets',
  'worstUtilization',
  'globalUtilization',
  'worstBlocking',
  'usable',
  'severity',
  'newPerSec',
] as const;

/** Fields of the tick track. */
export const TICK_FIELDS = ['newConnectionsPerSec', 'sockstatInuse', 'sockstatTw'] as const;

/** A field of the sample track. */
export type SampleField = (typeof SAMPLE_FIELDS)[number];
/** A field of the tick track. */
export type TickField = (typeof TICK_FIELDS)[number];
/** The fields of each track, by track: a field name that is not in its track does not compile. */
export interface TrackFields {
  sample: SampleField;
  tick: TickField;
}

const FIELDS_OF: { readonly [T in HistoryTrack]: readonly TrackFields[T][] } = { sample: SAMPLE_FIELDS, tick: TICK_FIELDS };

/** Field names of a track, in the order of every point and frame. */
export function trackFields<T extends HistoryTrack>(track: T): readonly TrackFields[T][] {
  return FIELDS_OF[track];
}

/** The index of a field in its track's points (the field's type is checked by the compiler). */
export function fieldIndex<T extends HistoryTrack>(track: T, field: TrackFields[T]): number {
  return trackFields(track).indexOf(field);
}

/** Where the value of each field of a track comes from: one extractor per field, no field left out. */
export type FieldExtractors<T extends HistoryTrack, Source> = { readonly [F in TrackFields[T]]: (source: Source) => number | null };

/** The values of one point, in the track's field order, read through its extractor table. */
export function extractValues<T extends HistoryTrack, Source>(track: T, extractors: FieldExtractors<T, Source>, source: Source): (number | null)[] {
  return trackFields(track).map((f) => extractors[f](source));
}

/** One recorded moment. A gap marker has no values: sampling failed or stopped there. */
export interface HistoryPoint {
  time: number;
  gap: boolean;
  /** One value per field of the track (null: not known at that moment); empty for a gap marker. */
  values: (number | null)[];
}

/** A window of history, bucketed, columnar (what getHistory returns). */
export interface HistoryFrame {
  track: HistoryTrack;
  fields: string[];
  /** Width of one bucket. */
  bucketMs: number;
  /** How much time the frame keeps (older buckets are dropped as new ones arrive). */
  windowMs: number;
  /** Bucket start times (multiples of bucketMs), ascending; empty buckets are omitted. */
  time: number[];
  /** Real points merged into each bucket. */
  count: number[];
  /** Gap markers inside each bucket. */
  gaps: number[];
  /** Per field, per bucket: the extreme that happened first (min or max), null when unknown. */
  first: (number | null)[][];
  /** Per field, per bucket: the other extreme. */
  second: (number | null)[][];
}

/** A growing, bounded bucketed series: append points, read a frame. */
export class BucketSeries {
  readonly time: number[] = [];
  readonly count: number[] = [];
  readonly gaps: number[] = [];
  readonly first: (number | null)[][];
  readonly second: (number | null)[][];

  constructor(
    readonly track: HistoryTrack,
    readonly bucketMs: number,
    readonly windowMs: number,
  ) {
    if (!(bucketMs >= 1) || !(windowMs >= bucketMs)) throw new RangeError(`bad bucket series: bucketMs ${bucketMs}, windowMs ${windowMs}`);
    const n = trackFields(track).length;
    this.first = Array.from({ length: n }, () => []);
    this.second = Array.from({ length: n }, () => []);
  }

  /** A series holding a frame's buckets (the frame must have been validated). */
  static fromFrame(f: HistoryFrame): BucketSeries {
    const s = new BucketSeries(f.track, f.bucketMs, f.windowMs);
    s.time.push(...f.time);
    s.count.push(...f.count);
    s.gaps.push(...f.gaps);
    for (let k = 0; k < s.first.length; k++) {
      s.first[k]!.push(...(f.first[k] ?? []));
      s.second[k]!.push(...(f.second[k] ?? []));
    }
    return s;
  }

  get length(): number {
    return this.time.length;
  }

  /** Merges one point into its bucket (points older than the newest bucket's window are dropped). */
  add(p: HistoryPoint): void {
    const start = Math.floor(p.time / this.bucketMs) * this.bucketMs;
    const last = this.time.length - 1;
    let i: number;
    if (last < 0 || start > this.time[last]!) {
      i = this.pushBucket(start);
    } else if (start === this.time[last]) {
      i = last;
    } else {
      i = this.findOrInsert(start);
      if (i < 0) return;
    }
    if (p.gap) {
      this.gaps[i]!++;
      return;
    }
    this.count[i]!++;
    const nf = this.first.length;
    for (let k = 0; k < nf; k++) {
      const v = p.values[k];
      if (v === null || v === undefined || !Number.isFinite(v)) continue;
      const fa = this.first[k]!;
      const sa = this.second[k]!;
      const a = fa[i]!;
      const b = sa[i]!;
      if (a === null || b === null) {
        fa[i] = v;
        sa[i] = v;
        continue;
      }
      const lo = a < b ? a : b;
      const hi = a < b ? b : a;
      // A new extreme becomes the later one; the other extreme keeps its place as the earlier one.
      if (v > hi) {
        fa[i] = lo;
        sa[i] = v;
      } else if (v < lo) {
        fa[i] = hi;
        sa[i] = v;
      }
    }
    this.trim();
  }

  /** A copy of the current buckets as a frame. */
  toFrame(): HistoryFrame {
    return {
      track: this.track,
      fields: [...trackFields(this.track)],
      bucketMs: this.bucketMs,
      windowMs: this.windowMs,
      time: this.time.slice(),
      count: this.count.slice(),
      gaps: this.gaps.slice(),
      first: this.first.map((a) => a.slice()),
      second: this.second.map((a) => a.slice()),
    };
  }

  private pushBucket(start: number): number {
    this.time.push(start);
    this.count.push(0);
    this.gaps.push(0);
    for (const a of this.first) a.push(null);
    for (const a of this.second) a.push(null);
    this.trim();
    return this.time.length - 1;
  }

  /** Index of the bucket starting at `start`, inserted if missing; -1 when older than the window. */
  private findOrInsert(start: number): number {
    const newest = this.time[this.time.length - 1]!;
    if (start < newest - this.windowMs) return -1;
    let lo = 0;
    let hi = this.time.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.time[mid]! < start) lo = mid + 1;
      else hi = mid;
    }
    if (this.time[lo] === start) return lo;
    this.time.splice(lo, 0, start);
    this.count.splice(lo, 0, 0);
    this.gaps.splice(lo, 0, 0);
    for (const a of this.first) a.splice(lo, 0, null);
    for (const a of this.second) a.splice(lo, 0, null);
    return lo;
  }

  /** Drops buckets that fell out of the window (bounded memory). */
  private trim(): void {
    const newest = this.time[this.time.length - 1];
    if (newest === undefined) return;
    const cutoff = newest - this.windowMs;
    let n = 0;
    while (n < this.time.length && this.time[n]! < cutoff) n++;
    if (n === 0) return;
    this.time.splice(0, n);
    this.count.splice(0, n);
    this.gaps.splice(0, n);
    for (const a of this.first) a.splice(0, n);
    for (const a of this.second) a.splice(0, n);
  }
}

/** Where a bucket's points are drawn: one point for a single reading, two (first, second extreme) otherwise, a null between on a gap. */
export interface PlotColumns {
  x: number[];
  /** Per field, one y per x (null: draw a gap). */
  y: (number | null)[][];
}

/** Turns buckets into plot points, keeping min/max order and showing gaps as nulls. */
export function plotColumns(s: BucketSeries | HistoryFrame, fields: readonly number[]): PlotColumns {
  const x: number[] = [];
  const y: (number | null)[][] = fields.map(() => []);
  const w = s.bucketMs;
  for (let i = 0; i < s.time.length; i++) {
    const t = s.time[i]!;
    const c = s.count[i]!;
    const g = s.gaps[i]!;
    if (c === 1 && g === 0) {
      x.push(t + w / 2);
      for (let j = 0; j < fields.length; j++) y[j]!.push(s.first[fields[j]!]![i] ?? null);
      continue;
    }
    if (c >= 1) {
      x.push(t + w * 0.25);
      for (let j = 0; j < fields.length; j++) y[j]!.push(s.first[fields[j]!]![i] ?? null);
    }
    if (g > 0) {
      x.push(t + w * 0.5);
      for (let j = 0; j < fields.length; j++) y[j]!.push(null);
    }
    if (c >= 1) {
      x.push(t + w * (c === 1 ? 0.75 : 0.75));
      for (let j = 0; j < fields.length; j++) y[j]!.push(s.second[fields[j]!]![i] ?? null);
    }
  }
  return { x, y };
}
