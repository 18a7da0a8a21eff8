import { describe, expect, it } from 'vitest';
import { aggregateTable } from '../../../electron/node/engine/aggregate.js';
import { attributeOwners, OwnerMemory, portsKey } from '../../../electron/node/engine/owner-memory.js';
import { linuxKernel, outbound, S, tableOf } from './engine-fixtures.js';

const kernel = linuxKernel();
const range = kernel.portRange!;

function attribute(memory: OwnerMemory, rows: Parameters<typeof tableOf>[0], names = new Map<number, string>()) {
  const t = tableOf(rows);
  const agg = aggregateTable(t, { range, kernel, recentWindowMs: 5000 });
  // Stable ids: the table's own address indexes are stable enough within one test.
  const ids = (col: Uint32Array) => Uint32Array.from(col, (a) => (t.addrs[a] === '10.0.0.1' ? 1 : t.addrs[a] === '10.0.0.2' ? 2 : 3));
  return attributeOwners(t, agg, ids(agg.dest.localAddr), ids(agg.dest.remoteAddr), memory, names);
}

describe('OwnerMemory', () => {
  it('attributes a TIME-WAIT socket to the pid that owned its 4-tuple in an earlier sample', () => {
    const m = new OwnerMemory(1024);
    expect(Array.from(attribute(m, outbound(3, { remote: '10.0.0.2', port: 80, pid: 11 }), new Map([[11, 'app']])))).toEqual([11, 11, 11]);
    const later = attribute(m, [...outbound(2, { remote: '10.0.0.2', port: 80, state: S.TIME_WAIT }), ...outbound(1, { remote: '10.0.0.2', port: 81, state: S.TIME_WAIT })]);
    expect(Array.from(later)).toEqual([11, 11, -1]); // port 81: a different 4-tuple, never seen open
    expect(m.nameOf(11)).toBe('app');
  });

  it('does not learn owners from TIME-WAIT sockets and treats pid 0 as unknown', () => {
    const m = new OwnerMemory(1024);
    attribute(m, outbound(2, { remote: '10.0.0.2', port: 80, state: S.TIME_WAIT, pid: 0 }));
    expect(m.size).toBe(0);
  });

  it('never holds more than its capacity, keeping what the latest samples used', () => {
    const m = new OwnerMemory(16);
    for (let k = 0; k < 100; k++) {
      m.beginSample();
      for (let p = 0; p < 10; p++) m.remember(1, 2, portsKey(40000 + k * 10 + p, 80), k);
      m.endSample();
      expect(m.size).toBeLessThanOrEqual(16);
    }
    expect(m.recall(1, 2, portsKey(40000 + 99 * 10 + 3, 80))).toBe(99);
    expect(m.recall(1, 2, portsKey(40000, 80))).toBe(-1);
  });

  it('does not remember beyond its capacity within one sample', () => {
    const m = new OwnerMemory(16);
    m.beginSample();
    for (let p = 0; p < 1000; p++) m.remember(1, 2, portsKey(40000 + p, 80), 7);
    m.endSample();
    expect(m.size).toBe(16);
    expect(m.recall(1, 2, portsKey(40000, 80))).toBe(7);
  });

  it('keeps an entry for as long as every sample looks it up, and drops it once nobody does', () => {
    const m = new OwnerMemory(100_000);
    m.beginSample();
    m.remember(1, 2, portsKey(1, 1), 5);
    m.endSample();
    for (let k = 0; k < 50; k++) {
      m.beginSample();
      for (let p = 0; p < 2000; p++) m.remember(1, 2, portsKey(10_000 + p, 80 + k), 7); // new 4-tuples every sample
      expect(m.recall(1, 2, portsKey(1, 1))).toBe(5);
      m.endSample();
    }
    expect(m.size).toBeLessThan(3 * 2000 + 2);
    for (let k = 0; k < 2; k++) {
      m.beginSample();
      for (let p = 0; p < 2000; p++) m.remember(1, 2, portsKey(10_000 + p, 200 + k), 7);
      m.endSample();
    }
    expect(m.recall(1, 2, portsKey(1, 1))).toBe(-1);
  });

  it('forgets names of pids no remembered 4-tuple refers to any more', () => {
    const m = new OwnerMemory(4);
    m.beginSample();
    m.remember(1, 2, 1, 5);
    m.noteName(5, 'old');
    m.endSample();
    m.beginSample();
    for (let p = 10; p < 20; p++) m.remember(1, 2, p, 6);
    m.endSample();
    expect(m.recall(1, 2, 1)).toBe(-1);
    expect(m.nameOf(5)).toBeUndefined();
  });

  it('renumbers addresses and forgets 4-tuples whose addresses were dropped', () => {
    const m = new OwnerMemory(64);
    m.beginSample();
    m.remember(0, 1, 9, 5);
    m.remember(2, 1, 9, 6);
    const keep = new Uint8Array(3);
    m.markAddressIds(keep);
    expect(Array.from(keep)).toEqual([1, 1, 1]);
    m.remapAddresses(Int32Array.from([0, 1, -1]));
    expect(m.recall(0, 1, 9)).toBe(5);
    expect(m.size).toBe(1);
  });
});
