import { describe, expect, it } from 'vitest';
import { DEFAULT_ANALYSIS_CONFIG as cfg } from '../../../electron/common/config.js';
import { assessLevels, levelForUtilization, raiseForTimeToExhaustion, SeverityHysteresis } from '../../../electron/node/engine/severity.js';

describe('severity levels', () => {
  it('maps utilization onto levels at the configured thresholds', () => {
    expect([0, 0.69, 0.7, 0.89, 0.9, 0.99, 1, 1.2].map((u) => levelForUtilization(u, cfg.thresholds))).toEqual([
      'ok', 'ok', 'warning', 'warning', 'critical', 'critical', 'exhausted', 'exhausted',
    ]);
  });

  it('raises the level by a near time to exhaustion, never lowers it', () => {
    expect(raiseForTimeToExhaustion('ok', 299, cfg)).toBe('critical');
    expect(raiseForTimeToExhaustion('ok', 1799, cfg)).toBe('warning');
    expect(raiseForTimeToExhaustion('ok', 1800, cfg)).toBe('ok');
    expect(raiseForTimeToExhaustion('exhausted', 1000, cfg)).toBe('exhausted');
    expect(raiseForTimeToExhaustion('warning', null, cfg)).toBe('warning');
  });

  it('computes the hysteresis level with every threshold lowered', () => {
    expect(assessLevels(0.66, null, cfg)).toEqual({ raw: 'ok', lowered: 'warning' });
    expect(assessLevels(0.96, null, cfg)).toEqual({ raw: 'critical', lowered: 'exhausted' });
  });
});

describe('SeverityHysteresis', () => {
  const feed = (h: SeverityHysteresis, us: number[]) => us.map((u) => h.update(assessLevels(u, null, cfg).raw, assessLevels(u, null, cfg).lowered).level);

  it('goes up immediately', () => {
    expect(feed(new SeverityHysteresis(3), [0.1, 0.95, 1.0])).toEqual(['ok', 'critical', 'exhausted']);
  });

  it('does not flap when utilization oscillates across a threshold', () => {
    expect(feed(new SeverityHysteresis(3), [0.71, 0.69, 0.72, 0.68, 0.7, 0.66, 0.71, 0.69])).toEqual(Array(8).fill('warning'));
  });

  it('goes down after recoverSamples consecutive samples below the lowered threshold, to the highest of their levels', () => {
    expect(feed(new SeverityHysteresis(3), [0.95, 0.5, 0.75, 0.5])).toEqual(['critical', 'critical', 'critical', 'warning']);
  });

  it('restarts the count when a sample is not below', () => {
    expect(feed(new SeverityHysteresis(2), [0.8, 0.5, 0.68, 0.5, 0.5])).toEqual(['warning', 'warning', 'warning', 'warning', 'ok']);
  });

  it('starts over after a reset', () => {
    const h = new SeverityHysteresis(3);
    feed(h, [0.95]);
    h.reset();
    expect(feed(h, [0.1])).toEqual(['ok']);
  });
});
