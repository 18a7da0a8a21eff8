// Formatting for the human report: the shared module (common/format.ts) with "—" for a missing value, and
// fixed-width cells.
import { formatCount, formatDuration as duration, formatHostPort, formatPercent as percent, formatRate as rate } from '../common/format.js';

/** "4 min", "2 h 5 min", "45 s", "now"; "—" when unknown. */
export function formatDuration(sec: number | null): string {
  if (sec === null || !Number.isFinite(sec)) return '—';
  return sec <= 0 ? 'now' : duration(sec);
}

/** "3.2/s", "1,470/s", "—". */
export function formatRate(perSec: number | null): string {
  return perSec === null ? '—' : rate(perSec);
}

/** "96 %" (a share below 1 never shows as 100 %). */
export function formatPercent(ratio: number): string {
  return percent(ratio);
}

/** "28,232"; "—" when unknown. */
export function formatNumber(n: number | null): string {
  return n === null ? '—' : formatCount(n);
}

/** Pads/cuts text into a fixed-width table cell. */
export function cell(text: string, width: number): string {
  return text.length > width ? text.slice(0, width - 1) + '…' : text.padEnd(width);
}

/** "[::1]:443" for IPv6, "10.0.0.1:443" for IPv4. */
export function hostPort(addr: string, port: number): string {
  return formatHostPort(addr, port);
}
