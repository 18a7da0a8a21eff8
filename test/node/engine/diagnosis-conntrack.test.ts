import { describe, expect, it } from 'vitest';
import { Analyzer } from '../../../electron/node/engine/analyzer.js';
import { healthyRows, linuxKernel, snapshotOf } from './engine-fixtures.js';

const cost = { wallMs: 0, cpuMs: 0 };

describe('conntrack-near-full', () => {
  it('fires at 80 % of nf_conntrack_max and explains it is not a port problem', () => {
    const s = new Analyzer().analyze(snapshotOf(healthyRows(), { kernel: linuxKernel({ conntrack: { count: 52_429, max: 65_536 } }) }), cost);
    const d = s.diagnoses.find((x) => x.id === 'conntrack-near-full')!;
    expect(d.severity).toBe('warning');
    expect(d.summary).toMatch(/does not fail with EADDRNOTAVAIL/);
    expect(d.evidence).toEqual(['nf_conntrack_count 52,429 of nf_conntrack_max 65,536 (80 %).']);
    expect(d.recommendations.find((r) => r.setting)!.setting).toEqual({ key: 'net.netfilter.nf_conntrack_max', current: '65536', suggested: '131072' });
    expect(s.severity).toBe('ok'); // a look-alike does not raise the port severity
  });

  it('is critical at 95 % and silent below 80 % or without conntrack', () => {
    const at = (count: number) => new Analyzer().analyze(snapshotOf(healthyRows(), { kernel: linuxKernel({ conntrack: { count, max: 1000 } }) }), cost).diagnoses;
    expect(at(960)[0]!.severity).toBe('critical');
    expect(at(799)).toEqual([]);
    expect(new Analyzer().analyze(snapshotOf(healthyRows()), cost).diagnoses).toEqual([]);
  });
});
