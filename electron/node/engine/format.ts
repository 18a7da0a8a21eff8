// Numbers as sentences show them (English, fixed format, independent of the machine's locale).

/** "28,232". */
export function formatCount(n: number): string {
  const s = Math.round(n).toString();
  return s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A 0..1+ share as "100 %", "72 %", "0.4 %": never rounds a share below 1 up to "100 %". */
export function formatPercent(share: number): string {
  const p = share * 100;
  if (!Number.isFinite(p)) return '–';
  if (p >= 100) return `${Math.round(p)} %`;
  if (p >= 10) return `${Math.min(99, Math.round(p))} %`;
  if (p === 0) return '0 %';
  return `${Math.max(0.1, Math.round(p * 10) / 10)} %`;
}

/** A duration as "45 s", "12 min", "3.5 h". */
export function formatDuration(sec: number): string {
  if (sec < 90) return `${Math.max(0, Math.round(sec))} s`;
  if (sec < 90 * 60) return `${Math.round(sec / 60)} min`;
  if (sec < 48 * 3600) return `${Math.round((sec / 3600) * 10) / 10} h`;
  return `${Math.round(sec / 86400)} days`;
}

/** A rate as "470/s", "2.5/s", "0.02/s". */
export function formatRate(perSec: number): string {
  if (perSec >= 100) return `${formatCount(perSec)}/s`;
  if (perSec >= 1) return `${Math.round(perSec * 10) / 10}/s`;
  return `${Math.round(perSec * 100) / 100}/s`;
}
