import { describe, expect, it } from 'vitest';
import { Analyzer } from '../../../electron/node/engine/analyzer.js';
import { counters, healthyRows, linuxKernel, S, snapshotOf, T0 } from './engine-fixtures.js';

const cost = { wallMs: 0, cpuMs: 0 };

describe('diagnose', () => {
  it('returns no diagnosis at all for a healthy machine, sample after sample', () => {
    const a = new Analyzer();
    for (let k = 0; k < 8; k++) {
      const s = a.analyze(snapshotOf(healthyRows(), { time: T0 + k * 50_000, counters: counters({ activeOpens: 1000 + k * 10, timeWaitOverflow: 5, listenOverflows: 2 }) }), cost);
      expect(s.diagnoses).toEqual([]);
      expect(s.severity).toBe('ok');
    }
  });

  it('lists the most severe diagnoses first', () => {
    const kernel = linuxKernel({ conntrack: { count: 850, max: 1000 } });
    const rows = Array.from({ length: 1200 }, (_, i) => ({ family: 4 as const, state: S.CLOSE_WAIT, localAddr: '10.0.0.1', localPort: 443, remoteAddr: '10.0.9.9', remotePort: 20000 + i, pid: 5 }));
    const s = new Analyzer().analyze(snapshotOf(rows, { kernel }), cost);
    expect(s.diagnoses.map((d) => [d.id, d.severity])).toEqual([
      ['close-wait-leak', 'critical'],
      ['conntrack-near-full', 'warning'],
    ]);
  });
});
