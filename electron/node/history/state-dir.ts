// Where Portwatch keeps what must survive a restart (episodes, minute roll-ups): the user's state
// directory of each platform. The desktop app passes its own user-data folder instead.
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/** The state directory: $PORTWATCH_STATE_DIR when set, else $XDG_STATE_HOME/portwatch (else ~/.local/state/portwatch) on Linux, ~/Library/Application Support/Portwatch on macOS, %LOCALAPPDATA%\Portwatch on Windows. */
export function stateDirectory(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  // An explicit choice first (the desktop app sets its user-data folder; tests and services set their own).
  const chosen = env.PORTWATCH_STATE_DIR;
  if (chosen && (isAbsolute(chosen) || isAbsoluteWin(chosen))) return chosen;
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Portwatch');
  if (platform === 'win32') {
    const local = env.LOCALAPPDATA;
    return local && isAbsoluteWin(local) ? `${local.replace(/[\\/]+$/, '')}\\Portwatch` : `${home}\\AppData\\Local\\Portwatch`;
  }
  // XDG Base Directory: a relative value is invalid and must be ignored.
  const xdg = env.XDG_STATE_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(home, '.local', 'state'), 'portwatch');
}

function isAbsoluteWin(p: string): boolean {
  return /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');
}
