import { describe, expect, it } from 'vitest';
import { NotificationController, SHOWN_KEPT } from '../../electron/desktop/notification-controller.js';
import { defaultSettings } from '../../electron/desktop/settings.js';
import { severitySample } from './samples.js';

const T0 = 1_700_000_000_000;

function controller(minute = 12 * 60) {
  let now = T0;
  const os: { title: string; body: string; destinationKey: string | null }[] = [];
  const c = new NotificationController((d) => os.push(d), () => now, () => minute);
  return { c, os, advance: (ms: number) => (now += ms), now: () => now };
}

describe('notification controller', () => {
  it('shows what the policy decides and remembers it', () => {
    const { c, os, now } = controller();
    const s = defaultSettings().notifications;
    c.observe(severitySample(now(), 'ok', 0.1), s);
    c.observe(severitySample(now(), 'critical', 0.96, 240), s);
    expect(os).toEqual([{ kind: 'upward', severity: 'critical', title: 'Portwatch: ephemeral ports nearly exhausted', body: '10.0.3.7:5432 — 96 % of ports in use, about 4 min left', destinationKey: '|10.0.0.1|10.0.3.7|5432' }]);
    expect(c.shown()).toEqual(os);
  });

  it('judges each listed host on its own and names it; a host removed from the list starts again from "all is well"', () => {
    const { c, os, now } = controller();
    const s = defaultSettings().notifications;
    c.observe(severitySample(now(), 'critical', 0.96, 240), s);
    c.observeHost('ops@lb2:2222', severitySample(now(), 'critical', 0.96, 240), s);
    c.observeHost('lb1', { ...severitySample(now(), 'ok', 0.1), severity: 'unknown', severityReason: 'Unreachable since …' }, s);
    c.observeHost('ops@lb2:2222', severitySample(now(), 'critical', 0.97, 200), s); // told already
    expect(os.map((d) => [d.title, (d as { host?: string }).host ?? null])).toEqual([
      ['Portwatch: ephemeral ports nearly exhausted', null],
      ['Portwatch: ephemeral ports nearly exhausted on ops@lb2:2222', 'ops@lb2:2222'],
    ]);
    expect(os[1]!.body).toBe('ops@lb2:2222: 10.0.3.7:5432 — 96 % of ports in use, about 4 min left');
    c.keepHosts(['lb1']);
    c.observeHost('ops@lb2:2222', severitySample(now(), 'critical', 0.96, 240), s);
    expect(os).toHaveLength(3);
  });

  it('passes the local time of the clock to quiet hours', () => {
    const { c, os, now } = controller(23 * 60);
    const s = { ...defaultSettings().notifications, quietHours: { enabled: true, start: '22:00', end: '07:00' } };
    c.observe(severitySample(now(), 'critical', 0.96), s);
    expect(os).toEqual([]);
  });

  it('keeps the last SHOWN_KEPT severity notifications, and notices go to the OS without counting', () => {
    const { c, os, advance, now } = controller();
    const s = { ...defaultSettings().notifications, minIntervalSec: 10 };
    for (let i = 0; i < SHOWN_KEPT + 5; i++) {
      c.observe(severitySample(now(), i % 2 ? 'ok' : 'critical', i % 2 ? 0.1 : 0.95), s);
      advance(10_000);
    }
    expect(c.shown()).toHaveLength(SHOWN_KEPT);
    expect(c.shown()[0]).toBe(os[5]);
    c.notice('Portwatch: settings not applied', 'file removed');
    expect(os.at(-1)).toEqual({ title: 'Portwatch: settings not applied', body: 'file removed', destinationKey: null });
    expect(c.shown()).toHaveLength(SHOWN_KEPT);
  });
});
