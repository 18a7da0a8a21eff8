import { describe, expect, it } from 'vitest';
import type { Sample } from '../../electron/common/model.js';
import { DEFAULT_ANALYSIS_CONFIG } from '../../electron/common/config.js';
import { ReconfigurableSampler, type MonitorConfig, type SamplerLike } from '../../electron/desktop/reconfigurable-sampler.js';
import { ManualSampler, makeSample } from '../node/service/make-sample.js';

class ScriptedSampler extends ManualSampler implements SamplerLike {
  running = false;
  stops = 0;
  constructor(readonly config: MonitorConfig) {
    super();
  }
  start(): void {
    this.running = true;
  }
  async stop(): Promise<void> {
    this.running = false;
    this.stops++;
  }
  pause(): void {
    this.paused = true;
  }
  resume(): void {
    this.paused = false;
  }
}

const config = (cpuBudget: number): MonitorConfig => ({ cpuBudget, analysis: DEFAULT_ANALYSIS_CONFIG });

describe('reconfigurable sampler', () => {
  it('swaps the sampler on configure while its listeners keep receiving, from the new one only', async () => {
    const made: ScriptedSampler[] = [];
    const r = new ReconfigurableSampler((c) => {
      const s = new ScriptedSampler(c);
      made.push(s);
      return s;
    }, config(0.02));
    const got: Sample[] = [];
    r.onSample((s) => got.push(s));
    r.start();
    made[0]!.emitSample(makeSample(1));
    await r.configure(config(0.1));
    expect(made).toHaveLength(2);
    expect(made[0]!.stops).toBe(1);
    expect(made[1]!.config.cpuBudget).toBe(0.1);
    expect(made[1]!.running).toBe(true);
    made[0]!.emitSample(makeSample(2)); // the old one is unwired
    made[1]!.emitSample(makeSample(3));
    expect(got.map((s) => s.time)).toEqual([1, 3]);
  });

  it('keeps the latest sample across a swap until the new sampler has one', async () => {
    const made: ScriptedSampler[] = [];
    const r = new ReconfigurableSampler((c) => (made.push(new ScriptedSampler(c)), made.at(-1)!), config(0.02));
    r.start();
    made[0]!.emitSample(makeSample(7));
    await r.configure(config(0.05));
    expect(r.latest()?.time).toBe(7);
  });

  it('stays paused across a swap', async () => {
    const made: ScriptedSampler[] = [];
    const r = new ReconfigurableSampler((c) => (made.push(new ScriptedSampler(c)), made.at(-1)!), config(0.02));
    r.start();
    r.pause();
    await r.configure(config(0.05));
    expect(r.paused).toBe(true);
    expect(made[1]!.paused).toBe(true);
    r.resume();
    expect(made[1]!.paused).toBe(false);
  });
});
