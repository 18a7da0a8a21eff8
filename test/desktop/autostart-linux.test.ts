import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUTOSTART_FILE, autostartDir, autostartEntry, linuxAutostartEnabled, quoteExecArg, relaunchArgv, setLinuxAutostart } from '../../electron/desktop/autostart-linux.js';

describe('Linux autostart', () => {
  it('uses $XDG_CONFIG_HOME when absolute, else ~/.config', () => {
    expect(autostartDir({ XDG_CONFIG_HOME: '/x/cfg' }, '/home/u')).toBe('/x/cfg/autostart');
    expect(autostartDir({ XDG_CONFIG_HOME: 'relative' }, '/home/u')).toBe('/home/u/.config/autostart');
    expect(autostartDir({}, '/home/u')).toBe('/home/u/.config/autostart');
  });

  it('quotes Exec arguments as the Desktop Entry Specification asks', () => {
    expect(quoteExecArg('/opt/Portwatch/portwatch')).toBe('/opt/Portwatch/portwatch');
    expect(quoteExecArg('/home/me/My Apps/Portwatch.AppImage')).toBe('"/home/me/My Apps/Portwatch.AppImage"');
    expect(quoteExecArg('a"b$c`d\\e')).toBe('"a\\"b\\$c\\`d\\\\e"');
    expect(quoteExecArg('100%')).toBe('100%%');
    expect(quoteExecArg('')).toBe('""');
  });

  it('starts the AppImage itself (its mount point changes), the executable when packaged, electron + app folder in development', () => {
    expect(relaunchArgv({ execPath: '/tmp/.mount_x/portwatch', appImage: '/home/u/Portwatch.AppImage', packaged: true, appPath: '/a' })).toEqual(['/home/u/Portwatch.AppImage', '--hidden']);
    expect(relaunchArgv({ execPath: '/opt/Portwatch/portwatch', appImage: undefined, packaged: true, appPath: '/a' })).toEqual(['/opt/Portwatch/portwatch', '--hidden']);
    expect(relaunchArgv({ execPath: '/n/electron', appImage: undefined, packaged: false, appPath: '/src' })).toEqual(['/n/electron', '/src', '--hidden']);
  });

  it('writes and removes the entry', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'pw-autostart-')), 'autostart');
    try {
      expect(linuxAutostartEnabled(dir)).toBe(false);
      setLinuxAutostart(true, ['/opt/Portwatch/portwatch', '--hidden'], dir);
      const text = readFileSync(join(dir, AUTOSTART_FILE), 'utf8');
      expect(text).toBe(autostartEntry(['/opt/Portwatch/portwatch', '--hidden']));
      expect(text).toMatch(/^\[Desktop Entry\]\nType=Application\n/);
      expect(text).toContain('Exec=/opt/Portwatch/portwatch --hidden\n');
      expect(linuxAutostartEnabled(dir)).toBe(true);
      setLinuxAutostart(false, [], dir);
      expect(existsSync(join(dir, AUTOSTART_FILE))).toBe(false);
      setLinuxAutostart(false, [], dir); // removing twice is fine
    } finally {
      rmSync(join(dir, '..'), { recursive: true, force: true });
    }
  });
});
