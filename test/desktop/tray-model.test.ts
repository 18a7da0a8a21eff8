import { describe, expect, it } from 'vitest';
import { clockText, TrayModel } from '../../electron/desktop/tray-model.js';
import { defaultSettings } from '../../electron/desktop/settings.js';
import { severitySample } from './samples.js';

const T0 = 1_700_000_000_000;

describe('tray model', () => {
  it('draws the latest sample, a monitor problem over it, and remembers the last state', () => {
    const m = new TrayModel({ attribution: { kind: 'full', why: 'root' }, tuning: { available: true }, clock: () => T0 });
    expect(m.lastState()).toBeNull();
    const s = defaultSettings();
    expect(m.view(false, s).state.statusLine).toBe('Waiting for the first reading');
    m.sample(severitySample(T0, 'warning', 0.8, 600));
    expect(m.view(false, s).state.icon).toBe('warning');
    m.monitorProblem('the monitor process ended');
    const v = m.view(false, s);
    expect(v.state).toMatchObject({ icon: 'unknown', statusLine: 'Not monitoring: the monitor process ended' });
    expect(m.lastState()).toBe(v.state);
    m.monitorProblem(null);
    expect(m.view(true, s).state.icon).toBe('paused');
  });

  it('builds the menu state: pause, mute until (only while in the future), login, tuning note, attribution', () => {
    let now = T0;
    const attribution = { kind: 'own-processes' as const, why: 'w', missing: 'm' };
    const m = new TrayModel({ attribution, tuning: { available: false, note: 'not here' }, clock: () => now });
    const s = defaultSettings();
    const muted = { ...s, launchAtLogin: true, notifications: { ...s.notifications, mutedUntil: T0 + 3_600_000 } };
    expect(m.view(true, muted).menu).toEqual({ paused: true, mutedUntil: clockText(T0 + 3_600_000), launchAtLogin: true, tuning: { available: false, note: 'not here' }, attribution });
    now = T0 + 3_600_000;
    expect(m.view(false, muted).menu.mutedUntil).toBeNull();
    expect(m.view(false, muted).state.tooltip).toContain('Owners: your processes only');
  });

  it('adds the newest episode once the monitor gives its source', () => {
    const m = new TrayModel({ attribution: { kind: 'full', why: 'root' }, tuning: { available: true }, clock: () => T0 });
    const s = defaultSettings();
    expect(m.view(false, s).state.episodeLine).toBeNull();
    const episode = { id: 'e1', start: T0 - 120_000, end: T0 - 60_000, lastSeen: T0 - 60_000, peakSeverity: 'critical' as const, peakTime: T0 - 90_000, peakUtilization: 0.97, worstDestination: '10.0.3.7:5432', cause: 'c' };
    m.episodes({ get: () => episode });
    const v = m.view(false, s);
    expect(v.state.episodeLine).toMatch(/^Last episode: critical/);
    expect(v.state.tooltip.split('\n')[2]).toMatch(/^Last episode: critical/);
  });

  it('prints local HH:MM', () => {
    const d = new Date(2026, 0, 2, 7, 5);
    expect(clockText(d.getTime())).toBe('07:05');
  });
});
