import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AUTOSTART_FILE } from '../../electron/desktop/autostart-linux.js';
import { AutostartController, type LoginItemOs } from '../../electron/desktop/autostart-controller.js';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function os(wasOpenedAtLogin = false): LoginItemOs & { set: { openAtLogin: boolean; args?: string[] }[] } {
  const set: { openAtLogin: boolean; args?: string[] }[] = [];
  return {
    set,
    isPackaged: true,
    getAppPath: () => '/app',
    setLoginItemSettings: (s) => void set.push(s),
    getLoginItemSettings: () => ({ openAtLogin: set.at(-1)?.openAtLogin ?? false, wasOpenedAtLogin }),
  };
}

describe('autostart controller', () => {
  it('on Linux writes and removes the XDG entry and reads it back', () => {
    dir = mkdtempSync(join(tmpdir(), 'arch4-autostart-'));
    const o = os();
    const c = new AutostartController({ platform: 'linux', env: { XDG_CONFIG_HOME: dir }, execPath: '/opt/Portwatch/portwatch', os: o, log: () => undefined });
    const entry = join(dir, 'autostart', AUTOSTART_FILE);
    expect(c.enabled()).toBe(false);
    c.apply(true);
    expect(readFileSync(entry, 'utf8')).toContain('Exec=/opt/Portwatch/portwatch --hidden');
    expect(c.enabled()).toBe(true);
    c.apply(false);
    expect(existsSync(entry)).toBe(false);
    expect(o.set).toEqual([]);
  });

  it('elsewhere sets the OS login item with --hidden', () => {
    const o = os();
    const c = new AutostartController({ platform: 'win32', env: {}, execPath: 'C:\\p.exe', os: o, log: () => undefined });
    c.apply(true);
    expect(o.set).toEqual([{ openAtLogin: true, args: ['--hidden'] }]);
    expect(c.enabled()).toBe(true);
  });

  it('logs a failure instead of throwing', () => {
    const logs: string[] = [];
    const o = { ...os(), setLoginItemSettings: () => { throw new Error('denied by policy'); } };
    new AutostartController({ platform: 'darwin', env: {}, execPath: '/x', os: o, log: (l) => logs.push(l) }).apply(true);
    expect(logs).toEqual(['could not change launch at login: Error: denied by policy']);
  });

  it('knows a start at login: --hidden everywhere, and macOS\'s wasOpenedAtLogin', () => {
    const mk = (platform: NodeJS.Platform, opened: boolean) => new AutostartController({ platform, env: {}, execPath: '/x', os: os(opened), log: () => undefined });
    expect(mk('linux', false).startedHidden(['portwatch', '--hidden'])).toBe(true);
    expect(mk('linux', true).startedHidden(['portwatch'])).toBe(false);
    expect(mk('darwin', true).startedHidden(['portwatch'])).toBe(true);
    expect(mk('darwin', false).startedHidden(['portwatch'])).toBe(false);
  });
});
