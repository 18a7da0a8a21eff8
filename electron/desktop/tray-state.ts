// What the tray shows for a moment of the monitor: which icon (its shape follows severity), the tooltip
// (the worst destination's use and time to exhaustion, then the last episode) and the status lines of the
// menu. Pure, so the mapping is tested without Electron.
import type { Episode } from '../common/episode.js';
import { episodeLine, episodeShortLine } from '../common/episode-text.js';
import type { Sample, SeverityOrUnknown } from '../common/model.js';
import { pressureLine, SEVERITY_WORDS } from './severity-text.js';

/** One tray icon per severity, plus one for paused sampling. */
export type TrayIconName = SeverityOrUnknown | 'paused';

export const TRAY_ICON_NAMES: readonly TrayIconName[] = ['unknown', 'ok', 'warning', 'critical', 'exhausted', 'paused'];

/** Windows truncates tray tooltips past 127 characters (NOTIFYICONDATA.szTip); every platform gets the same text. */
export const TOOLTIP_MAX_CHARS = 127;

/** A sample older than this no longer says how things are (the slowest full-sample cadence is 60 s). */
export const STALE_AFTER_MS = 3 * 60_000;

/** What the tray is drawn from. */
export interface TrayInput {
  sample: Sample | null;
  paused: boolean;
  /** Why the monitor is not sampling (it crashed, its process is restarting), or null. */
  monitorProblem: string | null;
  /** A short note when process attribution is limited (see attribution.ts), or null. */
  attributionNote: string | null;
  /** The newest episode the monitor keeps (going on or ended), or null/absent when there is none. */
  lastEpisode?: Episode | null;
  now: number;
}

/** What the tray shows. */
export interface TrayState {
  icon: TrayIconName;
  /** The severity the icon stands for ('unknown' when paused, stale or failing). */
  severity: SeverityOrUnknown;
  tooltip: string;
  /** First menu line, e.g. "Critical: 10.0.3.7:5432 — 96 % of ports in use, about 4 min left". */
  statusLine: string;
  /** The menu line about the last episode ("Last episode: critical at 14:03:07 for 1 min, …"), or null. */
  episodeLine: string | null;
}

/** The tray's icon, tooltip and status line for this moment. */
export function trayState(x: TrayInput): TrayState {
  const lines: string[] = [];
  let icon: TrayIconName;
  let severity: SeverityOrUnknown = 'unknown';
  let status: string;
  if (x.monitorProblem !== null) {
    icon = 'unknown';
    status = `Not monitoring: ${x.monitorProblem}`;
  } else if (x.paused) {
    icon = 'paused';
    status = 'Sampling paused';
  } else if (x.sample === null) {
    icon = 'unknown';
    status = 'Waiting for the first reading';
  } else if (x.now - x.sample.time > STALE_AFTER_MS) {
    icon = 'unknown';
    status = `No reading for ${Math.round((x.now - x.sample.time) / 60_000)} min`;
  } else {
    severity = x.sample.severity;
    icon = severity;
    status = severity === 'unknown' ? x.sample.severityReason : `${capitalize(SEVERITY_WORDS[severity])}: ${pressureLine(x.sample)}`;
  }
  lines.push(`Portwatch — ${icon === 'paused' ? 'paused' : SEVERITY_WORDS[severity]}`);
  if (icon !== severity || severity === 'unknown') lines.push(status);
  else lines.push(pressureLine(x.sample!));
  // A burst between samples may be over by the time anyone looks: the episode says it happened.
  const episode = x.lastEpisode ? episodeLine(x.lastEpisode, x.now) : null;
  if (x.lastEpisode) lines.push(episodeShortLine(x.lastEpisode, x.now));
  if (x.attributionNote) lines.push(x.attributionNote);
  return { icon, severity, tooltip: fitTooltip(lines), statusLine: status, episodeLine: episode };
}

/** Joins lines within TOOLTIP_MAX_CHARS: later lines go first, then the last kept line is shortened. */
export function fitTooltip(lines: readonly string[]): string {
  const kept = [...lines];
  while (kept.length > 2 && kept.join('\n').length > TOOLTIP_MAX_CHARS) kept.pop();
  let text = kept.join('\n');
  if (text.length > TOOLTIP_MAX_CHARS) text = `${text.slice(0, TOOLTIP_MAX_CHARS - 1)}…`;
  return text;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
