// Times and names in the episode report, in UTC so that two machines print the same thing.

/** "2026-12-04 17:03:12 UTC (14 s ago)". */
export function formatWhen(ms: number, now: number): string {
  const iso = new Date(ms).toISOString();
  const ago = Math.max(0, Math.round((now - ms) / 1000));
  const rel = ago < 90 ? `${ago} s ago` : ago < 5400 ? `${Math.round(ago / 60)} min ago` : `${Math.round(ago / 360) / 10} h ago`;
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC (${rel})`;
}

