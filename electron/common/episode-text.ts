// How an episode is written for people, the same in the tray and on the dashboard: when (local time, with
// the date once it is not from the last day), how long, how bad and toward what.
import type { Episode } from './episode.js';
import { formatClock, formatDuration, formatPercent } from './format.js';

const DAY_MS = 86_400_000;

/** "14:03:07", or "2026-12-04 14:03" for a time more than a day before `now`. */
export function episodeTime(ms: number, now: number): string {
  if (now - ms < DAY_MS) return formatClock(ms);
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${formatClock(ms, false)}`;
}

/** How long it lasted, or has lasted so far ("ongoing" ones count up to `now`). */
export function episodeDurationSec(e: Episode, now: number): number {
  return Math.max(0, ((e.end ?? Math.max(now, e.lastSeen)) - e.start) / 1000);
}

/** "100 % toward 127.0.0.1:8080", or "72 % of the range" when the pressure was global. */
export function episodePeakText(e: Episode): string {
  return `${formatPercent(e.peakUtilization)} ${e.worstDestination === null ? 'of the range' : `toward ${e.worstDestination}`}`;
}

/**
 * One line for the tray: "Last episode: critical at 14:03:07 for 1 min, peak 100 % toward 127.0.0.1:8080"
 * or "Episode going on: critical since 14:03:07, peak …".
 */
export function episodeLine(e: Episode, now: number): string {
  const peak = episodePeakText(e);
  if (e.end === null) return `Episode going on: ${e.peakSeverity} since ${episodeTime(e.start, now)}, peak ${peak}`;
  return `Last episode: ${e.peakSeverity} at ${episodeTime(e.start, now)} for ${formatDuration(episodeDurationSec(e, now))}, peak ${peak}`;
}

/** The short form for a tooltip (Windows keeps 127 characters): "Last episode: critical at 14:03:07, 1 min". */
export function episodeShortLine(e: Episode, now: number): string {
  if (e.end === null) return `Episode going on: ${e.peakSeverity} since ${episodeTime(e.start, now)}`;
  return `Last episode: ${e.peakSeverity} at ${episodeTime(e.start, now)}, ${formatDuration(episodeDurationSec(e, now))}`;
}
