// `portwatch check --since DURATION`: the episodes a monitor on this machine (`serve` or the desktop app)
// recorded in the state directory, those going on or ended within DURATION; the exit status is the worst
// of them (0 none, 1 warning, 2 critical or exhausted, 3 when no monitor has recorded any).
import type { Episode } from '../common/episode.js';
import { cleanTerminalField, terminalSafeJson } from '../common/terminal-text.js';
import { formatWhen } from './episode-text.js';
import { readEpisodes } from '../node/history/episode-log.js';
import { stateDirectory } from '../node/history/state-dir.js';
import type { Io } from './args.js';
import { EXIT, severityExitCode } from './exit-codes.js';

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** "90s", "15m", "2h", "7d" or plain seconds → seconds; a message naming the value when it is not one. */
export function parseDuration(text: string): number | string {
  const m = /^(\d{1,7}(?:\.\d{1,3})?)([smhd]?)$/.exec(text.trim());
  const sec = m ? Number(m[1]) * UNITS[m[2] || 's']! : NaN;
  if (!m || !(sec > 0) || sec > 366 * 86_400) return `--since must be a duration such as 90s, 15m, 2h or 7d (at most a year), got ${JSON.stringify(text)}`;
  return sec;
}

/** The episodes that overlap [from, now]. */
export function episodesSince(list: readonly Episode[], from: number): Episode[] {
  return list.filter((e) => (e.end ?? Infinity) >= from);
}

/** Exit status for episodes: the worst one's. */
export function episodesExitCode(list: readonly Episode[]): number {
  return list.reduce<number>((code, e) => Math.max(code, severityExitCode(e.peakSeverity)), EXIT.ok);
}

/** Runs the --since report; resolves to the exit status. */
export function runCheckSince(sinceText: string, json: boolean, io: Io, now = Date.now(), dir = stateDirectory()): number {
  const sec = parseDuration(sinceText);
  if (typeof sec === 'string') {
    io.stderr.write(`portwatch check: ${sec}\n`);
    return EXIT.unknown;
  }
  let read;
  try {
    read = readEpisodes(dir);
  } catch (err) {
    io.stderr.write(`portwatch check: cannot read ${dir}: ${(err as Error).message}\n`);
    return EXIT.unknown;
  }
  if (!read.found) {
    io.stderr.write(`portwatch check: no monitor has recorded episodes on this machine (${read.path} does not exist); run \`portwatch serve\` or the desktop app\n`);
    return EXIT.unknown;
  }
  if (read.badLines.length > 0) io.stderr.write(`portwatch check: ${read.path}: ${read.badLines.length} unreadable lines skipped (${read.badLines[0]})\n`);
  const from = now - sec * 1000;
  const list = episodesSince(read.episodes, from);
  if (json) io.stdout.write(terminalSafeJson({ since: from, now, episodes: list }) + '\n');
  else io.stdout.write(renderEpisodes(list, sinceText.trim(), now));
  return episodesExitCode(list);
}

/** The human report: one block per episode, newest first. */
export function renderEpisodes(list: readonly Episode[], since: string, now: number): string {
  if (list.length === 0) return `No episode (warning or worse) in the last ${since}.\n`;
  const lines = [`${list.length} episode${list.length === 1 ? '' : 's'} (warning or worse) in the last ${since}, newest first:`];
  for (const e of [...list].reverse()) {
    const span = e.end === null ? `since ${formatWhen(e.start, now)}, still going on (last seen ${formatWhen(e.lastSeen, now)})` : `${formatWhen(e.start, now)} to ${formatWhen(e.end, now)}`;
    lines.push(`  ${e.peakSeverity.toUpperCase()} ${span}${e.netns ? ` in ${cleanTerminalField(e.netns.label)} (${cleanTerminalField(e.netns.id)})` : ''}`);
    lines.push(`    peak ${Math.round(e.peakUtilization * 1000) / 10} % at ${formatWhen(e.peakTime, now)}${e.worstDestination ? ` toward ${cleanTerminalField(e.worstDestination)}` : ''}`);
    lines.push(`    ${cleanTerminalField(e.cause)}`);
  }
  return lines.join('\n') + '\n';
}
