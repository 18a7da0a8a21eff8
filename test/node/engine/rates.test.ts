import { describe, expect, it } from 'vitest';
import { counterRatePerSec, destinationNewPerSec, recentWindowSec, TickHistory } from '../../../electron/node/engine/rates.js';

describe('rates', () => {
  it('divides a counter delta by the elapsed seconds', () => {
    expect(counterRatePerSec({ time: 0, value: 100 }, { time: 2000, value: 300 })).toBe(100);
  });

  it('gives null with a missing reading, no elapsed time, or a counter that went back', () => {
    expect(counterRatePerSec(null, { time: 1, value: 1 })).toBeNull();
    expect(counterRatePerSec({ time: 5, value: 1 }, { time: 5, value: 9 })).toBeNull();
    expect(counterRatePerSec({ time: 0, value: 9 }, { time: 1000, value: 1 })).toBeNull();
  });

  it('looks back the time since the previous sample, clamped to 1–60 s, and 60 s on the first sample', () => {
    expect(recentWindowSec(null)).toBe(60);
    expect(recentWindowSec(0.2)).toBe(1);
    expect(recentWindowSec(5)).toBe(5);
    expect(recentWindowSec(600)).toBe(60);
  });

  it('counts recently closed connections plus the growth of open ones per second', () => {
    expect(destinationNewPerSec({ recentTimeWait: 50, unknownAgeTimeWait: 0, openGrowth: 20, windowSec: 5, elapsedSec: 5 })).toBe(14);
    expect(destinationNewPerSec({ recentTimeWait: 50, unknownAgeTimeWait: 0, openGrowth: -20, windowSec: 5, elapsedSec: 5 })).toBe(10);
    expect(destinationNewPerSec({ recentTimeWait: 60, unknownAgeTimeWait: 0, openGrowth: null, windowSec: 60, elapsedSec: null })).toBe(1);
  });

  it('does not guess a rate when TIME-WAIT ages are unknown', () => {
    expect(destinationNewPerSec({ recentTimeWait: 0, unknownAgeTimeWait: 3, openGrowth: 5, windowSec: 5, elapsedSec: 5 })).toBeNull();
  });

  it('keeps a bounded tick history', () => {
    const h = new TickHistory(3);
    for (let i = 0; i < 10; i++) h.push({ time: i, newConnectionsPerSec: i, sockstat: null, cost: { wallMs: 0, cpuMs: 0 } });
    expect(h.list().map((t) => t.time)).toEqual([7, 8, 9]);
  });
});
