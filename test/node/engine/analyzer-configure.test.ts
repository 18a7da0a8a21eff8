import { describe, expect, it } from 'vitest';
import { DEFAULT_ANALYSIS_CONFIG } from '../../../electron/common/config.js';
import { Analyzer } from '../../../electron/node/engine/analyzer.js';
import { linuxKernel, outbound, S, snapshotOf, T0 } from './engine-fixtures.js';

const cost = { wallMs: 1, cpuMs: 1 };
const kernel = linuxKernel({ portRange: { low: 40000, high: 40099 } });
const toward = (n: number, k: number, a: Analyzer) => a.analyze(snapshotOf(outbound(n, { remote: '10.0.0.2', port: 80, firstPort: 40000 }), { kernel, time: T0 + k * 5000 }), cost);
const lowerWarning = { ...DEFAULT_ANALYSIS_CONFIG, thresholds: { warning: 0.4, critical: 0.9 } };

describe('Analyzer.configure', () => {
  it('keeps the hysteresis: a critical level still holds after new thresholds, then recovers to what they say', () => {
    const a = new Analyzer();
    expect([toward(10, 0, a), toward(95, 1, a)].map((s) => s.severity)).toEqual(['ok', 'critical']);
    a.configure(lowerWarning);
    const after = [50, 50, 50, 50].map((n, k) => toward(n, k + 2, a));
    // Held critical for the recovery samples (a fresh analyzer would say warning at once), then warning: 50 % is above the new 40 %.
    expect(after.map((s) => s.severity)).toEqual(['critical', 'critical', 'warning', 'warning']);
    expect(toward(50, 0, new Analyzer(lowerWarning)).severity).toBe('warning');
  });

  it('keeps the owners: TIME-WAIT after a reconfigure is still attributed to the process that owned it', () => {
    const a = new Analyzer();
    a.analyze(snapshotOf(outbound(5, { remote: '10.0.0.2', port: 80, pid: 4242 }), { time: T0, processNames: new Map([[4242, 'curl']]) }), cost);
    a.configure(lowerWarning);
    const s = a.analyze(snapshotOf(outbound(5, { remote: '10.0.0.2', port: 80, state: S.TIME_WAIT, ageMs: 2000 }), { time: T0 + 5000 }), cost);
    expect(s.worst?.processes).toEqual([{ pid: 4242, name: 'curl', sockets: 5 }]);
  });

  it('keeps the trends: a destination growing before the reconfigure still has a time to exhaustion after it', () => {
    const a = new Analyzer();
    for (let k = 0; k < 3; k++) toward(10 + 10 * k, k, a);
    a.configure({ ...DEFAULT_ANALYSIS_CONFIG, ttlWarningSec: 1000 });
    const s = toward(40, 3, a);
    expect(s.worst?.timeToExhaustionSec).toBeGreaterThan(0);
    expect(toward(40, 3, new Analyzer()).worst?.timeToExhaustionSec).toBeNull();
  });

  it('applies the new settings to the next sample (a bad field falls back to its default, as in the constructor)', () => {
    const a = new Analyzer();
    expect(toward(50, 0, a).severity).toBe('ok');
    a.configure({ ...lowerWarning, recoverSamples: -1 });
    expect(toward(50, 1, a).severity).toBe('warning');
  });
});
