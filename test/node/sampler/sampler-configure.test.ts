import { describe, expect, it } from 'vitest';
import { DEFAULT_ANALYSIS_CONFIG } from '../../../electron/common/config.js';
import { Sampler } from '../../../electron/node/sampler/sampler.js';

describe('Sampler.configure', () => {
  it('judges the next sample of this machine by the new thresholds, without a new sampler', async () => {
    const s = new Sampler();
    try {
      expect((await s.sampleOnce()).thresholds).toEqual(DEFAULT_ANALYSIS_CONFIG.thresholds);
      s.configure({ cpuBudget: 0.05, analysis: { ...DEFAULT_ANALYSIS_CONFIG, thresholds: { warning: 0.5, critical: 0.8 } } });
      expect((await s.sampleOnce()).thresholds).toEqual({ warning: 0.5, critical: 0.8 });
    } finally {
      await s.stop();
    }
  });

  it('refuses a bad CPU budget naming it, and changes nothing', async () => {
    const s = new Sampler();
    try {
      expect(() => s.configure({ cpuBudget: 2, analysis: { ...DEFAULT_ANALYSIS_CONFIG, thresholds: { warning: 0.5, critical: 0.8 } } })).toThrow(/CPU budget .* got 2/);
      expect((await s.sampleOnce()).thresholds).toEqual(DEFAULT_ANALYSIS_CONFIG.thresholds);
    } finally {
      await s.stop();
    }
  });
});
