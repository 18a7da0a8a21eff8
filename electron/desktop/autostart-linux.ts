// Launch at login on Linux: Electron's app.setLoginItemSettings covers macOS and Windows only, so on Linux
// the app writes an XDG autostart entry ($XDG_CONFIG_HOME/autostart/io.portwatch.app.desktop) that
// starts it in the tray (--hidden), and removes it when the setting is off.
import { mkdirSync, rmSync, existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from './settings-store.js';

export const AUTOSTART_FILE = 'io.portwatch.app.desktop';
/** The argument that starts the app in the tray without opening its window. */
export const HIDDEN_ARG = '--hidden';

/** The autostart folder: $XDG_CONFIG_HOME/autostart, or ~/.config/autostart. */
export function autostartDir(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  const base = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(home, '.config');
  return join(base, 'autostart');
}

/** One argument quoted for a desktop entry's Exec key (Desktop Entry Specification, "The Exec key"). */
export function quoteExecArg(arg: string): string {
  const escaped = arg.replace(/%/g, '%%');
  if (!/[\s"'\\`$<>~|&;*?#()]/.test(escaped) && escaped !== '') return escaped;
  return `"${escaped.replace(/(["`$\\])/g, '\\$1')}"`;
}

/** The .desktop text that starts argv (the app's executable and its arguments) at login. */
export function autostartEntry(argv: readonly string[]): string {
  const exec = argv.map(quoteExecArg).join(' ');
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Portwatch',
    'Comment=Watches ephemeral-port use and warns before it runs out',
    `Exec=${exec}`,
    'Icon=portwatch',
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** Writes or removes the autostart entry. */
export function setLinuxAutostart(enabled: boolean, argv: readonly string[], dir: string = autostartDir()): void {
  const path = join(dir, AUTOSTART_FILE);
  if (!enabled) {
    rmSync(path, { force: true });
    return;
  }
  mkdirSync(dir, { recursive: true });
  writeFileAtomic(path, autostartEntry(argv));
}

/** Whether the autostart entry exists. */
export function linuxAutostartEnabled(dir: string = autostartDir()): boolean {
  return existsSync(join(dir, AUTOSTART_FILE));
}

/**
 * The command that starts this app again: the AppImage itself when running from one (its mount point
 * changes on every start), else the executable, plus the app folder when not packaged (`electron .`).
 */
export function relaunchArgv(x: { execPath: string; appImage: string | undefined; packaged: boolean; appPath: string }): string[] {
  if (x.appImage) return [x.appImage, HIDDEN_ARG];
  return x.packaged ? [x.execPath, HIDDEN_ARG] : [x.execPath, x.appPath, HIDDEN_ARG];
}
