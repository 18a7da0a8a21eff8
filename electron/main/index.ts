// The desktop app's entry point (out/main/index.js): the only module that imports Electron's main API.
// It hands the API to createDesktopApp, which the tests drive with a stand-in under Node.
import * as electron from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { APP_INDEX_URL, rendererDirBeside } from '../desktop/app-files.js';
import { currentAttributionStatus } from '../desktop/attribution.js';
import { createDesktopApp } from './desktop-app.js';
import type { ElectronApi } from './electron-api.js';
import { installE2eHook } from './e2e-hook.js';
import { chosenMonitorProcess, startMonitor } from './monitor-process.js';

// The compiler checks here that Electron's real API satisfies the narrow interfaces the app is written against.
const api: ElectronApi = electron;
const mainDir = fileURLToPath(new URL('.', import.meta.url));
const appRoot = electron.app.getAppPath();
const where = chosenMonitorProcess(process.env);

const desktop = createDesktopApp(api, {
  argv: process.argv,
  env: process.env,
  platform: process.platform,
  rendererDir: rendererDirBeside(mainDir),
  preloadPath: join(mainDir, '..', 'preload', 'index.cjs'),
  trayIconDir: join(appRoot, 'build', 'icons', 'tray'),
  windowIconPath: process.platform === 'darwin' ? null : join(appRoot, 'build', 'icons', 'png', '512x512.png'),
  startMonitor: (config, version) => startMonitor(api, mainDir, where, config, version),
  attribution: currentAttributionStatus(),
  tuning: { available: true, open: () => openWizard() },
  execPath: process.execPath,
});

/** The tray's "Tuning wizard…": the window at #wizard (the renderer follows the fragment). */
function openWizard(): void {
  const existing = desktop.window();
  const fresh = !existing || existing.isDestroyed();
  desktop.showWindow(null);
  const win = desktop.window();
  if (!win) return;
  const go = (): void => void win.loadURL(`${APP_INDEX_URL}#wizard`).catch((err: unknown) => process.stderr.write(`portwatch: could not open the tuning wizard: ${String(err)}\n`));
  // A new window first loads the page; then the fragment changes in place (no second load to abort the first).
  if (fresh) win.on('ready-to-show', go);
  else go();
}

if (process.env.PORTWATCH_E2E === '1') installE2eHook(desktop);

desktop.ready.catch((err: unknown) => {
  electron.dialog.showErrorBox('Portwatch could not start', err instanceof Error ? (err.stack ?? err.message) : String(err));
  electron.app.exit(1);
});
