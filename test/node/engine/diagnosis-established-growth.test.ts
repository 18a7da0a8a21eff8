import { describe, expect, it } from 'vitest';
import { Analyzer } from '../../../electron/node/engine/analyzer.js';
import { healthyRows, linuxKernel, outbound, snapshotOf, T0 } from './engine-fixtures.js';

const cost = { wallMs: 0, cpuMs: 0 };
const kernel = linuxKernel({ portRange: { low: 32768, high: 60999 } });

function series(counts: number[], stepSec = 50) {
  const a = new Analyzer();
  return counts.map((n, k) => a.analyze(snapshotOf(outbound(n, { remote: '10.0.0.5', port: 5432, firstPort: 33000, pid: 9 }), { kernel, time: T0 + k * stepSec * 1000, processNames: new Map([[9, 'worker']]) }), cost));
}

describe('established-growth', () => {
  it('fires when ESTABLISHED toward a destination keeps growing over the trend window, naming the owner', () => {
    const last = series([100, 400, 700, 1000, 1300, 1600, 1900]).at(-1)!;
    const d = last.diagnoses.find((x) => x.id === 'established-growth')!;
    expect(d.severity).toBe('warning');
    expect(d.evidence[0]).toMatch(/10\.0\.0\.5:5432: ESTABLISHED grew from 100 to 1,900 in 5 min/);
    expect(d.recommendations[0]!.kind).toBe('application');
    expect(d.recommendations.some((r) => /worker \(pid 9\)/.test(r.text))).toBe(true);
  });

  it('stays silent for a flat or oscillating count, and before the window is half covered', () => {
    expect(series([500, 520, 490, 510, 500, 505, 495]).at(-1)!.diagnoses).toEqual([]);
    expect(series([500, 900, 500, 900, 500, 900, 500]).at(-1)!.diagnoses.map((d) => d.id)).not.toContain('established-growth');
    expect(series([100, 400, 700, 1000, 1300], 20).at(-1)!.diagnoses.map((d) => d.id)).not.toContain('established-growth');
  });

  it('stays silent on a healthy table', () => {
    const a = new Analyzer();
    for (let k = 0; k < 8; k++) expect(a.analyze(snapshotOf(healthyRows(), { time: T0 + k * 50_000 }), cost).diagnoses).toEqual([]);
  });
});
