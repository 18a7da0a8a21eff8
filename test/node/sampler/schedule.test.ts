import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkCpuBudget, nextFullIntervalMs, DEFAULT_SCHEDULE } from '../../../electron/node/sampler/schedule.js';

describe('the adaptive full-sample schedule', () => {
  it('waits long enough that a costly sample stays within the budget', () => {
    // 200 ms of CPU at 2 % → one full sample every 10 s
    expect(nextFullIntervalMs(200, 0, DEFAULT_SCHEDULE)).toBe(10_000);
  });
  it('never samples faster than the minimum or slower than the maximum', () => {
    expect(nextFullIntervalMs(0.1, 0, DEFAULT_SCHEDULE)).toBe(1000);
    expect(nextFullIntervalMs(100_000, 0, DEFAULT_SCHEDULE)).toBe(60_000);
  });
  it('leaves the tick its share of the budget', () => {
    // the tick uses 5 ms/s = 0.5 %, so full samples get 1.5 %: 150 ms → 10 s
    expect(nextFullIntervalMs(150, 5, DEFAULT_SCHEDULE)).toBe(10_000);
  });
  it('keeps full samples at or below the budget whatever their cost', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1000, noNaN: true }), (cpuMs) => {
        const interval = nextFullIntervalMs(cpuMs, 0, DEFAULT_SCHEDULE);
        if (interval < DEFAULT_SCHEDULE.maxIntervalMs) expect(cpuMs / interval).toBeLessThanOrEqual(DEFAULT_SCHEDULE.cpuBudget + 1e-9);
      }),
    );
  });
  it('names a bad budget', () => {
    expect(checkCpuBudget(0.02)).toBeNull();
    expect(checkCpuBudget(0)).toMatch(/got 0/);
    expect(checkCpuBudget(Number.NaN)).toMatch(/got NaN/);
    expect(checkCpuBudget(2)).toMatch(/between 0 and 1/);
  });
});
