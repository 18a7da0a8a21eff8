import { describe, expect, it } from 'vitest';
import { formatCount, formatDuration, formatPercent, formatRate } from '../../../electron/node/engine/format.js';

describe('format', () => {
  it('groups thousands', () => expect([formatCount(0), formatCount(999), formatCount(28232), formatCount(1234567)]).toEqual(['0', '999', '28,232', '1,234,567']));
  it('never shows a share below 1 as 100 %', () => {
    expect([0, 0.0004, 0.004, 0.123, 0.996, 1, 1.5].map(formatPercent)).toEqual(['0 %', '0.1 %', '0.4 %', '12 %', '99 %', '100 %', '150 %']);
  });
  it('writes durations and rates in readable units', () => {
    expect([40, 300, 5400, 7200, 86400 * 3].map(formatDuration)).toEqual(['40 s', '5 min', '1.5 h', '2 h', '3 days']);
    expect([470.53, 2.54, 0.0166].map(formatRate)).toEqual(['471/s', '2.5/s', '0.02/s']);
  });
});
