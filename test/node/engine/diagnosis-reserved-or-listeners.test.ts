import { describe, expect, it } from 'vitest';
import { Analyzer } from '../../../electron/node/engine/analyzer.js';
import { healthyRows, linuxKernel, listener, snapshotOf } from './engine-fixtures.js';

const cost = { wallMs: 0, cpuMs: 0 };

describe('reserved-or-listeners-eat-range', () => {
  it('fires when reserved ports and listeners take at least 10 % of the range, naming the listening ports', () => {
    const kernel = linuxKernel({ portRange: { low: 40000, high: 40999 }, reservedPorts: [{ low: 40000, high: 40079 }] });
    const rows = Array.from({ length: 25 }, (_, i) => listener(40100 + i));
    const d = new Analyzer().analyze(snapshotOf(rows, { kernel }), cost).diagnoses.find((x) => x.id === 'reserved-or-listeners-eat-range')!;
    expect(d.severity).toBe('info');
    expect(d.evidence[0]).toBe('80 reserved ports and 25 ports held by listening or bound sockets take 11 % of the range 40000–40999, leaving 895.');
    expect(d.evidence[1]).toMatch(/^Listening ports inside the range: 40100, 40101, .* and 15 more\.$/);
    expect(d.recommendations.map((r) => r.kind)).toEqual(['investigate', 'investigate']);
  });

  it('stays silent below 10 % and on a healthy table', () => {
    const kernel = linuxKernel({ portRange: { low: 40000, high: 40999 }, reservedPorts: [{ low: 40000, high: 40049 }] });
    expect(new Analyzer().analyze(snapshotOf([listener(40500)], { kernel }), cost).diagnoses).toEqual([]);
    expect(new Analyzer().analyze(snapshotOf(healthyRows()), cost).diagnoses).toEqual([]);
  });
});
