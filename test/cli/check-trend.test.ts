import { describe, expect, it } from 'vitest';
import { MIN_TREND_INTERVAL_SEC, trendNote, trendSteps } from '../../electron/cli/check-trend.js';

describe('check --interval and the trend', () => {
  it('samples a long interval in steps (at least 3 more points), a short one once', () => {
    expect(trendSteps(0)).toBe(0);
    expect(trendSteps(1)).toBe(1);
    expect(trendSteps(MIN_TREND_INTERVAL_SEC - 1)).toBe(1);
    expect(trendSteps(MIN_TREND_INTERVAL_SEC)).toBe(6);
    expect(trendSteps(3600)).toBe(12);
  });
  it('says when one second cannot tell', () => {
    expect(trendNote(1)).toMatch(/^Time to exhaustion: 1 s cannot show slow growth; run `portwatch check --interval 60`/);
  });
});
