// The episodes on disk: one JSON line per change of an episode (started, new peak, ended, last seen),
// appended and fsynced; reading keeps the last line of each id and the newest MAX_EPISODES. A torn last
// line (a crash mid-write) is dropped; any other bad line sets the whole file aside (renamed with a
// timestamp) and the good episodes are written back. Compacted by atomic rewrite when it grows.
import { join } from 'node:path';
import { episodeSchema, type Episode } from '../../common/episode.js';
import { validate } from '../../common/schema.js';
import { appendDurable, ensureDir, readIfExists, setAside, writeAtomic } from './durable-file.js';

/** At most this many episodes are kept (the oldest go first). */
export const MAX_EPISODES = 1000;
export const EPISODES_FILE = 'episodes.jsonl';

/** What reading an episodes file found. */
export interface EpisodeRead {
  /** Oldest start first, at most MAX_EPISODES. */
  episodes: Episode[];
  /** Lines that were not an episode ("line 3: …"), except a torn last line. */
  badLines: string[];
  /** True when the last line was cut short (a crash while appending). */
  torn: boolean;
  lines: number;
}

/** Parses an episodes file's text (pure). */
export function parseEpisodes(text: string): EpisodeRead {
  const rows = text.split('\n');
  // the last row is unterminated unless the text ends with a newline (then it is '')
  const unterminated = rows[rows.length - 1]!.trim() !== '';
  let torn = false;
  const byId = new Map<string, Episode>();
  const badLines: string[] = [];
  let lines = 0;
  rows.forEach((line, k) => {
    if (line.trim() === '') return;
    lines++;
    const tail = unterminated && k === rows.length - 1;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      if (tail) torn = true;
      else badLines.push(`line ${k + 1}: not JSON`);
      return;
    }
    const v = validate(episodeSchema, value, `line ${k + 1}`);
    if (!v.ok) {
      if (tail) torn = true;
      else badLines.push(v.error);
      return;
    }
    byId.delete(v.value.id); // re-insert: the map's order is the order of last change
    byId.set(v.value.id, v.value);
  });
  const episodes = newest([...byId.values()]);
  return { episodes, badLines, torn, lines };
}

function newest(list: Episode[]): Episode[] {
  list.sort((a, b) => a.start - b.start || (a.id < b.id ? -1 : 1));
  return list.slice(-MAX_EPISODES);
}

/** Reads the episodes a monitor recorded in `dir`, without changing anything (for `check --since`). */
export function readEpisodes(dir: string): EpisodeRead & { path: string; found: boolean } {
  const path = join(dir, EPISODES_FILE);
  const text = readIfExists(path);
  if (text === null) return { path, found: false, episodes: [], badLines: [], torn: false, lines: 0 };
  return { path, found: true, ...parseEpisodes(text) };
}

/** The episodes file a monitor owns: loads, appends every change, compacts. */
export class EpisodeLog {
  readonly path: string;
  private readonly byId = new Map<string, Episode>();
  private lines = 0;

  constructor(
    readonly dir: string,
    private readonly warn: (message: string) => void,
  ) {
    this.path = join(dir, EPISODES_FILE);
  }

  /** Loads what is on disk (setting a corrupt file aside); returns the episodes, oldest first. */
  load(): Episode[] {
    ensureDir(this.dir);
    const text = readIfExists(this.path);
    if (text === null) return [];
    const read = parseEpisodes(text);
    for (const e of read.episodes) this.byId.set(e.id, e);
    this.lines = read.lines;
    if (read.badLines.length > 0) {
      const aside = setAside(this.path);
      this.warn(`${this.path} was corrupt (${read.badLines.slice(0, 3).join('; ')}); set aside as ${aside}, ${read.episodes.length} episodes kept`);
      this.compact();
    } else if (text.length > 0 && !text.endsWith('\n')) {
      this.compact(); // a torn (or unterminated) last line must not swallow the next append
    }
    return this.list();
  }

  /** Every episode kept, oldest first. */
  list(): Episode[] {
    return newest([...this.byId.values()]);
  }

  /** Saves one episode's new state (append + fsync). */
  record(e: Episode): void {
    this.byId.set(e.id, e);
    if (this.byId.size > MAX_EPISODES) {
      const keep = new Set(this.list().map((x) => x.id));
      for (const id of this.byId.keys()) if (!keep.has(id)) this.byId.delete(id);
    }
    if (this.lines >= 3 * MAX_EPISODES) {
      this.compact();
      return;
    }
    appendDurable(this.path, JSON.stringify(e) + '\n');
    this.lines++;
  }

  private compact(): void {
    const list = this.list();
    writeAtomic(this.path, list.map((e) => JSON.stringify(e) + '\n').join(''));
    this.lines = list.length;
  }
}
