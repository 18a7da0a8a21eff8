// A new reading refreshes the connection list's rows in view without blanking them: the rows already
// shown stay until their fresh page arrives (they used to turn into "…" at every sample, which a user
// saw as the table flashing and the browser test once read).
import { afterEach, describe, expect, it } from 'vitest';
import { flushSync, mount, tick, unmount } from 'svelte';
import type { Connection, ConnectionPage, ConnectionQuery } from '../../electron/common/connections.js';
import Harness from './connection-list-harness.svelte';

const row = (n: number, state: Connection['state']): Connection => ({
  protocol: 'TCP', localAddress: '10.0.0.1', localPort: 40000 + n, remoteAddress: '10.0.0.9', remotePort: 443,
  state, pid: 7, process: 'app', namespace: '', timeWaitLeftMs: null, ageMs: null,
});
const page = (q: ConnectionQuery, state: Connection['state']): ConnectionPage => ({
  time: 1, total: 3, matched: 3, offset: q.offset ?? 0, unavailable: null,
  rows: [0, 1, 2].slice(q.offset ?? 0, (q.offset ?? 0) + (q.limit ?? 3)).map((n) => row(n, state)),
});

// jsdom lays nothing out (the viewport measures 0 px, so one row is in view); the list needs the observer to exist.
globalThis.ResizeObserver ??= class {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
} as unknown as typeof ResizeObserver;

let mounted: Record<string, unknown> | null = null;
afterEach(() => {
  if (mounted) unmount(mounted);
  mounted = null;
  document.body.innerHTML = '';
});

const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) {
    await tick();
    await new Promise((r) => setTimeout(r, 0));
  }
  flushSync();
};
const cells = (target: HTMLElement): string[] => [...target.querySelectorAll('tbody tr[data-row]')].map((tr) => tr.textContent!.replace(/\s+/g, ' ').trim());

describe('the connection list on a new reading', () => {
  it('keeps the rows in view until the fresh page replaces them', async () => {
    let answer: (q: ConnectionQuery) => Promise<ConnectionPage> = async (q) => page(q, 'ESTABLISHED');
    const target = document.createElement('div');
    document.body.appendChild(target);
    const m = mount(Harness as never, { target, props: { query: (q: ConnectionQuery) => answer(q) } }) as Record<string, unknown> & { newReading(): void };
    mounted = m;
    await settle();
    expect(cells(target).length).toBeGreaterThan(0);
    expect(cells(target).every((c) => c.includes('ESTABLISHED'))).toBe(true);

    // The next reading's page is slow to come: the old rows stay meanwhile, never "…".
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    answer = async (q) => {
      await gate;
      return page(q, 'TIME-WAIT');
    };
    m.newReading();
    await settle();
    expect(cells(target).length).toBeGreaterThan(0);
    expect(cells(target).every((c) => c.includes('ESTABLISHED'))).toBe(true);

    release();
    await settle();
    expect(cells(target).every((c) => c.includes('TIME-WAIT'))).toBe(true);
  });
});
