import { describe, expect, it } from 'vitest';
import { DestinationTrends, fitTrend, leastSquaresSlope } from '../../../electron/node/engine/trend.js';

const dest = (key: string) => ({ key, localAddr: '10.0.0.1', remoteAddr: key, remotePort: 80 });

describe('least squares', () => {
  it('finds the slope of points on a line and of noisy points around it', () => {
    expect(leastSquaresSlope([0, 1, 2, 3], [5, 7, 9, 11])).toBeCloseTo(2);
    expect(leastSquaresSlope([0, 10, 20, 30], [0, 12, 18, 30])).toBeCloseTo(0.96);
    expect(leastSquaresSlope([1], [1])).toBeNull();
    expect(leastSquaresSlope([3, 3], [1, 9])).toBeNull();
  });

  it('fits only the points inside the window and reports their span and monotony', () => {
    const pts = [0, 10, 20, 30, 40].map((s, i) => ({ time: s * 1000, blocking: [50, 10, 20, 15, 40][i]!, established: 0 }));
    const f = fitTrend(pts, 'blocking', 40_000, 30)!;
    expect(f.points).toBe(4);
    expect(f.spanSec).toBe(30);
    expect([f.first, f.last]).toEqual([10, 40]);
    expect(f.nonDecreasingShare).toBeCloseTo(2 / 3);
    expect(fitTrend(pts.slice(0, 1), 'blocking', 0, 30)).toBeNull();
  });
});

describe('DestinationTrends', () => {
  it('keeps points within the window and at most maxPoints per destination', () => {
    const t = new DestinationTrends(60, 4, 5);
    for (let s = 0; s < 100; s++) t.record(dest('a'), { time: s * 1000, blocking: s, established: 0 }, true);
    expect(t.points('a').map((p) => p.blocking)).toEqual([95, 96, 97, 98, 99]);
    const w = new DestinationTrends(10, 4, 100);
    for (let s = 0; s < 100; s++) w.record(dest('a'), { time: s * 1000, blocking: s, established: 0 }, true);
    expect(w.points('a')[0]!.blocking).toBe(89);
  });

  it('tracks at most maxTracked destinations, dropping the least recently listed', () => {
    const t = new DestinationTrends(600, 3);
    for (let i = 0; i < 10; i++) {
      t.record(dest(`d${i}`), { time: i * 1000, blocking: 1, established: 0 }, true);
      t.prune(i * 1000);
      expect(t.size).toBeLessThanOrEqual(3);
    }
    expect(t.tracked().map((d) => d.key).sort()).toEqual(['d7', 'd8', 'd9']);
  });

  it('starts histories only for listed destinations and forgets those not listed within the window', () => {
    const t = new DestinationTrends(10, 8);
    t.record(dest('x'), { time: 0, blocking: 1, established: 0 }, false);
    expect(t.size).toBe(0);
    t.record(dest('y'), { time: 0, blocking: 1, established: 0 }, true);
    t.record(dest('y'), { time: 20_000, blocking: 1, established: 0 }, false);
    t.prune(20_000);
    expect(t.size).toBe(0);
  });
});
