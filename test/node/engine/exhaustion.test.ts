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

describe('no countdown when nothing grows', () => {
  it('a trend that rose and then stayed flat predicts nothing (serve said "runs out in 28 s" next to 0.00/s)', async () => {
    const { fitTrend } = await import('../../../electron/node/engine/trend.js');
    const { timeFromTrend } = await import('../../../electron/node/engine/exhaustion.js');
    const t0 = 1_700_000_000_000;
    // 0 → 400 over 200 s, then flat at 400 for 100 s, in a 500-port range
    const pts = Array.from({ length: 31 }, (_, k) => ({ time: t0 + k * 10_000, blocking: Math.min(400, k * 20), established: 0 }));
    const fit = fitTrend(pts, 'blocking', t0 + 300_000, 300)!;
    expect(fit.slopePerSec).toBeGreaterThan(0); // the whole window still slopes up
    expect(timeFromTrend(fit, 400, 500, 300)).toBeNull();
    // while it still grows, it does predict
    const growing = fitTrend(pts.slice(0, 21), 'blocking', t0 + 200_000, 300)!;
    expect(timeFromTrend(growing, 400, 500, 300)).toBeCloseTo(50, 0);
  });
});
