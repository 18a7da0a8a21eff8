// The analyzer's per-destination trend histories on disk, so that time to exhaustion survives a restart
// of serve or the app instead of needing a new warm-up of the trend window. One JSON document replaced
// atomically with the roll-ups (about once a minute and on close); a file that does not parse or whose
// points are not plain ascending numbers is set aside, never fatal.
import { join } from 'node:path';
import type { SavedTrend } from '../engine/trend.js';
import { readIfExists, setAside, writeAtomic } from './durable-file.js';

export const TREND_FILE = 'trends.json';

/** What keeps the trend histories (the sampler's analyzer). */
export interface TrendKeeper {
  save(): SavedTrend[];
  /** Returns how many destinations came back. */
  restore(saved: readonly SavedTrend[], now: number): number;
}

interface TrendDocument {
  version: 1;
  savedAt: number;
  trends: SavedTrend[];
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Why a saved history cannot be used, or null when it can. */
export function trendProblem(t: unknown, i: number): string | null {
  if (typeof t !== 'object' || t === null) return `trends[${i}]: not an object`;
  const x = t as Partial<SavedTrend>;
  const d = x.dest;
  if (!d || typeof d.key !== 'string' || typeof d.localAddr !== 'string' || typeof d.remoteAddr !== 'string' || !Number.isInteger(d.remotePort)) {
    return `trends[${i}].dest: not a destination`;
  }
  if (!finite(x.lastListed)) return `trends[${i}].lastListed: not a time`;
  if (!Array.isArray(x.points)) return `trends[${i}].points: not a list`;
  for (let k = 0; k < x.points.length; k++) {
    const p = x.points[k] as Partial<SavedTrend['points'][number]> | null;
    if (!p || !finite(p.time) || !finite(p.blocking) || !finite(p.established) || p.blocking < 0 || p.established < 0) return `trends[${i}].points[${k}]: not a point`;
    if (k > 0 && p.time <= x.points[k - 1]!.time) return `trends[${i}].points[${k}]: time does not ascend`;
  }
  return null;
}

/** Saves and restores trend histories in `dir`. */
export class TrendFile {
  readonly path: string;

  constructor(
    dir: string,
    private readonly warn: (message: string) => void,
  ) {
    this.path = join(dir, TREND_FILE);
  }

  /** Puts the saved histories back into `keeper` (a corrupt file is set aside); returns how many came back. */
  restoreInto(keeper: TrendKeeper, now: number): number {
    const text = readIfExists(this.path);
    if (text === null) return 0;
    let doc: TrendDocument | null = null;
    let problem: string | null = null;
    try {
      const v = JSON.parse(text) as Partial<TrendDocument>;
      if (v?.version !== 1 || !Array.isArray(v.trends)) problem = 'not a version 1 trend document';
      else {
        v.trends.forEach((t, i) => (problem ??= trendProblem(t, i)));
        if (!problem) doc = v as TrendDocument;
      }
    } catch (err) {
      problem = `not JSON (${(err as Error).message})`;
    }
    if (!doc) {
      const aside = setAside(this.path);
      this.warn(`${this.path} was corrupt (${problem}); set aside as ${aside}, trends start empty`);
      return 0;
    }
    return keeper.restore(doc.trends, now);
  }

  save(keeper: TrendKeeper, now: number): void {
    const doc: TrendDocument = { version: 1, savedAt: now, trends: keeper.save() };
    writeAtomic(this.path, JSON.stringify(doc));
  }
}
