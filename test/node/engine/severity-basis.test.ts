import { describe, expect, it } from 'vitest';
import { DEFAULT_ANALYSIS_CONFIG as cfg } from '../../../electron/common/config.js';
import type { DestinationUsage } from '../../../electron/common/model.js';
import { Analyzer } from '../../../electron/node/engine/analyzer.js';
import { confirmedByKernel, judgeLevels } from '../../../electron/node/engine/severity-basis.js';
import { counters, linuxKernel, outbound, snapshotOf } from './engine-fixtures.js';

const dest = (over: Partial<DestinationUsage>): DestinationUsage => ({
  key: 'k', netns: '', localAddress: '10.0.0.1', remoteAddress: '10.0.0.2', remotePort: 80, inUse: 10, blocking: 10, capacity: 10, utilization: 1,
  states: {}, newPerSec: null, sustainablePerSec: 1, timeToExhaustionSec: null, processes: [], ...over,
});

describe('severity on what the figures rest on', () => {
  it('holds an inferred exhaustion at warning, and lets a kernel-exact one page', () => {
    const inferred = dest({ basis: { kind: 'inferred', reason: 'r', left: 0, low: 0, high: 10 } });
    expect(judgeLevels([inferred], null, null, cfg, false)).toEqual({ raw: 'warning', lowered: 'warning', capped: true });
    const exact = dest({ basis: { kind: 'kernel-exact', reason: 'r', left: 0, low: 0, high: 0 } });
    expect(judgeLevels([exact], null, null, cfg, false)).toMatchObject({ raw: 'exhausted', capped: false });
  });

  it('pages on a time to exhaustion computed from the kernel-exact floor, not on one that takes uncertain ports as held', () => {
    const soon = cfg.ttlCriticalSec / 2;
    const judge = (u: DestinationUsage) => judgeLevels([u], null, { sec: soon, dest: u }, cfg, false);
    // best = high: only the low bound takes something uncertain as held (e.g. TIME-WAIT reuse toward a
    // peer whose timestamps are unknown); the countdown is the optimistic one, so it may page
    const fromFloor = dest({ blocking: 2, utilization: 0.2, timeToExhaustionSec: soon, basis: { kind: 'inferred', reason: 'r', left: 8, low: 0, high: 8 } });
    expect(judge(fromFloor)).toMatchObject({ raw: 'critical', capped: false });
    // best < high: the countdown takes bound-by-inference ports as held: a guess, warning at most
    const guessed = dest({ blocking: 2, utilization: 0.2, timeToExhaustionSec: soon, basis: { kind: 'inferred', reason: 'r', left: 4, low: 0, high: 8 } });
    expect(judge(guessed)).toMatchObject({ raw: 'warning', capped: true });
  });

  it('lets the kernel\'s own recent allocation failures confirm an inference', () => {
    const inferred = dest({ basis: { kind: 'inferred', reason: 'r', left: 0, low: 0, high: 10 } });
    expect(judgeLevels([inferred], null, null, cfg, true)).toMatchObject({ raw: 'exhausted', capped: false });
    const now = 1_000_000_000;
    expect(confirmedByKernel(counters({ portAllocationFailures: { id4227: 0, id4231: 3, latestMs: now - 60_000 } }), now)).toBe(true);
    expect(confirmedByKernel(counters({ portAllocationFailures: { id4227: 0, id4231: 3, latestMs: now - 3_600_000 } }), now)).toBe(false);
    expect(confirmedByKernel(counters(), now)).toBe(false);
  });

  it('never exits 2 on never-shared ports alone, but does on a destination its own sockets fill', () => {
    const kernel = linuxKernel({ portRange: { low: 40000, high: 40019 } });
    const bound = [...outbound(10, { remote: '10.0.0.2', port: 80, firstPort: 40000 }), ...outbound(10, { remote: '10.0.0.3', port: 80, firstPort: 40010 })];
    const s = new Analyzer().analyze(snapshotOf(bound, { kernel }), { wallMs: 0, cpuMs: 0 });
    expect(s.global.bindBeforeConnectEvidence).toBe(true);
    expect(s.severity).toBe('warning');
    expect(s.severityReason).toMatch(/rests on inference/);
    const full = outbound(20, { remote: '10.0.0.2', port: 80, firstPort: 40000 });
    expect(new Analyzer().analyze(snapshotOf(full, { kernel }), { wallMs: 0, cpuMs: 0 }).severity).toBe('exhausted');
  });
});
