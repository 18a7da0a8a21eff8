import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { MonitorConfig } from '../../electron/desktop/monitor-config.js';
import { MUTE_MS, SettingsController } from '../../electron/desktop/settings-controller.js';
import { readSettingsFile } from '../../electron/desktop/settings-store.js';

const T0 = 1_700_000_000_000;
let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function controller(before?: (dir: string) => void) {
  dir = mkdtempSync(join(tmpdir(), 'arch4-settings-'));
  before?.(dir);
  let now = T0;
  const seen = { logs: [] as string[], notices: [] as [string, string][], configs: [] as MonitorConfig[], logins: [] as boolean[], changed: 0, hosts: [] as (readonly string[])[] };
  const c = new SettingsController(dir, () => now, {
    log: (l) => seen.logs.push(l),
    notify: (t, b) => seen.notices.push([t, b]),
    monitorConfig: (cfg) => seen.configs.push(cfg),
    launchAtLogin: (e) => seen.logins.push(e),
    changed: () => seen.changed++,
    hosts: (list) => seen.hosts.push(list),
  });
  return { c, seen, advance: (ms: number) => (now += ms) };
}

describe('settings controller', () => {
  it('loads defaults and writes the file when there is none, telling nobody', () => {
    const { c, seen } = controller();
    expect(c.current()).toBeNull();
    expect(c.load().notifications.enabled).toBe(true);
    expect(JSON.parse(readFileSync(c.path, 'utf8')).schema).toBe(1);
    expect(seen.notices).toEqual([]);
  });

  it('repairs a bad file: logs every problem and tells the user once, naming the first and how many more', () => {
    const { c, seen } = controller((d) => writeFileSync(join(d, 'settings.json'), JSON.stringify({ schema: 1, sampling: { cpuBudget: 9 }, notifications: { minIntervalSec: -1 } })));
    c.load();
    expect(seen.logs.length).toBe(2);
    expect(seen.notices).toHaveLength(1);
    expect(seen.notices[0]![0]).toBe('Portwatch: settings repaired');
    expect(seen.notices[0]![1]).toMatch(/^settings\.json: sampling\.cpuBudget: .* \(and 1 more\); defaults are used instead\. The old file is kept as .*settings\.corrupt-.*\.json\.$/);
  });

  it('mutes for an hour from now and unmutes, saving each change', () => {
    const { c, seen, advance } = controller();
    c.load();
    c.toggleMute();
    expect(c.mutedUntil()).toBe(T0 + MUTE_MS);
    expect(JSON.parse(readFileSync(c.path, 'utf8')).notifications.mutedUntil).toBe(T0 + MUTE_MS);
    c.toggleMute();
    expect(c.mutedUntil()).toBeNull();
    c.toggleMute();
    advance(MUTE_MS);
    expect(c.mutedUntil()).toBeNull(); // expired: the next click mutes again
    expect(seen.changed).toBe(3);
  });

  it('applies a clean hand edit: the monitor gets only a change of what it uses, the OS only a change of launch at login', () => {
    const { c, seen } = controller();
    const s = c.load();
    c.onFile({ kind: 'parsed', settings: { ...s, notifications: { ...s.notifications, enabled: false } }, problems: [], text: '' });
    expect(seen.configs).toEqual([]);
    expect(seen.logins).toEqual([]);
    expect(c.value.notifications.enabled).toBe(false);
    c.onFile({ kind: 'parsed', settings: { ...s, sampling: { cpuBudget: 0.05 }, launchAtLogin: true }, problems: [], text: '' });
    expect(seen.configs).toEqual([{ cpuBudget: 0.05, analysis: s.analysis, allNamespaces: null }]);
    expect(seen.logins).toEqual([true]);
    expect(seen.changed).toBe(2);
    // The all-namespaces setting reaches the monitor, which starts or stops its host-wide watch.
    c.onFile({ kind: 'parsed', settings: { ...s, sampling: { cpuBudget: 0.05 }, launchAtLogin: true, allNamespaces: false }, problems: [], text: '' });
    expect(seen.configs.at(-1)).toEqual({ cpuBudget: 0.05, analysis: s.analysis, allNamespaces: false });
  });

  it('refuses a bad or removed file, keeps the running settings and says why', () => {
    const { c, seen } = controller();
    const s = c.load();
    c.onFile({ kind: 'corrupt', problem: 'settings.json: not valid JSON' });
    c.onFile({ kind: 'missing' });
    c.onFile({ kind: 'parsed', settings: { ...s, launchAtLogin: true }, problems: ['settings.json: a', 'settings.json: b'], text: '' });
    expect(c.value).toEqual(s);
    expect(seen.notices.map(([t]) => t)).toEqual(Array(3).fill('Portwatch: settings not applied'));
    expect(seen.notices.map(([, b]) => b)).toEqual([
      'settings.json: not valid JSON. The previous settings stay in effect.',
      'file removed. The previous settings stay in effect.',
      'settings.json: a (and 1 more). The previous settings stay in effect.',
    ]);
    expect(seen.logins).toEqual([]);
  });

  it('logs a failed save and runs on with the new settings', () => {
    const { c, seen } = controller();
    c.load();
    rmSync(dir, { recursive: true });
    writeFileSync(dir, 'not a folder');
    c.setLaunchAtLogin(true);
    expect(c.value.launchAtLogin).toBe(true);
    expect(seen.logs[0]).toContain(`could not save ${c.path}`);
    rmSync(dir);
  });

  it('follows hand edits and ignores its own writes', async () => {
    const { c, seen } = controller();
    c.load();
    const stop = c.watch();
    try {
      c.toggleMute(); // our own write: no reload
      const edited = JSON.parse(readFileSync(c.path, 'utf8'));
      edited.sampling.cpuBudget = 0.04;
      writeFileSync(c.path, JSON.stringify(edited));
      const end = Date.now() + 5000;
      while (seen.configs.length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
      expect(seen.configs).toEqual([{ cpuBudget: 0.04, analysis: edited.analysis, allNamespaces: null }]);
      expect(c.mutedUntil()).toBe(T0 + MUTE_MS);
    } finally {
      stop();
    }
    expect(readSettingsFile(dir).kind).toBe('parsed');
    expect(readdirSync(dir)).toEqual(['settings.json']);
  });

  it('passes a new host list on, from the tray (saved) or a hand edit, and refuses a hand edit with a bad host', () => {
    const { c, seen } = controller();
    c.load();
    c.setHosts(['lb1', 'ops@lb2:2222']);
    expect(JSON.parse(readFileSync(c.path, 'utf8')).hosts).toEqual(['lb1', 'ops@lb2:2222']);
    c.onFile(readAfterEdit({ ...c.value, hosts: ['ops@lb2:2222'] }));
    expect(seen.hosts).toEqual([['lb1', 'ops@lb2:2222'], ['ops@lb2:2222']]);
    c.onFile(readAfterEdit({ ...c.value, hosts: ['ops@lb2:2222', '-oProxyCommand=x'] }));
    expect(seen.hosts).toHaveLength(2);
    expect(seen.notices.at(-1)![1]).toContain('hosts[1]: SSH host "-oProxyCommand=x": starts with "-"');
    expect(c.value.hosts).toEqual(['ops@lb2:2222']);
  });

  /** The file rewritten by hand with `value`, as the watcher would read it. */
  function readAfterEdit(value: unknown) {
    writeFileSync(join(dir, 'settings.json'), JSON.stringify(value));
    return readSettingsFile(dir);
  }
});
