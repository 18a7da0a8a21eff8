// The history the charts draw: the engine's bucketed frames for the chosen window, with live points merged
// in as they arrive. Deliberately not reactive state: charts subscribe and redraw themselves, so a day of
// points never passes through Svelte's proxies.
import { BucketSeries, type HistoryPoint, type HistoryTrack } from '../../../electron/common/history-frame.js';
import type { HistoryWindow } from '../../../electron/common/contract.js';

const MAX_PENDING = 10_000;

/** Both tracks of the current window, live. */
export class HistoryModel {
  sample: BucketSeries | null = null;
  tick: BucketSeries | null = null;
  /** Epoch ms of the newest point seen (the right edge of the charts). */
  now = 0;
  private readonly listeners = new Set<(track: HistoryTrack | 'all') => void>();
  private pending: { track: HistoryTrack; point: HistoryPoint }[] | null = null;

  /** Starts a reload: live points are queued until the frame arrives. */
  beginLoad(): void {
    this.pending = [];
  }

  /** Installs a loaded window and replays the points that arrived meanwhile. */
  setWindow(w: HistoryWindow): void {
    this.sample = BucketSeries.fromFrame(w.sample);
    this.tick = BucketSeries.fromFrame(w.tick);
    this.now = Math.max(this.now, w.now);
    const queued = this.pending ?? [];
    this.pending = null;
    for (const q of queued) this.merge(q.track, q.point);
    this.notify('all');
  }

  /** Gives up a reload that failed: live points flow again. */
  cancelLoad(): void {
    this.pending = null;
  }

  /** Merges one live point. */
  add(track: HistoryTrack, point: HistoryPoint): void {
    if (this.pending) {
      if (this.pending.length < MAX_PENDING) this.pending.push({ track, point });
      return;
    }
    this.merge(track, point);
    this.notify(track);
  }

  /** Calls listener after every change with the track that changed ('all' after a reload); returns the unsubscribe function. */
  onChange(listener: (track: HistoryTrack | 'all') => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private merge(track: HistoryTrack, point: HistoryPoint): void {
    const s = track === 'sample' ? this.sample : this.tick;
    s?.add(point);
    if (point.time > this.now) this.now = point.time;
  }

  private notify(track: HistoryTrack | 'all'): void {
    for (const l of this.listeners) l(track);
  }
}
