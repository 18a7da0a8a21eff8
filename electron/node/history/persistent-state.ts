// What a monitor keeps across restarts, in its state directory: the episodes (every change appended and
// fsynced at once), the minute roll-ups of its history and the analyzer's per-destination trends (both
// rewritten atomically once a minute and on close). Disk trouble never stops the monitor: it is reported once per kind and monitoring goes on.
import type { Episode } from '../../common/episode.js';
import type { HostSample } from '../../common/host-sample.js';
import type { Sample } from '../../common/model.js';
import { EpisodeTracker } from '../engine/episodes.js';
import { NamespaceEpisodes } from '../engine/namespace-episodes.js';
import { ensureDir } from './durable-file.js';
import { EpisodeLog } from './episode-log.js';
import type { HistoryStore } from './history-store.js';
import { RollupFile } from './rollup-file.js';
import { TrendFile, type TrendKeeper } from './trend-file.js';

/** How often the roll-ups are written: a crash loses at most this much. */
export const SAVE_EVERY_MS = 60_000;

export interface PersistentStateOptions {
  dir: string;
  history: HistoryStore;
  /** The analyzer's trends (time to exhaustion), when the monitor has them to keep. */
  trends?: TrendKeeper;
  clock?: () => number;
  warn?: (message: string) => void;
}

/** Loads on construction; observe() every sample; close() saves. */
export class PersistentState {
  private readonly log: EpisodeLog;
  private readonly rollups: RollupFile;
  private readonly trendFile: TrendFile;
  private readonly tracker: EpisodeTracker;
  private namespaceEpisodes: NamespaceEpisodes | null = null;
  private readonly openNamespaceEpisodes: Episode[];
  private readonly clock: () => number;
  private readonly warned = new Set<string>();
  private readonly timer: NodeJS.Timeout;
  private lastSeenSaved = 0;
  private readonly nsLastSeenSaved = new Map<string, number>();
  /** Buckets restored from disk at start. */
  readonly restoredBuckets: number;
  /** Destinations whose trend came back from disk at start. */
  readonly restoredTrends: number;

  constructor(private readonly opts: PersistentStateOptions) {
    this.clock = opts.clock ?? Date.now;
    const warn = (m: string) => this.warnOnce(m, m);
    this.log = new EpisodeLog(opts.dir, warn);
    this.rollups = new RollupFile(opts.dir, warn);
    this.trendFile = new TrendFile(opts.dir, warn);
    let episodes: Episode[] = [];
    let restored = 0;
    let trends = 0;
    try {
      ensureDir(opts.dir);
      episodes = this.log.load();
      restored = this.rollups.restoreInto(opts.history);
      if (opts.trends) trends = this.trendFile.restoreInto(opts.trends, this.clock());
    } catch (err) {
      this.warnOnce('load', `cannot read the state directory ${opts.dir}: ${(err as Error).message}; history starts empty`);
    }
    this.restoredBuckets = restored;
    this.restoredTrends = trends;
    // the monitor's own namespace has its own tracker; the others' episodes carry their namespace
    const open = [...episodes].reverse().find((e) => e.end === null && !e.netns) ?? null;
    this.openNamespaceEpisodes = episodes.filter((e) => e.end === null && e.netns);
    this.tracker = new EpisodeTracker(open, this.clock());
    if (this.tracker.closedOnRestore) this.write(this.tracker.closedOnRestore);
    this.timer = setInterval(() => this.save(), SAVE_EVERY_MS);
    this.timer.unref();
  }

  /** Every episode kept, oldest first (the one going on included). */
  episodes(): Episode[] {
    return this.log.list();
  }

  /** Follows one sample: an episode that started, peaked higher or ended is written at once. */
  observe(s: Sample): Episode | null {
    const changed = this.tracker.observe(s);
    if (changed) this.write(changed);
    return changed;
  }

  /**
   * Follows every namespace of the host but the monitor's own (which observe() follows): each episode
   * names its namespace, is written at once, and is returned.
   */
  observeNamespaces(host: HostSample): Episode[] {
    this.namespaceEpisodes ??= new NamespaceEpisodes(this.openNamespaceEpisodes, { skipSelf: true, now: this.clock() });
    const changed = this.namespaceEpisodes.observe(host);
    for (const e of changed) this.write(e);
    return changed;
  }

  /** Writes the roll-ups, and the open episode's last-seen time (so a restart can resume it). */
  save(): void {
    const now = this.clock();
    try {
      this.rollups.save(this.opts.history, now);
    } catch (err) {
      this.warnOnce('save', `cannot save history to ${this.rollups.path}: ${(err as Error).message}`);
    }
    try {
      if (this.opts.trends) this.trendFile.save(this.opts.trends, now);
    } catch (err) {
      this.warnOnce('trends', `cannot save trends to ${this.trendFile.path}: ${(err as Error).message}`);
    }
    const open = this.tracker.open;
    if (open && open.lastSeen > this.lastSeenSaved) this.write({ ...open });
    for (const e of this.namespaceEpisodes?.openEpisodes() ?? []) if (e.lastSeen > (this.nsLastSeenSaved.get(e.id) ?? 0)) this.write(e);
  }

  /** Stops the minute timer and saves. */
  close(): void {
    clearInterval(this.timer);
    this.save();
  }

  private write(e: Episode): void {
    try {
      this.log.record(e);
      if (!e.netns) this.lastSeenSaved = Math.max(this.lastSeenSaved, e.lastSeen);
      else if (e.end === null) this.nsLastSeenSaved.set(e.id, e.lastSeen);
      else this.nsLastSeenSaved.delete(e.id);
    } catch (err) {
      this.warnOnce('episode', `cannot save episodes to ${this.log.path}: ${(err as Error).message}`);
    }
  }

  private warnOnce(kind: string, message: string): void {
    if (this.warned.has(kind)) return;
    this.warned.add(kind);
    (this.opts.warn ?? ((m: string) => process.emitWarning(`Portwatch: ${m}`)))(message);
  }
}
