// Small formatting helpers for the human report (numbers a person reads at a glance).

/** "4 min", "2 h 5 min", "45 s", "now". */
export function formatDuration(sec: number | null): string {
  if (sec === null || !Number.isFinite(sec)) return '—';
  if (sec <= 0) return 'now';
  if (sec < 90) return `${Math.round(sec)} s`;
  const min = Math.round(sec / 60);
  if (min < 120) return `${min} min`;
  const h = Math.floor(min / 60);
  return `${h} h ${min % 60} min`;
}

/** "3.2/s", "—". */
export function formatRate(perSec: number | null): string {
  if (perSec === null || !Number.isFinite(perSec)) return '—';
  return perSec >= 100 ? `${Math.round(perSec)}/s` : `${perSec.toFixed(1)}/s`;
}

/** "96 %". */
export function formatPercent(ratio: number): string {
  return `${Math.round(ratio * 100)} %`;
}

/** Pads/cuts text into a fixed-width table cell. */
export function cell(text: string, width: number): string {
  return text.length > width ? text.slice(0, width - 1) + '…' : text.padEnd(width);
}

/** "[::1]:443" for IPv6, "10.0.0.1:443" for IPv4. */
export function hostPort(addr: string, port: number): string {
  return addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`;
}
