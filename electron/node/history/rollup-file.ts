// The minute roll-ups of both history tracks on disk: one JSON document replaced atomically (write,
// fsync, rename) about once a minute, so a crash loses at most the last minute. A file that does not
// parse or whose columns do not line up is set aside (renamed with a timestamp), never fatal.
import { join } from 'node:path';
import type { HistoryFrame, HistoryTrack } from '../../common/history-frame.js';
import { readIfExists, setAside, writeAtomic } from './durable-file.js';
import type { HistoryStore } from './history-store.js';

export const ROLLUP_FILE = 'history-rollups.json';
const TRACKS: readonly HistoryTrack[] = ['sample', 'tick'];

interface RollupDocument {
  version: 1;
  savedAt: number;
  tracks: Partial<Record<HistoryTrack, HistoryFrame>>;
}

/** Why a saved frame cannot be used, or null when it can. */
export function frameProblem(f: unknown, track: HistoryTrack): string | null {
  if (typeof f !== 'object' || f === null) return `${track}: not an object`;
  const x = f as Partial<HistoryFrame>;
  if (x.track !== track) return `${track}: track is ${JSON.stringify(x.track)}`;
  if (!Array.isArray(x.fields) || !x.fields.every((n) => typeof n === 'string')) return `${track}: fields is not a list of names`;
  if (!(typeof x.bucketMs === 'number' && x.bucketMs > 0) || !(typeof x.windowMs === 'number' && x.windowMs >= x.bucketMs)) return `${track}: bad bucketMs/windowMs`;
  const n = Array.isArray(x.time) ? x.time.length : -1;
  if (n < 0 || !x.time!.every((t, i) => Number.isFinite(t) && (i === 0 || t > x.time![i - 1]!))) return `${track}: time is not an ascending list of numbers`;
  for (const col of ['count', 'gaps'] as const) {
    const c = x[col];
    if (!Array.isArray(c) || c.length !== n || !c.every((v) => Number.isInteger(v) && v >= 0)) return `${track}: ${col} does not line up with time`;
  }
  for (const col of ['first', 'second'] as const) {
    const c = x[col];
    if (!Array.isArray(c) || c.length !== x.fields.length) return `${track}: ${col} has not one column per field`;
    if (!c.every((a) => Array.isArray(a) && a.length === n && a.every((v) => v === null || Number.isFinite(v)))) return `${track}: ${col} does not line up with time`;
  }
  return null;
}

/** Saves and restores a history store's roll-ups in `dir`. */
export class RollupFile {
  readonly path: string;

  constructor(
    dir: string,
    private readonly warn: (message: string) => void,
  ) {
    this.path = join(dir, ROLLUP_FILE);
  }

  /** Puts the saved roll-ups back into the store (a corrupt file is set aside); returns how many buckets came back. */
  restoreInto(store: HistoryStore): number {
    const text = readIfExists(this.path);
    if (text === null) return 0;
    let doc: RollupDocument | null = null;
    let problem: string | null = null;
    try {
      const v = JSON.parse(text) as Partial<RollupDocument>;
      if (v?.version !== 1 || typeof v.tracks !== 'object' || v.tracks === null) problem = 'not a version 1 roll-up document';
      else {
        for (const t of TRACKS) problem ??= v.tracks[t] === undefined ? null : frameProblem(v.tracks[t], t);
        if (!problem) doc = v as RollupDocument;
      }
    } catch (err) {
      problem = `not JSON (${(err as Error).message})`;
    }
    if (!doc) {
      const aside = setAside(this.path);
      this.warn(`${this.path} was corrupt (${problem}); set aside as ${aside}, history starts empty`);
      return 0;
    }
    let n = 0;
    for (const t of TRACKS) {
      const f = doc.tracks[t];
      if (!f) continue;
      store.restoreRollups(t, f);
      n += f.time.length;
    }
    return n;
  }

  /** Writes the store's roll-ups (atomically). */
  save(store: HistoryStore, now: number): void {
    const doc: RollupDocument = { version: 1, savedAt: now, tracks: { sample: store.rollups('sample'), tick: store.rollups('tick') } };
    writeAtomic(this.path, JSON.stringify(doc));
  }
}
