import { describe, expect, it } from 'vitest';
import { Analyzer } from '../../../electron/node/engine/analyzer.js';
import { healthyRows, outbound, S, snapshotOf } from './engine-fixtures.js';

const cost = { wallMs: 0, cpuMs: 0 };

describe('close-wait-leak', () => {
  it('fires when CLOSE-WAIT piles up and names the processes that hold it', () => {
    const rows = [...outbound(80, { remote: '10.0.0.2', port: 8080, state: S.CLOSE_WAIT, pid: 77 }), ...outbound(5, { remote: '10.0.0.3', port: 80, firstPort: 45000, state: S.CLOSE_WAIT })];
    const s = new Analyzer().analyze(snapshotOf(rows, { processNames: new Map([[77, 'leaky']]) }), cost);
    const d = s.diagnoses.find((x) => x.id === 'close-wait-leak')!;
    expect(d.severity).toBe('warning');
    expect(d.evidence).toEqual(['85 sockets are in CLOSE-WAIT.', 'leaky (pid 77) holds 80 of them.', '5 have no known owner (reading owners may need more privileges).']);
    expect(d.recommendations[0]!.text).toMatch(/bug, not a tuning problem/);
    expect(d.recommendations.every((r) => r.setting === undefined)).toBe(true);
  });

  it('stays silent for a few transient CLOSE-WAIT sockets and on a healthy table', () => {
    expect(new Analyzer().analyze(snapshotOf(outbound(10, { remote: '10.0.0.2', port: 80, state: S.CLOSE_WAIT, pid: 1 })), cost).diagnoses).toEqual([]);
    expect(new Analyzer().analyze(snapshotOf(healthyRows()), cost).diagnoses).toEqual([]);
  });
});
