import { describe, expect, it } from 'vitest';
import { HistoryStore, DEFAULT_HISTORY_LIMITS } from '../../../electron/node/history/history-store.js';
import { fieldIndex } from '../../../electron/common/history-frame.js';

const T0 = 1_700_000_000_000;
const tick = (time: number, rate: number) => ({ time, gap: false, values: [rate, 10, 0] });

describe('HistoryStore', () => {
  it('holds a full day at one point per second and no more', () => {
    const h = new HistoryStore();
    for (let i = 0; i < 86_400 + 500; i++) h.add('tick', tick(T0 + i * 1000, i % 50));
    expect(h.rawLength('tick')).toBe(DEFAULT_HISTORY_LIMITS.rawPoints);
  });

  it('keeps a one-second spike visible in a 24-hour frame of a few hundred buckets', () => {
    const h = new HistoryStore();
    const end = T0 + 86_400_000;
    for (let t = T0; t < end; t += 1000) h.add('tick', tick(t, t === T0 + 40_000_000 ? 9999 : 3));
    const f = h.frame('tick', 86_400_000, 600, end);
    expect(f.time.length).toBeLessThanOrEqual(601);
    const rate = fieldIndex('tick', 'newConnectionsPerSec');
    const peak = Math.max(...f.first[rate]!.map(Number), ...f.second[rate]!.map(Number));
    expect(peak).toBe(9999);
  });

  it('records a gap after a silence, not a zero', () => {
    const h = new HistoryStore();
    h.add('tick', tick(T0, 5));
    const stored = h.add('tick', tick(T0 + 60_000, 6));
    expect(stored.map((p) => p.gap)).toEqual([true, false]);
    const f = h.frame('tick', 300_000, 300, T0 + 60_000);
    expect(f.gaps.reduce((a, b) => a + b, 0)).toBe(1);
    expect(f.first[0]!.filter((v) => v === 0)).toEqual([]);
  });

  it('answers windows older than the raw ring from minute roll-ups, spikes included', () => {
    const h = new HistoryStore({ ...DEFAULT_HISTORY_LIMITS, rawPoints: 600 });
    const end = T0 + 3_600_000;
    for (let t = T0; t < end; t += 1000) h.add('tick', tick(t, t === T0 + 120_000 ? 777 : 1));
    expect(h.rawLength('tick')).toBe(600);
    const f = h.frame('tick', 3_600_000, 120, end);
    const all = [...f.first[0]!, ...f.second[0]!].filter((v): v is number => v !== null);
    expect(Math.max(...all)).toBe(777);
    expect(f.time[0]).toBeLessThanOrEqual(T0 + 60_000);
  });

  it('keeps one raw point per second (the later reading wins)', () => {
    const h = new HistoryStore();
    h.add('tick', tick(T0 + 100, 1));
    h.add('tick', tick(T0 + 900, 2));
    expect(h.rawLength('tick')).toBe(1);
    const f = h.frame('tick', 60_000, 60, T0 + 1000);
    expect(f.first[0]).toEqual([2]);
  });
});
