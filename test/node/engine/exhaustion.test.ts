import { describe, expect, it } from 'vitest';
import { timeFromRate, timeFromTrend, timeToExhaustion } from '../../../electron/node/engine/exhaustion.js';
import type { TrendFit } from '../../../electron/node/engine/trend.js';

const fit = (over: Partial<TrendFit>): TrendFit => ({ slopePerSec: 10, points: 6, spanSec: 50, first: 100, last: 600, nonDecreasingShare: 1, ...over });
const base = { usable: 1000, blocking: 600, newPerSec: null, sustainablePerSec: 1000 / 60, holdSec: 60, trend: null, trendWindowSec: 300 };

describe('time to exhaustion', () => {
  it('extrapolates a rising trend to the usable capacity', () => {
    expect(timeFromTrend(fit({}), 600, 1000, 300)).toBe(40);
  });

  it('ignores trends that are too short, too sparse, flat, falling or too small to mean anything', () => {
    expect(timeFromTrend(fit({ points: 2 }), 600, 1000, 300)).toBeNull();
    expect(timeFromTrend(fit({ spanSec: 10 }), 600, 1000, 300)).toBeNull();
    expect(timeFromTrend(fit({ slopePerSec: 0 }), 600, 1000, 300)).toBeNull();
    expect(timeFromTrend(fit({ slopePerSec: -3 }), 600, 1000, 300)).toBeNull();
    expect(timeFromTrend(fit({ slopePerSec: 0.01, spanSec: 60 }), 600, 28232, 300)).toBeNull();
  });

  it('runs out when new connections exceed what the destination sustains', () => {
    // 600 usable, 60 s hold: 10/s sustainable; 20/s arrive, 200 held leave at 200/60 per second.
    expect(timeFromRate(20, 10, 200, 600, 60)).toBeCloseTo(400 / (20 - 200 / 60));
    expect(timeFromRate(9, 10, 200, 600, 60)).toBeNull();
    expect(timeFromRate(null, 10, 200, 600, 60)).toBeNull();
    expect(timeFromRate(11, 10, 590, 600, 60)).toBeCloseTo(10 / (11 - 590 / 60)); // barely above: the last ports go slowly
  });

  it('takes the sooner estimate, 0 when already exhausted, null when nothing says it will run out', () => {
    expect(timeToExhaustion({ ...base, trend: fit({}), newPerSec: 100, sustainablePerSec: 16 })).toBeCloseTo(400 / 90);
    expect(timeToExhaustion({ ...base, trend: fit({}) })).toBe(40);
    expect(timeToExhaustion({ ...base, blocking: 1000 })).toBe(0);
    expect(timeToExhaustion({ ...base, usable: 0, blocking: 0 })).toBe(0);
    expect(timeToExhaustion(base)).toBeNull();
  });
});
