import { describe, expect, it } from 'vitest';
import type { Sample } from '../../../electron/common/model.js';
import { createBackend } from '../../../electron/node/platform/index.js';
import type { Backend, RawSnapshot } from '../../../electron/node/platform/types.js';
import { Sampler } from '../../../electron/node/sampler/sampler.js';

// The real Linux backend, wrapped so a test can hold a full read open (a gate) and count how many are
// in flight: the scheduling logic is what is under test, the reads are real.
function gatedBackend() {
  const real = createBackend('linux', { owners: false });
  let inFlight = 0;
  let maxInFlight = 0;
  let reads = 0;
  const gates: (() => void)[] = [];
  let holding = false;
  const backend: Backend = {
    platform: 'linux',
    readTick: (signal) => real.readTick(signal),
    // the wrapper owns the real backend: Sampler.stop must close its kept-open tick handles
    close: () => real.close?.() ?? Promise.resolve(),
    async readAll(signal): Promise<RawSnapshot> {
      inFlight++;
      reads++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        if (holding) await new Promise<void>((r) => gates.push(r));
        return await real.readAll(signal);
      } finally {
        inFlight--;
      }
    },
  };
  return {
    backend,
    hold: () => (holding = true),
    release: () => {
      holding = false;
      gates.splice(0).forEach((g) => g());
    },
    stats: () => ({ inFlight, maxInFlight, reads }),
  };
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await wait(20);
  }
}

describe('the sampler', () => {
  it('delivers full samples stamped with their cost, and ticks', async () => {
    const g = gatedBackend();
    const s = new Sampler({ backend: g.backend, cpuBudget: 1, minFullIntervalMs: 200, tickIntervalMs: 100 });
    const samples: Sample[] = [];
    let ticks = 0;
    s.onSample((x) => samples.push(x));
    s.onTick(() => ticks++);
    s.start();
    await until(() => samples.length >= 2 && ticks >= 3);
    await s.stop();
    expect(samples[0]!.cost.wallMs).toBeGreaterThan(0);
    expect(samples[0]!.cost.cpuMs).toBeGreaterThan(0);
    expect(s.latest()).toBe(samples[samples.length - 1]);
  });

  it('never runs two full samples at once, even when one takes longer than the interval', async () => {
    const g = gatedBackend();
    const s = new Sampler({ backend: g.backend, minFullIntervalMs: 50, maxFullIntervalMs: 50, tickIntervalMs: 50 });
    g.hold();
    s.start();
    await until(() => g.stats().inFlight === 1);
    await wait(400); // several intervals pass while the read is held
    expect(g.stats().maxInFlight).toBe(1);
    g.release();
    await until(() => g.stats().reads >= 3);
    await s.stop();
    expect(g.stats().maxInFlight).toBe(1);
  });

  it('drops a sample that finishes after stop() instead of delivering it stale', async () => {
    const g = gatedBackend();
    const s = new Sampler({ backend: g.backend, tickIntervalMs: 10_000 });
    const samples: Sample[] = [];
    s.onSample((x) => samples.push(x));
    g.hold();
    s.start();
    await until(() => g.stats().inFlight === 1);
    const stopping = s.stop();
    g.release();
    await stopping;
    await wait(100);
    expect(samples).toEqual([]);
    expect(g.stats().reads).toBe(1);
  });

  it('pauses and resumes', async () => {
    const g = gatedBackend();
    const s = new Sampler({ backend: g.backend, minFullIntervalMs: 100, maxFullIntervalMs: 100, tickIntervalMs: 100 });
    s.start();
    await until(() => g.stats().reads >= 1);
    s.pause();
    expect(s.paused).toBe(true);
    await wait(150);
    const before = g.stats().reads;
    await wait(400);
    expect(g.stats().reads).toBe(before);
    s.resume();
    await until(() => g.stats().reads > before);
    await s.stop();
  });

  it('keeps sampling when a listener throws', async () => {
    const g = gatedBackend();
    const s = new Sampler({ backend: g.backend, minFullIntervalMs: 100, maxFullIntervalMs: 100, tickIntervalMs: 1000 });
    let delivered = 0;
    s.onSample(() => {
      throw new Error('a broken consumer');
    });
    s.onSample(() => delivered++);
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    s.start();
    await until(() => delivered >= 2);
    await s.stop();
    process.off('warning', onWarning);
    expect(warnings.some((w) => w.includes('a broken consumer'))).toBe(true);
  });

  it('refuses a CPU budget that is not a share of one core, naming it', () => {
    expect(() => new Sampler({ cpuBudget: 5 })).toThrow(/got 5/);
  });
});

describe('the burst trigger', () => {
  it('takes a full sample at once when a tick sees new connections above what the range sustains', async () => {
    const real = createBackend('linux', { owners: false });
    let bump = 0;
    let reads = 0;
    const backend: Backend = {
      platform: 'linux',
      // the real counters, with ActiveOpens raised by `bump` once the test says a burst happens
      async readTick(signal) {
        const t = await real.readTick(signal);
        return { ...t, counters: { ...t.counters, activeOpens: (t.counters.activeOpens ?? 0) + bump } };
      },
      async readAll(signal) {
        reads++;
        return real.readAll(signal);
      },
      close: () => real.close?.() ?? Promise.resolve(),
    };
    // A budget so small that the schedule alone would wait the full minute before the second sample.
    const s = new Sampler({ backend, cpuBudget: 0.000_01, minFullIntervalMs: 200, maxFullIntervalMs: 60_000, tickIntervalMs: 100 });
    const samples: Sample[] = [];
    s.onSample((x) => samples.push(x));
    s.start();
    await until(() => samples.length === 1);
    await wait(600); // quiet ticks: no extra sample
    expect(samples.length).toBe(1);
    bump = 100_000_000; // far above usable / hold of any range
    await until(() => samples.length === 2, 5_000);
    await s.stop();
    expect(reads).toBe(2);
  });
});
