import { describe, expect, it } from 'vitest';
import type { Sample, TickSample } from '../../../electron/common/model.js';
import { BURST_SHARE, isBurst } from '../../../electron/node/sampler/burst-trigger.js';

const tick = (time: number, rate: number | null): TickSample => ({ time, newConnectionsPerSec: rate, sockstat: null, cost: { wallMs: 0, cpuMs: 0 } });
const latest = (sustainable: number | null) => ({ rates: { sustainablePerDestinationPerSec: sustainable } }) as unknown as Sample;

describe('isBurst', () => {
  it('fires at BURST_SHARE of the sustainable rate, not below, and not within the gap after the last full sample', () => {
    expect(isBurst(tick(10_000, 200 * BURST_SHARE), latest(200), 0, 1000)).toBe(true);
    expect(isBurst(tick(10_000, 200 * BURST_SHARE - 1), latest(200), 0, 1000)).toBe(false);
    expect(isBurst(tick(10_000, 1e6), latest(200), 9_500, 1000)).toBe(false);
  });
  it('says nothing without a rate or a sample to compare with', () => {
    expect(isBurst(tick(10_000, null), latest(200), 0, 1000)).toBe(false);
    expect(isBurst(tick(10_000, 1e6), null, 0, 1000)).toBe(false);
    expect(isBurst(tick(10_000, 1e6), latest(null), 0, 1000)).toBe(false);
  });
});
