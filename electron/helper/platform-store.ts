// Chooses the settings store of the platform the helper runs on, in one place.
import { systemRootOf } from '../common/win32-paths.js';
import { execRunner, type HelperRunner } from './command-runner.js';
import { createDarwinStore } from './darwin-store.js';
import type { HelperPaths } from './helper-config.js';
import { createLinuxStore } from './linux-store.js';
import type { SettingsStore } from './settings-store.js';
import { createWin32Store } from './win32-store.js';

/** The store for `platform`; `runner` runs sysctl, netsh and reg (tests inject a fake one). */
export function createPlatformStore(platform: NodeJS.Platform, paths: HelperPaths, env: NodeJS.ProcessEnv, runner: HelperRunner = execRunner): SettingsStore | null {
  if (platform === 'linux') return createLinuxStore(paths);
  if (platform === 'darwin') return createDarwinStore({ runner, configRoot: paths.configRoot });
  if (platform === 'win32') return createWin32Store({ runner, systemRoot: systemRootOf(env) });
  return null;
}

/**
 * Whether this Windows process runs elevated: `whoami /groups` lists the mandatory label of the token by
 * SID, the same in every language (S-1-16-12288 high, S-1-16-16384 system).
 */
export async function isElevatedWin32(env: NodeJS.ProcessEnv, runner: HelperRunner = execRunner): Promise<boolean> {
  try {
    const r = await runner(`${systemRootOf(env)}\\System32\\whoami.exe`, ['/groups']);
    return r.exitCode === 0 && /S-1-16-(12288|16384)\b/.test(r.stdout.toString('latin1'));
  } catch {
    return false;
  }
}
