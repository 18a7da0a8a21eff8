import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closesByDestination, peakHolds } from '../../../electron/node/engine/recent-holds.js';
import { S, tableOf, T0 } from './engine-fixtures.js';

/** Brute force: ports held at moment t = closes in (t - hold, t]. */
function heldAt(closes: readonly number[], holdMs: number, t: number): number {
  return closes.filter((c) => c > t - holdMs && c <= t).length;
}

const closeSeries = fc.array(fc.integer({ min: 0, max: 60_000 }), { maxLength: 300 }).map((a) => a.sort((x, y) => x - y));

describe('peakHolds', () => {
  it('finds the most ports held at once, at any moment (against brute force over a fine grid)', () => {
    fc.assert(
      fc.property(closeSeries, fc.integer({ min: 1, max: 60_000 }), fc.integer({ min: 1, max: 300 }), (closes, hold, capacity) => {
        const p = peakHolds(closes, hold, capacity);
        if (closes.length === 0) {
          expect(p).toBeNull();
          return;
        }
        let best = 0;
        // the count only changes at a close or at close + hold: checking just before and at each is enough
        const moments = closes.flatMap((c) => [c, c + hold - 0.5]);
        for (const t of moments) best = Math.max(best, heldAt(closes, hold, t));
        expect(p!.peak).toBe(best);
        expect(heldAt(closes, hold, p!.time)).toBe(p!.peak);
        expect(p!.lastClose - p!.firstClose).toBeLessThan(hold);
        const first = moments.filter((t) => heldAt(closes, hold, t) >= capacity).sort((a, b) => a - b)[0];
        expect(p!.reachedCapacityAt).toBe(first ?? null);
      }),
    );
  });

  it('never counts more than the connections there were, and shrinking the hold never raises the peak', () => {
    fc.assert(
      fc.property(closeSeries, fc.integer({ min: 2, max: 60_000 }), (closes, hold) => {
        const a = peakHolds(closes, hold, 1e9);
        const b = peakHolds(closes, Math.floor(hold / 2), 1e9);
        if (!a || !b) return;
        expect(a.peak).toBeLessThanOrEqual(closes.length);
        expect(b.peak).toBeLessThanOrEqual(a.peak);
      }),
    );
  });

  it('a burst of 200 closes within 0.4 s with 1 s reuse holds 200 ports; spread over 10 s it holds about 20', () => {
    const burst = Array.from({ length: 200 }, (_, k) => T0 + k * 2);
    expect(peakHolds(burst, 980, 200)).toMatchObject({ peak: 200, reachedCapacityAt: T0 + 398, firstClose: T0, lastClose: T0 + 398 });
    const spread = Array.from({ length: 200 }, (_, k) => T0 + k * 50);
    expect(peakHolds(spread, 980, 200)).toMatchObject({ peak: 20, reachedCapacityAt: null });
  });
});

describe('closesByDestination', () => {
  it('groups outbound TIME-WAIT sockets by destination with their close times, leaving out the rest', () => {
    const tw = (localPort: number, remoteAddr: string, age: number) => ({
      family: 4 as const,
      state: S.TIME_WAIT,
      localAddr: '127.0.0.1',
      localPort,
      remoteAddr,
      remotePort: 8080,
      timeWaitAgeMs: age,
    });
    const t = tableOf([
      tw(40001, '127.0.0.2', 100),
      tw(40002, '127.0.0.2', 300),
      tw(40003, '127.0.0.3', 5_000),
      tw(30000, '127.0.0.2', 100), // outside the range
      tw(40004, '127.0.0.2', -1), // age unknown
      { ...tw(40005, '127.0.0.2', 0), state: S.ESTABLISHED }, // not TIME-WAIT
      tw(40006, '127.0.0.9', 10), // on a listening port: an accepted connection
      { family: 4, state: S.LISTEN, localAddr: '0.0.0.0', localPort: 40006, remoteAddr: '0.0.0.0', remotePort: 0 },
    ]);
    const groups = closesByDestination(t, { low: 40000, high: 40049 }, T0, 60_000);
    expect(groups.map((g) => [t.addrs[g.remoteAddr], [...g.closes]])).toEqual([
      ['127.0.0.2', [T0 - 300, T0 - 100]],
      ['127.0.0.3', [T0 - 5_000]],
    ]);
  });
});
