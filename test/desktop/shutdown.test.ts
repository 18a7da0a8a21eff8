import { describe, expect, it } from 'vitest';
import { ShutdownController } from '../../electron/desktop/shutdown.js';

const quitEvent = () => {
  const e = { prevented: 0, preventDefault: () => void e.prevented++ };
  return e;
};

describe('shutdown controller', () => {
  it('holds the first quit, undoes every step newest first (async ones awaited), then quits once more', async () => {
    const logs: string[] = [];
    const order: string[] = [];
    const s = new ShutdownController((l) => logs.push(l));
    s.add('monitor', async () => {
      await new Promise((r) => setTimeout(r, 5));
      order.push('monitor');
    });
    s.add('tray', () => void order.push('tray'));
    s.add('broken', () => {
      throw new Error('already gone');
    });
    s.add('watcher', () => void order.push('watcher'));
    let quits = 0;
    const first = quitEvent();
    s.willQuit(first, () => quits++);
    expect(first.prevented).toBe(1);
    const second = quitEvent();
    s.willQuit(second, () => quits++); // a quit while closing waits for the same run
    expect(second.prevented).toBe(1);
    while (!s.finished) await new Promise((r) => setTimeout(r, 1));
    expect(order).toEqual(['watcher', 'tray', 'monitor']);
    expect(logs).toEqual(['while quitting, broken failed: Error: already gone']);
    expect(quits).toBe(1);
    const last = quitEvent();
    s.willQuit(last, () => quits++);
    expect(last.prevented).toBe(0); // the real quit goes through
    expect(quits).toBe(1);
  });

  it('runs each step once', async () => {
    const s = new ShutdownController(() => undefined);
    let n = 0;
    s.add('x', () => void n++);
    await s.run();
    await s.run();
    expect(n).toBe(1);
  });
});
