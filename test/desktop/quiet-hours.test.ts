import { describe, expect, it } from 'vitest';
import { inQuietHours, localMinuteOfDay, parseClock } from '../../electron/desktop/quiet-hours.js';

describe('quiet hours', () => {
  it('parses HH:MM and refuses anything else', () => {
    expect(parseClock('00:00')).toBe(0);
    expect(parseClock('23:59')).toBe(23 * 60 + 59);
    for (const bad of ['24:00', '7:00', '07:60', '0700', ' 07:00', '07:00 ', '', 'ab:cd']) expect(parseClock(bad)).toBeNull();
  });

  it('handles a window across midnight, a window within the day, and an empty window', () => {
    const [s, e] = [22 * 60, 7 * 60];
    expect([21 * 60 + 59, 22 * 60, 0, 6 * 60 + 59, 7 * 60].map((m) => inQuietHours(m, s, e))).toEqual([false, true, true, true, false]);
    expect([8 * 60, 12 * 60, 17 * 60].map((m) => inQuietHours(m, 9 * 60, 17 * 60))).toEqual([false, true, false]);
    expect(inQuietHours(600, 600, 600)).toBe(false);
  });

  it('reads local time of day', () => {
    const d = new Date(2024, 0, 1, 13, 45, 10);
    expect(localMinuteOfDay(d.getTime())).toBe(13 * 60 + 45);
  });
});
