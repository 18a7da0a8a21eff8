// Where the helper reads and writes, and the test hooks. Defaults are the real system. Overrides come
// from PORTWATCH_HELPER_* variables and are honoured only when the helper was NOT started through pkexec
// or sudo: pkexec clears the environment and sudo resets it, and the helper refuses overrides whenever
// it sees either one's marker variables. So an override only ever serves a caller who already had the
// same rights (root running it directly, as tests do), never someone asking for elevation.

/** The helper's file system roots. */
export interface HelperPaths {
  /** procfs (sysctls under PROC/sys, listeners under PROC/net). */
  proc: string;
  /** The root of the sysctl configuration tree (etc/sysctl.d, run/sysctl.d, usr/lib/sysctl.d …). */
  configRoot: string;
  /** Journal, lock and history. */
  stateDir: string;
}

/** Hooks that exist only for the kill-at-step and failed-write tests. */
export interface TestHooks {
  /** SIGKILL the helper itself when it reaches this step (see checkpoints.ts). */
  killAt: string | null;
  /** Skip the checks against the live system, so that the kernel itself refuses a value. */
  skipLiveChecks: boolean;
}

/** The real system (Linux). */
export const DEFAULT_HELPER_PATHS: HelperPaths = { proc: '/proc', configRoot: '/', stateDir: '/var/lib/portwatch' };

/** %ProgramFiles% when it is a plain absolute path, else the usual C:\Program Files. */
export function programFilesOf(env: NodeJS.ProcessEnv): string {
  const p = env.ProgramFiles ?? env.PROGRAMFILES;
  return p && /^[A-Za-z]:\\[^"<>|?*%$`]*[^\\"<>|?*%$`]$/.test(p) ? p : 'C:\\Program Files';
}

/**
 * The real system of each platform. macOS keeps the journal in /var/db/portwatch (root only, as Apple's
 * own daemons keep state in /var/db). Windows keeps it under %ProgramFiles%\Portwatch, where standard
 * users can read but neither create nor change anything (under %ProgramData% they could create files
 * and plant a journal before the helper ever ran).
 */
export function defaultHelperPaths(platform: NodeJS.Platform, env: NodeJS.ProcessEnv = {}): HelperPaths {
  if (platform === 'darwin') return { proc: '/proc', configRoot: '/', stateDir: '/var/db/portwatch' };
  if (platform === 'win32') return { proc: '', configRoot: '', stateDir: `${programFilesOf(env)}\\Portwatch\\helper-state` };
  return DEFAULT_HELPER_PATHS;
}

const ELEVATION_MARKERS = ['PKEXEC_UID', 'SUDO_UID', 'SUDO_USER', 'SUDO_COMMAND'];

/** Paths and hooks for this run, the uid that asked for it (from pkexec or sudo), or a refusal naming the variable. */
export function helperConfigFromEnv(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
): { ok: true; paths: HelperPaths; hooks: TestHooks; invokingUid: number | null } | { ok: false; error: string } {
  const elevated = ELEVATION_MARKERS.some((k) => env[k] !== undefined);
  const invokingUid = uidFrom(env.PKEXEC_UID) ?? uidFrom(env.SUDO_UID);
  const paths: HelperPaths = { ...defaultHelperPaths(platform, env) };
  const hooks: TestHooks = { killAt: null, skipLiveChecks: false };
  const overrides: [keyof HelperPaths, string][] = [
    ['proc', 'PORTWATCH_HELPER_PROC'],
    ['configRoot', 'PORTWATCH_HELPER_CONFIG_ROOT'],
    ['stateDir', 'PORTWATCH_HELPER_STATE_DIR'],
  ];
  const hookVars = ['PORTWATCH_HELPER_KILL_AT', 'PORTWATCH_HELPER_SKIP_LIVE_CHECKS'];
  const given = [...overrides.map(([, v]) => v), ...hookVars].filter((v) => env[v] !== undefined);
  if (given.length === 0) return { ok: true, paths, hooks, invokingUid };
  if (elevated) return { ok: false, error: `${given[0]} is not accepted when the helper runs through pkexec or sudo` };
  for (const [field, name] of overrides) {
    const v = env[name];
    if (v === undefined) continue;
    if (!v.startsWith('/') || v.includes('\0')) return { ok: false, error: `${name} must be an absolute path, got ${JSON.stringify(v.slice(0, 60))}` };
    paths[field] = v;
  }
  // Test hooks also need a test state directory: they can never fire against the real journal.
  const testMode = env.PORTWATCH_HELPER_STATE_DIR !== undefined;
  const kill = env.PORTWATCH_HELPER_KILL_AT;
  if (kill !== undefined) {
    if (!testMode) return { ok: false, error: 'PORTWATCH_HELPER_KILL_AT needs PORTWATCH_HELPER_STATE_DIR (tests only)' };
    if (!/^[a-z0-9-]{1,40}$/.test(kill)) return { ok: false, error: `PORTWATCH_HELPER_KILL_AT: not a step name: ${JSON.stringify(kill.slice(0, 60))}` };
    hooks.killAt = kill;
  }
  if (env.PORTWATCH_HELPER_SKIP_LIVE_CHECKS !== undefined) {
    if (!testMode) return { ok: false, error: 'PORTWATCH_HELPER_SKIP_LIVE_CHECKS needs PORTWATCH_HELPER_STATE_DIR (tests only)' };
    hooks.skipLiveChecks = env.PORTWATCH_HELPER_SKIP_LIVE_CHECKS === '1';
  }
  return { ok: true, paths, hooks, invokingUid };
}

function uidFrom(v: string | undefined): number | null {
  return v !== undefined && /^\d{1,10}$/.test(v) ? Number(v) : null;
}

