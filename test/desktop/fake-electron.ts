// A small stand-in for the part of Electron's main-process API the desktop app uses (electron/main/
// electron-api.ts). It records what the app does (windows, tray images, tooltips, menus, notifications,
// handlers) and lets tests play the OS and the renderer: invoke an IPC channel as some sender, click a
// menu item or a notification, close a window, quit.
import type { BrowserWindowConstructorOptions, CustomScheme, MenuItemConstructorOptions, MessageBoxOptions, NotificationConstructorOptions } from 'electron';
import type {
  AppLike,
  BrowserWindowLike,
  ElectronApi,
  IpcInvokeEventLike,
  IpcMainLike,
  NotificationLike,
  SessionLike,
  TrayLike,
  UtilityProcessLike,
  WebContentsLike,
} from '../../electron/main/electron-api.js';

type Listener = (...args: never[]) => unknown;

class Emitter {
  private readonly listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  emit(event: string, ...args: unknown[]): void {
    for (const l of this.listeners.get(event) ?? []) (l as (...a: unknown[]) => unknown)(...args);
  }
  count(event: string): number {
    return this.listeners.get(event)?.length ?? 0;
  }
}

/** A preventable event object. */
export function preventable(): { preventDefault(): void; defaultPrevented: boolean } {
  const e = {
    defaultPrevented: false,
    preventDefault() {
      e.defaultPrevented = true;
    },
  };
  return e;
}

let nextWebContentsId = 100;

export class FakeWebContents extends Emitter implements WebContentsLike {
  readonly id = nextWebContentsId++;
  readonly sent: { channel: string; args: unknown[] }[] = [];
  destroyed = false;
  url = '';
  windowOpenHandler: ((d: { url: string }) => { action: 'deny' }) | null = null;
  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw new Error('Object has been destroyed');
    this.sent.push({ channel, args });
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void {
    this.windowOpenHandler = handler;
  }
  getURL(): string {
    return this.url;
  }
}

