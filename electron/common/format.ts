// The one way numbers and times are written for people, shared by the engine's sentences, the CLI and the
// dashboard: English, locale-independent, thousands separated, durations as "2 h 5 min".

/** "28,232" (rounded; "—" when not a finite number). */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '—';
  const r = Math.round(n);
  const s = Math.abs(r).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return r < 0 ? `-${s}` : s;
}

/** "1 socket", "28,232 sockets": a count with its noun, singular only for exactly one. */
export function formatCountOf(n: number, singular: string, plural = `${singular}s`): string {
  return `${formatCount(n)} ${Math.round(n) === 1 ? singular : plural}`;
}

/** A 0..1+ share as "100 %", "72 %", "0.4 %": never rounds a share below 1 up to "100 %". */
export function formatPercent(share: number): string {
  const p = share * 100;
  if (!Number.isFinite(p)) return '—';
  if (p >= 100) return `${formatCount(p)} %`;
  if (p >= 10) return `${Math.min(99, Math.round(p))} %`;
  if (p <= 0) return '0 %';
  return `${Math.max(0.1, Math.round(p * 10) / 10)} %`;
}

/** A share with a fixed number of decimals, for columns that line up: 0.4567 → "45.7 %". */
export function formatPercentFixed(share: number, digits = 1): string {
  if (!Number.isFinite(share)) return '—';
  const p = share * 100;
  // Never shows a share below 1 as "100.0 %".
  const shown = share < 1 ? Math.min(p, 100 - 10 ** -digits) : p;
  return `${shown.toFixed(digits)} %`;
}

/** A duration as "45 s", "12 min", "2 h 5 min", "3 d 4 h". */
export function formatDuration(sec: number): string {
  if (!Number.isFinite(sec)) return '—';
  const s = Math.max(0, Math.round(sec));
  if (s < 90) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 90) return `${min} min`;
  if (min < 48 * 60) {
    const m = min % 60;
    return m ? `${Math.floor(min / 60)} h ${m} min` : `${min / 60} h`;
  }
  const hours = Math.round(s / 3600);
  const h = hours % 24;
  return h ? `${Math.floor(hours / 24)} d ${h} h` : `${hours / 24} d`;
}

/** A rate as "1,470/s", "2.5/s", "0.02/s". */
export function formatRate(perSec: number): string {
  if (!Number.isFinite(perSec)) return '—';
  if (Math.abs(perSec) >= 100) return `${formatCount(perSec)}/s`;
  if (Math.abs(perSec) >= 1) return `${Math.round(perSec * 10) / 10}/s`;
  return `${Math.round(perSec * 100) / 100}/s`;
}

/** Epoch ms → "14:03:07" (local time), or "14:03" without seconds. */
export function formatClock(ms: number, seconds = true): string {
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, '0');
  return seconds ? `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}` : `${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** "10.0.0.2:80", IPv6 in brackets: "[::1]:443". */
export function formatHostPort(addr: string, port: number): string {
  return addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`;
}
