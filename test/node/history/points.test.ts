import { describe, expect, it } from 'vitest';
import { SAMPLE_EXTRACTORS, TICK_EXTRACTORS, samplePoint, tickPoint } from '../../../electron/node/history/points.js';
import { SAMPLE_FIELDS, TICK_FIELDS, fieldIndex, type SampleField } from '../../../electron/common/history-frame.js';
import { makeSample, stateCounts } from '../service/make-sample.js';
import { Analyzer } from '../../../electron/node/engine/analyzer.js';
import { linuxKernel, outbound, snapshotOf } from '../engine/engine-fixtures.js';

const COST = { wallMs: 1, cpuMs: 1 };

const T0 = 1_700_000_000_000;

describe('history points', () => {
  it('has exactly one extractor per field of each track', () => {
    expect(Object.keys(SAMPLE_EXTRACTORS).sort()).toEqual([...SAMPLE_FIELDS].sort());
    expect(Object.keys(TICK_EXTRACTORS).sort()).toEqual([...TICK_FIELDS].sort());
  });

  it('puts every sample value at the index of its field', () => {
    const s = makeSample(T0, 700, { totalSockets: 1234, states: stateCounts({ ESTABLISHED: 600, 'TIME-WAIT': 100 }) });
    s.global.utilization = 0.125;
    s.capacity.usable = 28_000;
    s.rates.newConnectionsPerSec = 42;
    const p = samplePoint(s);
    const at = (f: SampleField) => p.values[fieldIndex('sample', f)];
    expect(p.values).toHaveLength(SAMPLE_FIELDS.length);
    expect(at('ESTABLISHED')).toBe(600);
    expect(at('TIME-WAIT')).toBe(100);
    expect(at('LISTEN')).toBe(0);
    expect(at('totalSockets')).toBe(1234);
    expect(at('worstUtilization')).toBe(s.worst!.utilization);
    expect(at('worstBlocking')).toBe(700);
    expect(at('globalUtilization')).toBe(0.125);
    expect(at('usable')).toBe(28_000);
    expect(at('severity')).toBe(1);
    expect(at('newPerSec')).toBe(42);
  });

  it('records a failed socket reading as a gap, and an unread range as unknown use, as the analyzer reports them', () => {
    const a = new Analyzer();
    const ok = a.analyze(snapshotOf(outbound(10, { remote: '10.0.0.2', port: 80 }), { time: T0 }), COST);
    const failed = a.analyze(snapshotOf(null, { time: T0 + 1000 }), COST);
    expect(samplePoint(ok).gap).toBe(false);
    expect(samplePoint(failed).gap).toBe(true);
    // Severity unknown for want of the range, yet the table was read: its counts are facts, its use unknown.
    const noRange = a.analyze(snapshotOf(outbound(3, { remote: '10.0.0.2', port: 80 }), { time: T0 + 2000, kernel: linuxKernel({ portRange: null }) }), COST);
    expect(noRange.severity).toBe('unknown');
    const p = samplePoint(noRange);
    expect(p.gap).toBe(false);
    expect(p.values[fieldIndex('sample', 'totalSockets')]).toBe(3);
    for (const f of ['worstUtilization', 'globalUtilization', 'worstBlocking', 'usable'] as const) expect(p.values[fieldIndex('sample', f)], f).toBeNull();
  });

  it('puts every tick value at the index of its field, unknown sockstat as null', () => {
    const p = tickPoint({ time: T0, newConnectionsPerSec: 7, sockstat: { inuse: 30, orphan: 0, tw: 12, alloc: 31 }, cost: { wallMs: 1, cpuMs: 1 } });
    expect(p.values[fieldIndex('tick', 'newConnectionsPerSec')]).toBe(7);
    expect(p.values[fieldIndex('tick', 'sockstatInuse')]).toBe(30);
    expect(p.values[fieldIndex('tick', 'sockstatTw')]).toBe(12);
    const none = tickPoint({ time: T0, newConnectionsPerSec: 1, sockstat: null, cost: { wallMs: 1, cpuMs: 1 } });
    expect(none.values.slice(1)).toEqual([null, null]);
  });

  it('refuses a field name that is not in its track at compile time', () => {
    // @ts-expect-error a tick field is not a sample field
    expect(fieldIndex('sample', 'sockstatTw')).toBe(-1);
  });
});