export class FakeBrowserWindow extends Emitter implements BrowserWindowLike {
  readonly webContents = new FakeWebContents();
  readonly loaded: string[] = [];
  visible = false;
  focused = false;
  destroyed = false;
  minimized = false;
  constructor(
    readonly options: BrowserWindowConstructorOptions,
    private readonly fake: FakeElectron,
  ) {
    super();
    fake.windows.push(this);
    fake.webContentsCreated(this.webContents);
  }
  async loadURL(url: string): Promise<void> {
    this.loaded.push(url);
    this.webContents.url = url;
    // As Electron: the page paints, then ready-to-show fires once.
    if (this.loaded.length === 1) queueMicrotask(() => this.emit('ready-to-show'));
  }
  show(): void {
    this.visible = true;
  }
  focus(): void {
    this.focused = true;
  }
  restore(): void {
    this.minimized = false;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /** The user closes the window (Electron destroys it and emits closed). */
  close(): void {
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.visible = false;
    this.emit('closed');
    if (this.fake.windows.every((w) => w.destroyed)) this.fake.appEmitter.emit('window-all-closed');
  }
}

export class FakeTray extends Emitter implements TrayLike {
  readonly images: string[] = [];
  readonly tooltips: string[] = [];
  menu: MenuItemConstructorOptions[] | null = null;
  menusSet = 0;
  destroyed = false;
  constructor(image: string) {
    super();
    this.images.push(image);
  }
  setImage(image: string): void {
    this.images.push(image);
  }
  setToolTip(t: string): void {
    this.tooltips.push(t);
  }
  setContextMenu(menu: object | null): void {
    this.menu = menu as MenuItemConstructorOptions[] | null;
    this.menusSet++;
  }
  destroy(): void {
    this.destroyed = true;
  }
  get image(): string {
    return this.images[this.images.length - 1]!;
  }
  get tooltip(): string {
    return this.tooltips[this.tooltips.length - 1] ?? '';
  }
  /** Clicks the menu item whose label starts with `label`. */
  click(label: string): void {
    const item = this.menu?.find((i) => typeof i.label === 'string' && i.label.startsWith(label));
    if (!item) throw new Error(`no tray menu item "${label}" in ${JSON.stringify(this.menu?.map((i) => i.label))}`);
    if (item.enabled === false) throw new Error(`tray menu item "${label}" is disabled`);
    (item.click as () => void)();
  }
  item(label: string): MenuItemConstructorOptions | undefined {
    return this.menu?.find((i) => typeof i.label === 'string' && i.label.startsWith(label));
  }
}

export class FakeNotification extends Emitter implements NotificationLike {
  shown = false;
  closed = false;
  constructor(
    readonly options: NotificationConstructorOptions,
    fake: FakeElectron,
  ) {
    super();
    fake.notifications.push(this);
  }
  show(): void {
    this.shown = true;
  }
  close(): void {
    this.closed = true;
    this.emit('close');
  }
  click(): void {
    this.emit('click');
  }
}

type Handler = (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<unknown>;

export class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Handler>();
  handle(channel: string, listener: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** What ipcRenderer.invoke(channel, ...args) from `event`'s sender would get (Electron rejects with no handler). */
  async invoke(channel: string, event: IpcInvokeEventLike, ...args: unknown[]): Promise<unknown> {
    const h = this.handlers.get(channel);
    if (!h) throw new Error(`No handler registered for '${channel}'`);
    return h(event, ...args);
  }
}

export class FakeSession implements SessionLike {
  permissionRequest: ((wc: unknown, permission: string, cb: (granted: boolean) => void) => void) | null = null;
  permissionCheck: ((wc: unknown, permission: string) => boolean) | null = null;
  devicePermission: ((d: unknown) => boolean) | null = null;
  headersListener: Parameters<SessionLike['webRequest']['onHeadersReceived']>[0] = null;
  setPermissionRequestHandler(h: FakeSession['permissionRequest']): void {
    this.permissionRequest = h;
  }
  setPermissionCheckHandler(h: FakeSession['permissionCheck']): void {
    this.permissionCheck = h;
  }
  setDevicePermissionHandler(h: FakeSession['devicePermission']): void {
    this.devicePermission = h;
  }
  webRequest = {
    onHeadersReceived: (l: FakeSession['headersListener']) => {
      this.headersListener = l;
    },
  };
}

export interface FakeOptions {
  /** Whether requestSingleInstanceLock succeeds (false: another instance runs). */
  lock?: boolean;
  userData?: string;
  notificationsSupported?: boolean;
  packaged?: boolean;
}

/** The stand-in; `api` is what the app receives. */
export class FakeElectron {
  readonly windows: FakeBrowserWindow[] = [];
  readonly trays: FakeTray[] = [];
  readonly notifications: FakeNotification[] = [];
  readonly ipcMain = new FakeIpcMain();
  readonly session = new FakeSession();
  readonly openedExternal: string[] = [];
  readonly openedPaths: string[] = [];
  readonly dialogs: MessageBoxOptions[] = [];
  readonly privilegedSchemes: CustomScheme[] = [];
  readonly protocolHandlers = new Map<string, (r: Request) => Response | Promise<Response>>();
  readonly forks: string[] = [];
  readonly loginItems: { openAtLogin: boolean; args?: string[] }[] = [];
  readonly appEmitter = new Emitter();
  quitCalls = 0;
  exited: number | null = null;
  userData: string;
  private readyResolve!: () => void;
  private readonly readyPromise = new Promise<void>((r) => (this.readyResolve = r));
  private loginItem = { openAtLogin: false };

  constructor(private readonly o: FakeOptions = {}) {
    this.userData = o.userData ?? '/nonexistent-user-data';
  }

  /** Makes app.whenReady() resolve (Electron's 'ready'). */
  ready(): void {
    this.readyResolve();
  }

  /** Electron's app.quit(): before-quit, will-quit (preventable), then the process would end. */
  quit(): void {
    this.quitCalls++;
    this.appEmitter.emit('before-quit', preventable());
    const e = preventable();
    this.appEmitter.emit('will-quit', e);
  }

  webContentsCreated(wc: FakeWebContents): void {
    this.appEmitter.emit('web-contents-created', {}, wc);
  }

  get tray(): FakeTray {
    const t = this.trays[this.trays.length - 1];
    if (!t) throw new Error('no tray was created');
    return t;
  }

  get window(): FakeBrowserWindow | null {
    return this.windows.filter((w) => !w.destroyed).at(-1) ?? null;
  }

  readonly api: ElectronApi = this.buildApi();

  private buildApi(): ElectronApi {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const fake = this;
    const app: AppLike = {
      get isPackaged() {
        return fake.o.packaged ?? false;
      },
      requestSingleInstanceLock: () => fake.o.lock ?? true,
      whenReady: () => fake.readyPromise,
      quit: () => fake.quit(),
      exit: (code = 0) => {
        fake.exited = code;
      },
      on: ((event: string, listener: Listener) => fake.appEmitter.on(event, listener)) as AppLike['on'],
      // As Electron on Linux and Windows: the logs folder is inside userData.
      getPath: (name) => (name === 'logs' ? `${fake.userData}/logs` : fake.userData),
      setPath: (_name, path) => {
        fake.userData = path;
      },
      getVersion: () => '0.1.0-test',
      getAppPath: () => '/app',
      setAppUserModelId: () => undefined,
      setLoginItemSettings: (s) => {
        fake.loginItems.push(s);
        fake.loginItem = { openAtLogin: s.openAtLogin };
      },
      getLoginItemSettings: () => ({ ...fake.loginItem, wasOpenedAtLogin: false }),
    };
    return {
      app,
      BrowserWindow: class extends FakeBrowserWindow {
        constructor(options: BrowserWindowConstructorOptions) {
          super(options, fake);
        }
      },
      Tray: class extends FakeTray {
        constructor(image: string) {
          super(image);
          fake.trays.push(this);
        }
      },
      Menu: { buildFromTemplate: (template) => template },
      Notification: Object.assign(
        class extends FakeNotification {
          constructor(options: NotificationConstructorOptions) {
            super(options, fake);
          }
        },
        { isSupported: () => fake.o.notificationsSupported ?? true },
      ),
      ipcMain: this.ipcMain,
      session: { defaultSession: this.session },
      shell: {
        openExternal: async (url) => {
          fake.openedExternal.push(url);
        },
        openPath: async (path) => {
          fake.openedPaths.push(path);
          return '';
        },
      },
      protocol: {
        registerSchemesAsPrivileged: (schemes) => void fake.privilegedSchemes.push(...schemes),
        handle: (scheme, handler) => void fake.protocolHandlers.set(scheme, handler),
      },
      dialog: {
        showMessageBox: async (options) => {
          fake.dialogs.push(options);
          return { response: 0 };
        },
      },
      utilityProcess: {
        fork: (modulePath): UtilityProcessLike => {
          fake.forks.push(modulePath);
          throw new Error('the stand-in starts no utility process: inject startMonitor');
        },
      },
    };
  }
}

/** An IPC event as Electron builds it for a message from `wc`'s frame at `url`. */
export function ipcEvent(wc: { id: number }, url: string, opts: { subframe?: boolean; frameGone?: boolean } = {}): IpcInvokeEventLike {
  return {
    sender: { id: wc.id },
    senderFrame: opts.frameGone ? null : { url, parent: opts.subframe ? { url: 'app://portwatch/index.html' } : null },
  };
}
