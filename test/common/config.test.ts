import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ANALYSIS_CONFIG, parseAnalysisConfig } from '../../electron/common/config.js';

describe('parseAnalysisConfig', () => {
  it('returns the defaults without errors when given nothing or an empty object', () => {
    expect(parseAnalysisConfig(undefined)).toEqual({ config: DEFAULT_ANALYSIS_CONFIG, errors: [] });
    expect(parseAnalysisConfig({})).toEqual({ config: DEFAULT_ANALYSIS_CONFIG, errors: [] });
  });

  it('has the documented defaults', () => {
    expect(DEFAULT_ANALYSIS_CONFIG).toEqual({
      thresholds: { warning: 0.7, critical: 0.9 },
      hysteresis: 0.05,
      recoverSamples: 3,
      ttlWarningSec: 1800,
      ttlCriticalSec: 300,
      topDestinations: 20,
      topProcesses: 20,
      ownerMemory: 262144,
      trendWindowSec: 300,
    });
  });

  it('keeps valid fields of a partial config and fills the rest from the defaults', () => {
    const { config, errors } = parseAnalysisConfig({ thresholds: { warning: 0.5 }, topDestinations: 5 });
    expect(errors).toEqual([]);
    expect(config.thresholds).toEqual({ warning: 0.5, critical: 0.9 });
    expect(config.topDestinations).toBe(5);
    expect(config.hysteresis).toBe(0.05);
  });

  it('names the field and the bad value, and falls back to the default for that field only', () => {
    const { config, errors } = parseAnalysisConfig({ recoverSamples: 2.5, topProcesses: 'ten', ownerMemory: -1, trendWindowSec: 600 });
    expect(config.recoverSamples).toBe(3);
    expect(config.topProcesses).toBe(20);
    expect(config.ownerMemory).toBe(262144);
    expect(config.trendWindowSec).toBe(600);
    expect(errors).toHaveLength(3);
    expect(errors[0]).toMatch(/^recoverSamples: .*got 2\.5$/);
    expect(errors[1]).toMatch(/^topProcesses: .*got "ten"$/);
    expect(errors[2]).toMatch(/^ownerMemory: .*got -1$/);
  });

  it('rejects thresholds out of order and falls back to both defaults', () => {
    const { config, errors } = parseAnalysisConfig({ thresholds: { warning: 0.95, critical: 0.9 } });
    expect(config.thresholds).toEqual({ warning: 0.7, critical: 0.9 });
    expect(errors.join()).toMatch(/thresholds\.warning \(0\.95\) must be below thresholds\.critical \(0\.9\)/);
  });

  it('rejects NaN, Infinity and thresholds outside (0, 1]', () => {
    const { config, errors } = parseAnalysisConfig({ thresholds: { warning: Number.NaN, critical: 1.5 }, hysteresis: Infinity });
    expect(config).toEqual(DEFAULT_ANALYSIS_CONFIG);
    expect(errors.map((e) => e.split(':')[0])).toEqual(['hysteresis', 'thresholds.warning', 'thresholds.critical']);
  });

  it('reports unknown settings and a non-object input', () => {
    expect(parseAnalysisConfig({ treshold: 1 }).errors).toEqual(['treshold: unknown setting (ignored)']);
    expect(parseAnalysisConfig(42).errors).toEqual(['config: expected an object, got 42']);
    expect(parseAnalysisConfig([1]).errors).toEqual(['config: expected an object, got an array of 1']);
  });

  it('never throws, even on an object whose getters throw', () => {
    const hostile = new Proxy({}, { get: () => { throw new Error('boom'); }, ownKeys: () => { throw new Error('boom'); } });
    const { config, errors } = parseAnalysisConfig(hostile);
    expect(config).toEqual(DEFAULT_ANALYSIS_CONFIG);
    expect(errors.length).toBeGreaterThan(0);
  });

  it('always returns a config that passes its own validation, whatever the input', () => {
    fc.assert(
      fc.property(fc.anything(), fc.record({ thresholds: fc.record({ warning: fc.double(), critical: fc.double() }), hysteresis: fc.double(), ttlCriticalSec: fc.double(), ttlWarningSec: fc.double() }, { requiredKeys: [] }), (junk, partial) => {
        for (const input of [junk, partial]) {
          const { config } = parseAnalysisConfig(input);
          expect(parseAnalysisConfig(config).errors).toEqual([]);
          expect(config.thresholds.warning).toBeLessThan(config.thresholds.critical);
          expect(config.hysteresis).toBeLessThan(config.thresholds.warning);
          expect(config.ttlCriticalSec).toBeLessThan(config.ttlWarningSec);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('does not share the default object with its result', () => {
    const { config } = parseAnalysisConfig({});
    config.thresholds.warning = 0.1;
    expect(DEFAULT_ANALYSIS_CONFIG.thresholds.warning).toBe(0.7);
  });
});
