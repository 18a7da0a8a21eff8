// Launching the real desktop app for end-to-end tests with Playwright's Electron driver (playwright-core
// `_electron`). The runtime is found without requiring the `electron` package (that would try to download
// it): findElectron(), or a packaged test build named by PORTWATCH_E2E_EXECUTABLE (CI packs one with
// `npm run dist:test`: the release fuses except --inspect, which the driver needs).
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron, type ElectronApplication } from 'playwright-core';
import { findElectron } from '../../../electron/cli/electron-runtime.js';
import type { E2eHook } from '../../../electron/main/e2e-hook.js';
import { REPO_ROOT } from '../../netns/portwatch-cli.js';

/** The executable to start and the arguments that make it Portwatch. */
export interface AppCommand {
  executablePath: string;
  args: string[];
  /** "packaged test build" or "development runtime". */
  kind: string;
}

/** What to launch, or why nothing can be launched here. */
export function appCommand(env: NodeJS.ProcessEnv = process.env): AppCommand | { missing: string } {
  const packaged = env.PORTWATCH_E2E_EXECUTABLE;
  if (packaged) return existsSync(packaged) ? { executablePath: packaged, args: [], kind: 'packaged test build' } : { missing: `PORTWATCH_E2E_EXECUTABLE=${packaged} does not exist` };
  const r = findElectron(env);
  if ('missing' in r) return { missing: `Electron's runtime is missing (${r.missing})` };
  return { executablePath: r.path, args: [REPO_ROOT], kind: 'development runtime' };
}

const command = appCommand();
/** Why the desktop end-to-end tests are skipped here, or null when they run. */
export const E2E_SKIP_REASON: string | null = 'missing' in command ? command.missing : null;

/** Says once, on stderr, that and why the suite is skipped (the one skip CI allows on machines without the runtime). */
export function announceSkip(suite: string): void {
  if (E2E_SKIP_REASON) console.warn(`SKIPPED ${suite}: ${E2E_SKIP_REASON}`);
}

/** Builds main, preload and renderer when out/main is missing (CI builds before testing). */
export function ensureDesktopBuilt(): void {
  if ('missing' in command || command.kind !== 'development runtime') return;
  if (existsSync(join(REPO_ROOT, 'out/main/index.js')) && existsSync(join(REPO_ROOT, 'out/renderer/index.html'))) return;
  execFileSync(process.execPath, [join(REPO_ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { cwd: REPO_ROOT, stdio: 'ignore', timeout: 180_000 });
}

/** A fresh data folder (settings, single-instance lock), optionally with a settings file, owned by uid. */
export function userDataDir(settings?: unknown, uid?: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'pw-desktop-e2e-'));
  if (settings !== undefined) writeFileSync(join(dir, 'settings.json'), JSON.stringify(settings));
  if (uid !== undefined) {
    chownSync(dir, uid, uid);
    if (settings !== undefined) chownSync(join(dir, 'settings.json'), uid, uid);
  }
  return dir;
}

export interface LaunchOptions {
  userData: string;
  /** A wrapper that starts the app itself (e.g. inside a namespace as another user); it gets Playwright's flags and `args`. */
  wrapper?: string;
  env?: NodeJS.ProcessEnv;
  args?: string[];
}

/** Launches the app with the end-to-end hook on. */
export async function launchApp(o: LaunchOptions): Promise<ElectronApplication> {
  if ('missing' in command) throw new Error(command.missing);
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, ...o.env })) if (v !== undefined) env[k] = v;
  env.PORTWATCH_E2E = '1';
  env.PORTWATCH_USER_DATA_DIR = o.userData;
  delete env.ELECTRON_RUN_AS_NODE;
  return _electron.launch({
    executablePath: o.wrapper ?? command.executablePath,
    args: [...(o.wrapper ? [] : command.args), ...(o.args ?? [])],
    env,
    timeout: 60_000,
  });
}

/** Reads the app's end-to-end hook in its main process. */
export function hook<R>(app: ElectronApplication, read: string): Promise<R> {
  // The function runs in Electron's main process; `read` names one E2eHook method.
  return app.evaluate(async (_electron, method) => {
    const h = (globalThis as unknown as { __portwatchE2E?: Record<string, (...a: unknown[]) => unknown> }).__portwatchE2E;
    if (!h) throw new Error('the end-to-end hook is not installed (PORTWATCH_E2E=1 missing?)');
    const [name, ...args] = method.split(':');
    return (await h[name!]!(...args.map(Number))) as never;
  }, read) as Promise<R>;
}

/** The tray as the hook reports it. */
export type TrayReport = NonNullable<ReturnType<E2eHook['tray']>>;

/** Polls until ok(value) or the time is up; the error shows the last value. */
export async function pollUntil<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < end) {
    last = await read();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(last)}`);
}

/**
 * A wrapper script that starts the app inside network namespace `ns` as user `uid` (never as root: the
 * app must not run as root). Playwright starts the wrapper with its own flags first; the wrapper pins
 * the inspector and DevTools ports (Playwright asks for port 0) to the ones forwarded from the host
 * (netns-forward.ts), since the namespace's loopback is out of the host's reach.
 */
export function namespaceWrapper(o: { ns: string; uid: number; home: string; inspectPort: number; devtoolsPort: number; app?: AppCommand }): string {
  const app = o.app ?? ('missing' in command ? null : command);
  if (!app) throw new Error(E2E_SKIP_REASON!);
  const dir = mkdtempSync(join(tmpdir(), 'pw-electron-netns-'));
  const wrapper = join(dir, 'electron-in-netns');
  mkdirSync(o.home, { recursive: true });
  chownSync(o.home, o.uid, o.uid);
  const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  writeFileSync(
    wrapper,
    [
      '#!/bin/sh',
      `export HOME=${q(o.home)} XDG_RUNTIME_DIR=${q(o.home)} XDG_CONFIG_HOME=${q(`${o.home}/.config`)}`,
      // Rebuild the argument list with the pinned ports (the for list is expanded before `set --`).
      'first=1',
      'for a in "$@"; do',
      '  if [ "$first" = 1 ]; then set --; first=0; fi',
      '  case "$a" in',
      `    --inspect=0) a=--inspect=127.0.0.1:${o.inspectPort} ;;`,
      `    --remote-debugging-port=0) a=--remote-debugging-port=${o.devtoolsPort} ;;`,
      '  esac',
      '  set -- "$@" "$a"',
      'done',
      `exec ip netns exec ${q(o.ns)} setpriv --reuid=${o.uid} --regid=${o.uid} --clear-groups -- ${q(app.executablePath)} "$@" ${app.args.map(q).join(' ')}`,
      '',
    ].join('\n'),
  );
  chmodSync(wrapper, 0o755);
  return wrapper;
}

/** The unprivileged user the app runs as inside a namespace: the one who ran sudo, else nobody. */
export function unprivilegedUid(env: NodeJS.ProcessEnv = process.env): number {
  const sudo = Number(env.SUDO_UID);
  return Number.isInteger(sudo) && sudo > 0 ? sudo : 65534;
}
