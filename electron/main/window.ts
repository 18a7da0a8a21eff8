// The app's one window: its options (the security settings are fixed here and checked by a test) and
// how it is opened at a destination.
import type { BrowserWindowConstructorOptions } from 'electron';
import { APP_INDEX_URL } from '../desktop/app-files.js';
import type { BrowserWindowLike, ElectronApi } from './electron-api.js';

/** The renderer is untrusted: isolated, sandboxed, without Node, without webviews. */
export const WEB_PREFERENCES = Object.freeze({
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  navigateOnDragDrop: false,
  experimentalFeatures: false,
  safeDialogs: true,
  spellcheck: false,
} as const);

/** The window's options with the preload at preloadPath. */
export function windowOptions(preloadPath: string, iconPath: string | null): BrowserWindowConstructorOptions {
  return {
    width: 1200,
    height: 800,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Portwatch',
    backgroundColor: '#111418',
    autoHideMenuBar: true,
    ...(iconPath ? { icon: iconPath } : {}),
    webPreferences: { ...WEB_PREFERENCES, preload: preloadPath },
  };
}

/** The page URL, opened at one destination when a key is given (the renderer reads #destination=…). */
export function pageUrl(destinationKey: string | null): string {
  return destinationKey === null ? APP_INDEX_URL : `${APP_INDEX_URL}#destination=${encodeURIComponent(destinationKey)}`;
}

/** Creates the window and loads the page; it shows itself once painted. */
export function createWindow(api: Pick<ElectronApi, 'BrowserWindow'>, options: BrowserWindowConstructorOptions, url: string, log: (line: string) => void): BrowserWindowLike {
  const win = new api.BrowserWindow(options);
  win.on('ready-to-show', () => win.show());
  win.loadURL(url).catch((err: unknown) => log(`could not load ${url}: ${String(err)}`));
  return win;
}
