import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BucketSeries, TICK_FIELDS, plotColumns } from '../../electron/common/history-frame.js';

const point = (time: number, v: number | null) => ({ time, gap: false, values: [v, 0, 0] });

describe('BucketSeries', () => {
  it('keeps the minimum and maximum of a bucket in the order they happened', () => {
    const s = new BucketSeries('tick', 10_000, 60_000);
    [5, 9, 1, 4].forEach((v, i) => s.add(point(1000 * i, v)));
    // max 9 came before min 1
    expect(s.first[0]![0]).toBe(9);
    expect(s.second[0]![0]).toBe(1);
  });

  it('never loses a spike whatever the order of values', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 200 }), (vals) => {
        const s = new BucketSeries('tick', 1_000_000, 1_000_000);
        vals.forEach((v, i) => s.add(point(i, v)));
        const a = s.first[0]![0]!;
        const b = s.second[0]![0]!;
        expect(Math.max(a, b)).toBe(Math.max(...vals));
        expect(Math.min(a, b)).toBe(Math.min(...vals));
      }),
    );
  });

  it('stays bounded to its window', () => {
    const s = new BucketSeries('tick', 1000, 300_000);
    for (let t = 0; t < 86_400_000; t += 1000) s.add(point(t, t % 7));
    expect(s.length).toBeLessThanOrEqual(301);
    expect(s.time[s.length - 1]).toBe(86_399_000);
  });

  it('counts gap markers apart from readings and plots them as nulls', () => {
    const s = new BucketSeries('tick', 1000, 60_000);
    s.add(point(0, 3));
    s.add({ time: 1000, gap: true, values: [] });
    s.add(point(2000, 4));
    expect(s.count).toEqual([1, 0, 1]);
    expect(s.gaps).toEqual([0, 1, 0]);
    const cols = plotColumns(s, [0]);
    expect(cols.y[0]).toEqual([3, null, 4]);
    expect(cols.x).toEqual([500, 1500, 2500]);
  });

  it('round-trips through a frame', () => {
    const s = new BucketSeries('tick', 1000, 60_000);
    for (let t = 0; t < 10_000; t += 500) s.add(point(t, t));
    const back = BucketSeries.fromFrame(s.toFrame());
    expect(back.toFrame()).toEqual(s.toFrame());
    expect(s.toFrame().fields).toEqual([...TICK_FIELDS]);
  });
});
