import { describe, expect, it } from 'vitest';
import { formatClock, formatCount, formatCountOf, formatDuration, formatHostPort, formatPercent, formatPercentFixed, formatRate } from '../../electron/common/format.js';
import * as engine from '../../electron/node/engine/format.js';
import * as plan from '../../electron/node/tuning/plan-format.js';

describe('the one formatting module', () => {
  it('groups thousands', () => {
    expect([0, 999, 1335, 28232, 1234567, -4321, Number.NaN].map(formatCount)).toEqual(['0', '999', '1,335', '28,232', '1,234,567', '-4,321', '—']);
  });
  it('names one thing in the singular and every other count in the plural', () => {
    expect([0, 1, 2, 1335].map((n) => formatCountOf(n, 'socket'))).toEqual(['0 sockets', '1 socket', '2 sockets', '1,335 sockets']);
    expect([1, 3].map((n) => formatCountOf(n, 'process', 'processes'))).toEqual(['1 process', '3 processes']);
  });
  it('never shows a share below 1 as 100 %', () => {
    expect([0, 0.0004, 0.004, 0.123, 0.996, 1, 1.5, 12.345].map(formatPercent)).toEqual(['0 %', '0.1 %', '0.4 %', '12 %', '99 %', '100 %', '150 %', '1,235 %']);
    expect([0.4567, 0.99999, 1].map((x) => formatPercentFixed(x))).toEqual(['45.7 %', '99.9 %', '100.0 %']);
  });
  it('writes durations as "2 h 5 min" everywhere', () => {
    expect([0, 40, 300, 5400, 7200, 7500, 86400 * 3, 86400 * 3 + 4 * 3600].map(formatDuration)).toEqual([
      '0 s', '40 s', '5 min', '1 h 30 min', '2 h', '2 h 5 min', '3 d', '3 d 4 h',
    ]);
  });
  it('writes rates, clock times and endpoints', () => {
    expect([1470.53, 470.53, 2.54, 0.0166].map(formatRate)).toEqual(['1,471/s', '471/s', '2.5/s', '0.02/s']);
    expect(formatClock(new Date(2026, 0, 2, 3, 4, 5).getTime())).toBe('03:04:05');
    expect(formatClock(new Date(2026, 0, 2, 3, 4, 5).getTime(), false)).toBe('03:04');
    expect([formatHostPort('10.0.0.2', 80), formatHostPort('::1', 443)]).toEqual(['10.0.0.2:80', '[::1]:443']);
  });
  it('is the module the engine uses', () => {
    expect(engine.formatDuration).toBe(formatDuration);
    expect(engine.formatCount).toBe(formatCount);
  });
  it('is the module plan texts use (a rate of 47.25/s reads the same in a plan as on the dashboard)', () => {
    expect(plan.count).toBe(formatCount);
    expect([1470.53, 47.25, 2.54, 0.0166].map(plan.rate)).toEqual([1470.53, 47.25, 2.54, 0.0166].map(formatRate));
    expect(plan.rate(null)).toBe('unknown');
  });
});
