// How `check --interval` sees a trend: a long interval is sampled in steps so the time to exhaustion has
// points to fit; a short one cannot tell slow growth from noise, and the report says so.

/** The shortest interval whose samples span enough for a trend (exhaustion.ts: a 30 s span at least). */
export const MIN_TREND_INTERVAL_SEC = 30;

/** Samples taken after the first one: one for a short interval, one every 5 s or more (at most 12) for a long one. */
export function trendSteps(intervalSec: number): number {
  if (!(intervalSec > 0)) return 0;
  if (intervalSec < MIN_TREND_INTERVAL_SEC) return 1;
  return Math.min(12, Math.max(3, Math.floor(intervalSec / 5)));
}

/** The line a report ends with when it shows no time to exhaustion because the check was too short to see one. */
export function trendNote(intervalSec: number): string {
  const over = intervalSec > 0 ? `${intervalSec} s` : 'one sample';
  return `Time to exhaustion: ${over} cannot show slow growth; run \`portwatch check --interval 60\` (or keep \`portwatch serve\` running) to see the trend.`;
}
