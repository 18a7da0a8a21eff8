// The part of Electron's main-process API the desktop app uses, as narrow interfaces. Every main-process
// module receives it as a parameter (only index.ts imports Electron itself), so the wiring runs under
// Node in tests against a small stand-in; index.ts checks that the real module satisfies these types.
import type {
  BrowserWindowConstructorOptions,
  CustomScheme,
  MenuItemConstructorOptions,
  MessageBoxOptions,
  NotificationConstructorOptions,
} from 'electron';

/** A frame of a page, as an IPC event names it. */
export interface WebFrameLike {
  readonly url: string;
  /** Null for the main frame. */
  readonly parent: unknown;
}

/** What an ipcMain.handle listener receives about the sender. */
export interface IpcInvokeEventLike {
  readonly sender: { readonly id: number };
  readonly senderFrame: WebFrameLike | null;
}

/** The page inside a window. */
export interface WebContentsLike {
  readonly id: number;
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
  /** The page's current URL (the chokepoint reads the host it shows from it). */
  getURL(): string;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
  on(event: 'will-navigate' | 'will-redirect', listener: (event: { preventDefault(): void }, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
}

/** A window. */
export interface BrowserWindowLike {
  readonly webContents: WebContentsLike;
  loadURL(url: string): Promise<void>;
  show(): void;
  focus(): void;
  restore(): void;
  isMinimized(): boolean;
  isDestroyed(): boolean;
  on(event: 'closed' | 'ready-to-show', listener: () => void): unknown;
}

/** A built menu (opaque here). */
export type MenuLike = object;

/** The tray icon. */
export interface TrayLike {
  /** A PNG path; Electron loads the @2x sibling, and on macOS a name ending in "Template" makes a template image. */
  setImage(image: string): void;
  setToolTip(toolTip: string): void;
  setContextMenu(menu: MenuLike | null): void;
  on(event: 'click', listener: () => void): unknown;
  destroy(): void;
}

/** An OS notification. */
export interface NotificationLike {
  show(): void;
  close(): void;
  on(event: 'click' | 'close', listener: () => void): unknown;
}

/** The session's security hooks. */
export interface SessionLike {
  setPermissionRequestHandler(handler: ((webContents: unknown, permission: string, callback: (granted: boolean) => void) => void) | null): void;
  setPermissionCheckHandler(handler: ((webContents: unknown, permission: string) => boolean) | null): void;
  setDevicePermissionHandler(handler: ((details: unknown) => boolean) | null): void;
  webRequest: {
    onHeadersReceived(
      listener: ((details: { url: string; responseHeaders?: Record<string, string[]> }, callback: (response: { responseHeaders?: Record<string, string[] | string> }) => void) => void) | null,
    ): void;
  };
}

/** Main-process IPC. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

/** A child process started with utilityProcess.fork. */
export interface UtilityProcessLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  kill(): boolean;
}

/** The application object. */
export interface AppLike {
  readonly isPackaged: boolean;
  requestSingleInstanceLock(): boolean;
  whenReady(): Promise<void>;
  quit(): void;
  exit(code?: number): void;
  on(event: 'second-instance' | 'window-all-closed' | 'activate', listener: () => void): unknown;
  on(event: 'will-quit' | 'before-quit', listener: (event: { preventDefault(): void }) => void): unknown;
  on(event: 'web-contents-created', listener: (event: unknown, contents: WebContentsLike) => void): unknown;
  /** userData: settings, state; logs: the log file (inside userData on Linux and Windows, ~/Library/Logs/<app> on macOS). */
  getPath(name: 'userData' | 'logs'): string;
  setPath(name: 'userData', path: string): void;
  getVersion(): string;
  getAppPath(): string;
  setAppUserModelId(id: string): void;
  setLoginItemSettings(settings: { openAtLogin: boolean; args?: string[] }): void;
  getLoginItemSettings(): { openAtLogin: boolean; wasOpenedAtLogin?: boolean };
}

/** Everything the desktop app takes from Electron. */
export interface ElectronApi {
  app: AppLike;
  BrowserWindow: new (options: BrowserWindowConstructorOptions) => BrowserWindowLike;
  Tray: new (image: string) => TrayLike;
  Menu: { buildFromTemplate(template: MenuItemConstructorOptions[]): MenuLike };
  Notification: { new (options: NotificationConstructorOptions): NotificationLike; isSupported(): boolean };
  ipcMain: IpcMainLike;
  session: { readonly defaultSession: SessionLike };
  shell: { openExternal(url: string): Promise<void>; openPath(path: string): Promise<string> };
  protocol: {
    registerSchemesAsPrivileged(schemes: CustomScheme[]): void;
    handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void;
  };
  dialog: { showMessageBox(options: MessageBoxOptions): Promise<{ response: number }> };
  utilityProcess: { fork(modulePath: string, args?: string[], options?: { serviceName?: string; stdio?: 'inherit' | 'ignore' }): UtilityProcessLike };
}
