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

  it('never holds more than its capacity and keeps the most recently used 4-tuples', () => {
    const m = new OwnerMemory(16);
    for (let p = 0; p < 1000; p++) {
      m.remember(1, 2, portsKey(40000 + p, 80), 100 + p);
      expect(m.size).toBeLessThanOrEqual(16);
    }
    expect(m.recall(1, 2, portsKey(40999, 80))).toBe(1099);
    expect(m.recall(1, 2, portsKey(40992, 80))).toBe(1092);
    expect(m.recall(1, 2, portsKey(40000, 80))).toBe(-1);
  });

  it('keeps an entry alive as long as it keeps being looked up', () => {
    const m = new OwnerMemory(8);
    m.remember(1, 2, portsKey(1, 1), 5);
    for (let p = 0; p < 100; p++) {
      m.remember(1, 2, portsKey(40000 + p, 80), 7);
      expect(m.recall(1, 2, portsKey(1, 1))).toBe(5);
    }
  });

  it('forgets names of pids no remembered 4-tuple refers to any more', () => {
    const m = new OwnerMemory(4);
    m.remember(1, 2, 1, 5);
    m.noteName(5, 'old');
    for (let p = 10; p < 20; p++) m.remember(1, 2, p, 6);
    expect(m.nameOf(5)).toBeUndefined();
  });

  it('renumbers addresses and forgets 4-tuples whose addresses were dropped', () => {
    const m = new OwnerMemory(64);
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
