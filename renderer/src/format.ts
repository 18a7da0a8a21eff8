// Formatting for the dashboard: the shared module (electron/common/format.ts) with "—" for a missing value.
import { formatClock, formatCount, formatCountOf, formatDuration, formatHostPort, formatPercentFixed, formatRate } from '../../electron/common/format.js';

type Maybe = number | null | undefined;
const known = (n: Maybe): n is number => n !== null && n !== undefined && Number.isFinite(n);

/** 12345 → "12,345" (rounded). */
export function int(n: number): string {
  return formatCount(n);
}

/** 0.4567 → "45.7 %". */
export function percent(ratio: Maybe, digits = 1): string {
  return known(ratio) ? formatPercentFixed(ratio, digits) : '—';
}

/** 12345 → "12,345". */
export function count(n: Maybe): string {
  return known(n) ? formatCount(n) : '—';
}

/** 1 → "1 socket", 12345 → "12,345 sockets". */
export function countOf(n: Maybe, singular: string, plural?: string): string {
  return known(n) ? formatCountOf(n, singular, plural) : `— ${plural ?? `${singular}s`}`;
}

/** A rate per second: "1,470/s", "2.5/s". */
export function rate(n: Maybe): string {
  return known(n) ? formatRate(n) : '—';
}

/** 7500 → "2 h 5 min"; 42 → "42 s". */
export function duration(sec: Maybe): string {
  return known(sec) ? formatDuration(sec) : '—';
}

/** Epoch ms → "14:03:07" (local time). */
export function clock(ms: number, seconds = true): string {
  return formatClock(ms, seconds);
}

/** "10.0.0.2:80" with IPv6 in brackets. */
export function endpoint(addr: string, port: number): string {
  return formatHostPort(addr, port);
}
