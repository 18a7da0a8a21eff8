// The app's one window: its options (the security settings are fixed here and checked by a test) and
// how it is opened at a destination.
import type { BrowserWindowConstructorOptions } from 'electron';
import { hostPageUrl, hostScopeOf, THIS_COMPUTER } from '../desktop/host-scope.js';
import type { BrowserWindowLike, ElectronApi, WebContentsLike } from './electron-api.js';

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

/** This computer's page URL, opened at one destination when a key is given (the renderer reads #destination=…). */
export function pageUrl(destinationKey: string | null): string {
  return hostPageUrl(THIS_COMPUTER, destinationKey);
}

/** Creates the window and loads the page; it shows itself once painted. */
export function createWindow(api: Pick<ElectronApi, 'BrowserWindow'>, options: BrowserWindowConstructorOptions, url: string, log: (line: string) => void): BrowserWindowLike {
  const win = new api.BrowserWindow(options);
  win.on('ready-to-show', () => win.show());
  win.loadURL(url).catch((err: unknown) => log(`could not load ${url}: ${String(err)}`));
  return win;
}

/** The app's one window: opened on demand, brought forward (at a destination) when it exists. */
export class WindowController {
  private win: BrowserWindowLike | null = null;
  private winId: number | null = null;

  constructor(
    private readonly api: Pick<ElectronApi, 'BrowserWindow'>,
    private readonly options: BrowserWindowConstructorOptions,
    private readonly log: (line: string) => void,
  ) {}

  /**
   * Opens the window, or brings it forward; at a destination when a key is given, on host `scope` when
   * one is given (0 this computer, N the Nth listed host), else on the host it shows.
   */
  show(destinationKey: string | null, scope: number | null = null): void {
    const win = this.live();
    if (!win) {
      const created = createWindow(this.api, this.options, hostPageUrl(scope ?? THIS_COMPUTER, destinationKey), this.log);
      this.win = created;
      this.winId = created.webContents.id;
      created.on('closed', () => {
        if (this.win === created) {
          this.win = null;
          this.winId = null;
        }
      });
      return;
    }
    // Same page with another fragment: a same-document navigation the renderer sees as `hashchange`;
    // another host is another page (its own connection to that host's monitor).
    const shown = this.shownScope() ?? THIS_COMPUTER;
    const target = scope ?? shown;
    if (destinationKey !== null || target !== shown) win.loadURL(hostPageUrl(target, destinationKey)).catch((err: unknown) => this.log(`could not open the page: ${String(err)}`));
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  }

  /** The window object, possibly destroyed (null once closed). */
  current(): BrowserWindowLike | null {
    return this.win;
  }

  /** The page of the open window, or null: the only sender the IPC chokepoint trusts, and the one events go to. */
  webContents(): WebContentsLike | null {
    return this.live()?.webContents ?? null;
  }

  /** Puts the open window's page on host `scope` without bringing it forward (the host list changed under it). */
  rescope(scope: number): void {
    const win = this.live();
    if (!win || this.shownScope() === scope) return;
    win.loadURL(hostPageUrl(scope, null)).catch((err: unknown) => this.log(`could not open the page: ${String(err)}`));
  }

  /** The host the open window shows (0 this computer), or null without a window. */
  shownScope(): number | null {
    const win = this.live();
    return win ? hostScopeOf(win.webContents.getURL()) : null;
  }

  /** The id of the open window's page, or null. */
  trustedId(): number | null {
    return this.live() ? this.winId : null;
  }

  private live(): BrowserWindowLike | null {
    return this.win && !this.win.isDestroyed() ? this.win : null;
  }
}
