// A fixed-capacity ring of history points in typed arrays: a full day of 1-second points costs a few MB
// and never grows. Unknown values are NaN inside (null outside); gap markers are flagged.
import type { HistoryPoint } from '../../common/history-frame.js';

/** Bounded storage of the newest `capacity` points of one track. */
export class PointRing {
  private readonly times: Float64Array;
  private readonly values: Float32Array;
  private readonly gapFlags: Uint8Array;
  private head = 0; // next write position
  private size = 0;

  constructor(
    readonly capacity: number,
    readonly fieldCount: number,
  ) {
    this.times = new Float64Array(capacity);
    this.values = new Float32Array(capacity * fieldCount);
    this.gapFlags = new Uint8Array(capacity);
  }

  get length(): number {
    return this.size;
  }

  /** Time of the oldest point kept, or +Infinity when empty. */
  get oldestTime(): number {
    return this.size === 0 ? Infinity : this.times[this.physical(0)]!;
  }

  /** Time of the newest point, or -Infinity when empty. */
  get newestTime(): number {
    return this.size === 0 ? -Infinity : this.times[this.physical(this.size - 1)]!;
  }

  /** True when the newest point is a gap marker. */
  get newestIsGap(): boolean {
    return this.size > 0 && this.gapFlags[this.physical(this.size - 1)] === 1;
  }

  /** Appends a point, overwriting the oldest when full. */
  push(p: HistoryPoint): void {
    this.write(this.head, p);
    this.head = (this.head + 1) % this.capacity;
    if (this.size < this.capacity) this.size++;
  }

  /** Replaces the newest point (two readings in one second keep the later). */
  replaceNewest(p: HistoryPoint): void {
    if (this.size === 0) return this.push(p);
    this.write(this.physical(this.size - 1), p);
  }

  /** The i-th oldest point (0 = oldest). */
  at(i: number): HistoryPoint {
    const j = this.physical(i);
    const gap = this.gapFlags[j] === 1;
    const values: (number | null)[] = [];
    if (!gap) {
      const base = j * this.fieldCount;
      for (let k = 0; k < this.fieldCount; k++) {
        const v = this.values[base + k]!;
        values.push(Number.isNaN(v) ? null : v);
      }
    }
    return { time: this.times[j]!, gap, values };
  }

  /** Index (0 = oldest) of the first point at or after `time` (length when none). */
  firstIndexAtOrAfter(time: number): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.times[this.physical(mid)]! < time) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private physical(i: number): number {
    return (this.head - this.size + i + this.capacity) % this.capacity;
  }

  private write(j: number, p: HistoryPoint): void {
    this.times[j] = p.time;
    this.gapFlags[j] = p.gap ? 1 : 0;
    const base = j * this.fieldCount;
    for (let k = 0; k < this.fieldCount; k++) {
      const v = p.gap ? null : p.values[k];
      this.values[base + k] = v === null || v === undefined ? NaN : v;
    }
  }
}
