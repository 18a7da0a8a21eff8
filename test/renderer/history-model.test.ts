import { describe, expect, it } from 'vitest';
import { HistoryModel } from '../../renderer/src/state/history-model.js';
import { HistoryStore } from '../../electron/node/history/history-store.js';

const tick = (time: number, v: number) => ({ time, gap: false, values: [v, 1, 0] });

describe('HistoryModel', () => {
  it('queues live points during a reload and merges them after the frame', () => {
    const store = new HistoryStore();
    const m = new HistoryModel();
    for (let i = 0; i < 10; i++) store.add('tick', tick(1_000_000 + i * 1000, i));
    m.beginLoad();
    m.add('tick', tick(1_010_000, 99));
    expect(m.tick).toBeNull();
    const changes: string[] = [];
    m.onChange((t) => changes.push(t));
    m.setWindow({ now: 1_009_000, sample: store.frame('sample', 300_000, 300, 1_009_000), tick: store.frame('tick', 300_000, 300, 1_009_000) });
    expect(changes).toEqual(['all']);
    expect(m.tick!.length).toBe(11);
    expect(m.now).toBe(1_010_000);
  });

  it('tells listeners which track changed', () => {
    const m = new HistoryModel();
    const store = new HistoryStore();
    m.setWindow({ now: 0, sample: store.frame('sample', 300_000, 300, 0), tick: store.frame('tick', 300_000, 300, 0) });
    const changes: string[] = [];
    m.onChange((t) => changes.push(t));
    m.add('tick', tick(5000, 1));
    expect(changes).toEqual(['tick']);
  });
});
