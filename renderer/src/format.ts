// Formatting for people: percentages, durations, rates, times. Pure.

// One formatter for all numbers: toLocaleString() builds a new one per call, costly on every update.
const INT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** 12345 → "12,345" (rounded). */
export function int(n: number): string {
  return INT.format(Math.round(n));
}

/** 0.4567 → "45.7 %". */
export function percent(ratio: number | null | undefined, digits = 1): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '—';
  return `${(ratio * 100).toFixed(digits)} %`;
}

/** 12345 → "12,345". */
export function count(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return int(n);
}

/** A rate per second with sensible precision. */
export function rate(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return n >= 100 ? `${int(n)}/s` : `${n.toFixed(n >= 10 ? 1 : 2)}/s`;
}

/** 3725 → "1 h 2 min"; 42 → "42 s". */
export function duration(sec: number | null | undefined): string {
  if (sec === null || sec === undefined || !Number.isFinite(sec)) return '—';
  const s = Math.max(0, Math.round(sec));
  if (s === 0) return 'now';
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60 ? `${s % 60} s` : ''}`.trim();
  if (s < 86_400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86_400)} d ${Math.floor((s % 86_400) / 3600)} h`;
}

/** Epoch ms → "14:03:07" (local time). */
export function clock(ms: number, seconds = true): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return seconds ? `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}` : `${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** "10.0.0.2:80" with IPv6 in brackets. */
export function endpoint(addr: string, port: number): string {
  return addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`;
}
