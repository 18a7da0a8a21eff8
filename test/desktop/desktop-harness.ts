// Starts the desktop app's wiring (createDesktopApp) on the Electron stand-in with a hand-driven monitor,
// a temporary data folder and a controllable clock.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDesktopApp, type DesktopApp, type DesktopOptions } from '../../electron/main/desktop-app.js';
import type { AttributionStatus } from '../../electron/desktop/attribution.js';
import { FakeElectron, type FakeOptions } from './fake-electron.js';
import { FakeMonitor } from './fake-monitor.js';

export const T0 = 1_700_000_000_000;

export interface Harness {
  fake: FakeElectron;
  app: DesktopApp;
  /** The monitor the app started (after ready). */
  monitor: () => FakeMonitor;
  dir: string;
  log: string[];
  now: () => number;
  advance(ms: number): void;
  cleanup(): void;
}

export interface HarnessOptions extends FakeOptions {
  platform?: NodeJS.Platform;
  argv?: string[];
  attribution?: AttributionStatus;
  minuteOfDay?: number;
  /** Files to put in the data folder before start. */
  before?: (dir: string) => void;
  rendererDir?: string;
  ready?: boolean;
  /** The remote hosts' monitors (default: the real ones over /usr/bin/ssh). */
  startHostMonitors?: DesktopOptions['startHostMonitors'];
}

/** Builds and (by default) starts the app. */
export async function startHarness(o: HarnessOptions = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'pw-desktop-'));
  o.before?.(dir);
  const fake = new FakeElectron({ ...o, userData: dir });
  let now = T0;
  let monitor: FakeMonitor | null = null;
  const log: string[] = [];
  const options: DesktopOptions = {
    argv: o.argv ?? ['electron', '.'],
    env: { XDG_CONFIG_HOME: join(dir, 'xdg') },
    platform: o.platform ?? 'linux',
    rendererDir: o.rendererDir ?? join(dir, 'renderer'),
    preloadPath: '/app/out/preload/index.cjs',
    trayIconDir: '/app/build/icons/tray',
    windowIconPath: null,
    startMonitor: (config) => (monitor = new FakeMonitor(config)),
    attribution: o.attribution ?? { kind: 'full', why: 'running as root' },
    tuning: { available: false, note: 'not in this version yet' },
    execPath: '/usr/bin/portwatch',
    log: (line) => log.push(line),
    clock: () => now,
    minuteOfDay: () => o.minuteOfDay ?? 12 * 60,
    ...(o.startHostMonitors ? { startHostMonitors: o.startHostMonitors } : {}),
  };
  const app = createDesktopApp(fake.api, options);
  if (o.ready !== false) {
    fake.ready();
    await app.ready;
  }
  return {
    fake,
    app,
    monitor: () => {
      if (!monitor) throw new Error('the app has not started its monitor');
      return monitor;
    },
    dir,
    log,
    now: () => now,
    advance: (ms) => {
      now += ms;
    },
    cleanup: () => {
      fake.quit();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
