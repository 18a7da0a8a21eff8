// Quiet hours: a daily window of local time ("22:00" to "07:00", possibly across midnight) in which
// notifications wait.

/** Minutes since midnight for "HH:MM" (00:00..23:59), or null when malformed. */
export function parseClock(text: string): number | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

/** Whether minuteOfDay falls in [start, end), wrapping past midnight when start > end; start === end is an empty window. */
export function inQuietHours(minuteOfDay: number, start: number, end: number): boolean {
  if (start === end) return false;
  return start < end ? minuteOfDay >= start && minuteOfDay < end : minuteOfDay >= start || minuteOfDay < end;
}

/** Local minutes since midnight of an epoch time (the machine's time zone). */
export function localMinuteOfDay(epochMs: number): number {
  const d = new Date(epochMs);
  return d.getHours() * 60 + d.getMinutes();
}
