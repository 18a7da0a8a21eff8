import { describe, expect, it } from 'vitest';
import { TRAY_ICON_NAMES } from '../../electron/desktop/tray-state.js';
import { TrayController, trayIconPath, trayMenuTemplate, type TrayActions, type TrayMenuState } from '../../electron/main/tray.js';
import { FakeElectron } from '../desktop/fake-electron.js';

const actions = (): TrayActions & { calls: string[] } => {
  const calls: string[] = [];
  const a = Object.fromEntries(['open', 'togglePause', 'openTuning', 'toggleMute', 'toggleLaunchAtLogin', 'explainAttribution', 'openSettingsFile', 'openLogFolder', 'quit'].map((k) => [k, () => calls.push(k)])) as unknown as TrayActions;
  return Object.assign(a, { calls });
};
const menu: TrayMenuState = { paused: false, mutedUntil: null, launchAtLogin: false, tuning: { available: false, note: 'not in this version yet' }, attribution: { kind: 'full', why: '' } };
const state = { icon: 'ok' as const, severity: 'ok' as const, tooltip: 't', statusLine: 'Ok: 10.0.3.7:5432 — 20 % of ports in use', episodeLine: null };

describe('tray', () => {
  it('has an icon per severity and for paused, per platform', () => {
    expect(TRAY_ICON_NAMES).toEqual(['unknown', 'ok', 'warning', 'critical', 'exhausted', 'paused']);
    expect(trayIconPath('/i', 'critical', 'linux')).toBe('/i/critical-22.png');
    expect(trayIconPath('/i', 'critical', 'win32')).toBe('/i/critical-16.png');
    expect(trayIconPath('/i', 'critical', 'darwin')).toBe('/i/criticalTemplate.png');
  });

  it('offers open, pause/resume, the tuning wizard (disabled with a note), mute, launch at login, settings, the log folder and quit', () => {
    const t = trayMenuTemplate(state, menu, actions());
    expect(t.map((i) => i.label ?? `-${i.type}`)).toEqual([
      'Ok: 10.0.3.7:5432 — 20 % of ports in use',
      '-separator',
      'Open Portwatch',
      'Pause sampling',
      'Tuning wizard… (not in this version yet)',
      '-separator',
      'Watch a remote host… (settings file)',
      '-separator',
      'Mute notifications for an hour',
      'Launch at login',
      'Open settings file',
      'Open log folder',
      '-separator',
      'Quit Portwatch',
    ]);
    expect(t[0]!.enabled).toBe(false);
    expect(t[4]!.enabled).toBe(false);
    const paused = trayMenuTemplate(state, { ...menu, paused: true, mutedUntil: '14:05', launchAtLogin: true, tuning: { available: true } }, actions());
    expect(paused.map((i) => i.label)).toContain('Resume sampling');
    expect(paused.map((i) => i.label)).toContain('Unmute notifications (muted until 14:05)');
    expect(paused.find((i) => i.label === 'Launch at login')!.checked).toBe(true);
    expect(paused.find((i) => i.label === 'Tuning wizard…')!.enabled).not.toBe(false);
  });

  it('shows the last episode under the status line, not clickable', () => {
    const t = trayMenuTemplate({ ...state, episodeLine: 'Last episode: critical at 14:03:07 for 60 s, peak 100 % toward 127.0.0.1:8080' }, menu, actions());
    expect(t[1]).toEqual({ label: 'Last episode: critical at 14:03:07 for 60 s, peak 100 % toward 127.0.0.1:8080', enabled: false });
    expect(t[2]!.type).toBe('separator');
  });

  it('wires each item to its action', () => {
    const a = actions();
    const t = trayMenuTemplate(state, { ...menu, attribution: { kind: 'own-processes', why: 'w', missing: 'm' } }, a);
    for (const i of t) if (i.click && i.enabled !== false) (i.click as () => void)();
    expect(a.calls).toEqual(['explainAttribution', 'open', 'togglePause', 'openSettingsFile', 'toggleMute', 'toggleLaunchAtLogin', 'openSettingsFile', 'openLogFolder', 'quit']);
  });

  it('lists the remote hosts with their state, each with move and remove, in list order', () => {
    const calls: string[] = [];
    const a = Object.assign(actions(), { moveHost: (h: string, d: number) => calls.push(`move ${h} ${d}`), removeHost: (h: string) => calls.push(`remove ${h}`) });
    const hosts = [{ label: 'lb1', line: 'lb1 — critical' }, { label: 'ops@lb2:2222', line: 'ops@lb2:2222 — unknown' }];
    const t = trayMenuTemplate(state, { ...menu, hosts }, a);
    const labels = t.map((i) => i.label ?? `-${i.type}`);
    expect(labels.slice(labels.indexOf('lb1 — critical'), labels.indexOf('lb1 — critical') + 3)).toEqual(['lb1 — critical', 'ops@lb2:2222 — unknown', 'Add a remote host… (settings file)']);
    const sub = (i: number) => t.find((x) => x.label === hosts[i]!.line)!.submenu as { label: string; enabled?: boolean; click: () => void }[];
    expect(sub(0).map((x) => [x.label, x.enabled ?? true])).toEqual([['Move up', false], ['Move down', true], ['Remove from Portwatch', true]]);
    expect(sub(1).map((x) => [x.label, x.enabled ?? true])).toEqual([['Move up', true], ['Move down', false], ['Remove from Portwatch', true]]);
    sub(0)[1]!.click();
    sub(1)[0]!.click();
    sub(1)[2]!.click();
    expect(calls).toEqual(['move lb1 1', 'move ops@lb2:2222 -1', 'remove ops@lb2:2222']);
  });

  it('touches the OS tray only for what changed', () => {
    const fake = new FakeElectron();
    const c = new TrayController(fake.api, '/i', 'linux', actions());
    c.update(state, menu);
    c.update(state, menu);
    expect(fake.tray.images).toEqual(['/i/unknown-22.png', '/i/ok-22.png']);
    expect(fake.tray.tooltips).toEqual(['t']);
    expect(fake.tray.menusSet).toBe(1);
    c.update({ ...state, icon: 'warning', severity: 'warning' }, { ...menu, paused: true });
    expect(fake.tray.images.at(-1)).toBe('/i/warning-22.png');
    expect(fake.tray.menusSet).toBe(2);
  });

  it('opens the window on a left click', () => {
    const fake = new FakeElectron();
    const a = actions();
    new TrayController(fake.api, '/i', 'win32', a);
    fake.tray.emit('click');
    expect(a.calls).toEqual(['open']);
  });
});
