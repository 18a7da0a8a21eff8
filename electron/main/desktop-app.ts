// The desktop app's wiring: single instance, the app:// page, the hardened window, the IPC chokepoint to
// the monitor, the tray, notifications and settings. Electron comes in as a parameter (see
// electron-api.ts), so all of this runs under Node against a stand-in in tests.
import { join } from 'node:path';
import type { MonitorEvent } from '../common/contract.js';
import type { Sample } from '../common/model.js';
import { APP_ORIGIN, APP_SCHEME, appResponse } from '../desktop/app-files.js';
import { attributionNote, type AttributionStatus } from '../desktop/attribution.js';
import { LastEpisode } from '../desktop/last-episode.js';
import { HIDDEN_ARG, linuxAutostartEnabled, relaunchArgv, setLinuxAutostart, autostartDir } from '../desktop/autostart-linux.js';
import type { MonitorControl } from '../desktop/monitor-control.js';
import { NotificationPolicy, type NotificationDraft } from '../desktop/notification-policy.js';
import { localMinuteOfDay } from '../desktop/quiet-hours.js';
import type { MonitorConfig } from '../desktop/monitor-config.js';
import type { DesktopSettings } from '../desktop/settings.js';
import { loadSettings, saveSettings, SETTINGS_FILE, settingsText, watchSettings, type SettingsRead } from '../desktop/settings-store.js';
import { trayState, type TrayState } from '../desktop/tray-state.js';
import type { BrowserWindowLike, ElectronApi } from './electron-api.js';
import { forwardEvents, IpcChokepoint } from './ipc-chokepoint.js';
import { Notifier } from './notifier.js';
import { TrayController, type TrayMenuState } from './tray.js';
import { hardenSession, hardenWebContents } from './web-hardening.js';
import { createWindow, pageUrl, windowOptions } from './window.js';

/** The application id (also electron-builder's appId and the Windows AppUserModelID). */
export const APP_ID = 'io.portwatch.app';
/** What app:// may do (registered before the app is ready). */
export const APP_SCHEME_PRIVILEGES = Object.freeze({ standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true });
/** How often the tray re-checks for a stale reading when no sample comes. */
const TRAY_REFRESH_MS = 30_000;
const MUTE_MS = 3_600_000;

export interface DesktopOptions {
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  /** Where the built renderer is (served as app://portwatch/). */
  rendererDir: string;
  /** The built preload script. */
  preloadPath: string;
  /** Folder of the tray PNGs. */
  trayIconDir: string;
  /** The window icon (Linux, Windows), or null. */
  windowIconPath: string | null;
  /** Starts the monitor (in this process or a utility process). */
  startMonitor: (config: MonitorConfig, version: string) => MonitorControl;
  attribution: AttributionStatus;
  /** The tuning wizard, or why it is not there yet. */
  tuning: TrayMenuState['tuning'] & { open?: () => void };
  /** The process's executable, for launch at login on Linux. */
  execPath: string;
  log?: (line: string) => void;
  clock?: () => number;
  minuteOfDay?: (epochMs: number) => number;
}

/** What the running app exposes to its tests (and to the end-to-end hook). */
export interface DesktopApp {
  /** Resolves once the app is up (immediately for a second instance, which quits). */
  readonly ready: Promise<void>;
  /** False when another instance held the lock and this one quit. */
  readonly primary: boolean;
  trayState(): TrayState | null;
  settings(): DesktopSettings | null;
  settingsPath(): string;
  /** Notifications shown so far (bounded). */
  shown(): readonly NotificationDraft[];
  showWindow(destinationKey?: string | null): void;
  window(): BrowserWindowLike | null;
  chokepoint(): IpcChokepoint | null;
}

/** Wires the desktop app onto Electron's API; call once, before the app is ready. */
export function createDesktopApp(api: ElectronApi, o: DesktopOptions): DesktopApp {
  const log = o.log ?? ((line: string) => process.stderr.write(`portwatch: ${line}\n`));
  const clock = o.clock ?? Date.now;
  const minuteOfDay = o.minuteOfDay ?? localMinuteOfDay;
  const { app } = api;

  // Before ready: the scheme's privileges, the data folder (tests point it elsewhere), the instance lock.
  // standard + secure give app:// a real origin and a secure context; corsEnabled lets Chromium fetch the
  // page's <script type="module" crossorigin> from it; no bypassCSP, no service workers.
  api.protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);
  if (o.env.PORTWATCH_USER_DATA_DIR) app.setPath('userData', o.env.PORTWATCH_USER_DATA_DIR);
  const userData = app.getPath('userData');
  // The monitor (here or in its utility process, which inherits the environment) keeps episodes and history there.
  o.env.PORTWATCH_STATE_DIR ??= userData;
  const settingsPath = join(userData, SETTINGS_FILE);

  let win: BrowserWindowLike | null = null;
  let winId: number | null = null;
  let monitor: MonitorControl | null = null;
  let tray: TrayController | null = null;
  let chokepoint: IpcChokepoint | null = null;
  let settings: DesktopSettings | null = null;
  let lastTray: TrayState | null = null;
  let latest: Sample | null = null;
  let lastEpisode: LastEpisode | null = null;
  let monitorProblem: string | null = null;
  let lastOwnWrite = '';
  let closed = false;
  const shown: NotificationDraft[] = [];
  const policy = new NotificationPolicy();
  const cleanups: (() => void)[] = [];

  const primary = app.requestSingleInstanceLock();
  const facade: DesktopApp = {
    ready: Promise.resolve(),
    primary,
    trayState: () => lastTray,
    settings: () => settings,
    settingsPath: () => settingsPath,
    shown: () => shown,
    showWindow: (key = null) => showWindow(key),
    window: () => win,
    chokepoint: () => chokepoint,
  };
  if (!primary) {
    // Another Portwatch runs: it opens its window (second-instance) and this one leaves.
    app.quit();
    return facade;
  }

  if (o.platform === 'win32') app.setAppUserModelId(APP_ID); // notifications on Windows need it
  app.on('second-instance', () => showWindow(null));
  app.on('activate', () => showWindow(null));
  // Closing the window keeps monitoring in the tray.
  app.on('window-all-closed', () => undefined);
  app.on('web-contents-created', (_e, contents) => hardenWebContents(contents, api.shell, log));
  app.on('will-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    void shutdown().finally(() => {
      closed = true;
      app.quit();
    });
  });

  const notifier = new Notifier(api, (key) => showWindow(key), log);

  function showWindow(destinationKey: string | null): void {
    if (!win || win.isDestroyed()) {
      const created = createWindow(api, windowOptions(o.preloadPath, o.windowIconPath), pageUrl(destinationKey), log);
      win = created;
      winId = created.webContents.id;
      created.on('closed', () => {
        if (win === created) {
          win = null;
          winId = null;
        }
      });
      return;
    }
    // Same page with another fragment: a same-document navigation the renderer sees as `hashchange`.
    if (destinationKey !== null) win.loadURL(pageUrl(destinationKey)).catch((err: unknown) => log(`could not open the destination: ${String(err)}`));
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  }

  function menuState(): TrayMenuState {
    const s = settings!;
    const muted = s.notifications.mutedUntil !== null && s.notifications.mutedUntil > clock();
    return {
      paused: monitor?.paused ?? false,
      mutedUntil: muted ? clockText(s.notifications.mutedUntil!) : null,
      launchAtLogin: s.launchAtLogin,
      tuning: o.tuning.available ? { available: true } : { available: false, note: o.tuning.note },
      attribution: o.attribution,
    };
  }

  function refreshTray(): void {
    if (!tray || !settings) return;
    lastTray = trayState({ sample: latest, paused: monitor?.paused ?? false, monitorProblem, attributionNote: attributionNote(o.attribution), lastEpisode: lastEpisode?.get() ?? null, now: clock() });
    tray.update(lastTray, menuState());
  }

  function onSample(sample: Sample): void {
    latest = sample;
    refreshTray();
    const decision = policy.observe(sample, settings!.notifications, clock(), minuteOfDay(clock()));
    if ('show' in decision) {
      shown.push(decision.show);
      if (shown.length > 100) shown.shift();
      notifier.show(decision.show);
    }
  }

  function persist(next: DesktopSettings): void {
    settings = next;
    lastOwnWrite = settingsText(next);
    try {
      saveSettings(userData, next);
    } catch (err) {
      log(`could not save ${settingsPath}: ${String(err)}`);
    }
    refreshTray();
  }

  function applyLoginItem(enabled: boolean): void {
    try {
      if (o.platform === 'linux') {
        setLinuxAutostart(enabled, relaunchArgv({ execPath: o.execPath, appImage: o.env.APPIMAGE, packaged: app.isPackaged, appPath: app.getAppPath() }), autostartDir(o.env));
      } else {
        app.setLoginItemSettings({ openAtLogin: enabled, args: [HIDDEN_ARG] });
      }
    } catch (err) {
      log(`could not change launch at login: ${String(err)}`);
    }
  }

  function loginItemEnabled(): boolean {
    return o.platform === 'linux' ? linuxAutostartEnabled(autostartDir(o.env)) : app.getLoginItemSettings().openAtLogin;
  }

  /** A settings file edited by hand: applied when clean, else reported and the running settings kept. */
  function onSettingsFile(r: SettingsRead): void {
    if (r.kind !== 'parsed' || r.problems.length > 0) {
      const problems = r.kind === 'parsed' ? r.problems : [r.kind === 'missing' ? 'file removed' : r.problem];
      log(`settings file not applied: ${problems.join('; ')}`);
      notifier.show({ title: 'Portwatch: settings not applied', body: `${problems[0]}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}. The previous settings stay in effect.`, destinationKey: null });
      return;
    }
    const prev = settings!;
    const next = r.settings;
    settings = next;
    if (JSON.stringify(prev.sampling) !== JSON.stringify(next.sampling) || JSON.stringify(prev.analysis) !== JSON.stringify(next.analysis)) {
      monitor?.configure({ cpuBudget: next.sampling.cpuBudget, analysis: next.analysis });
    }
    if (prev.launchAtLogin !== next.launchAtLogin) applyLoginItem(next.launchAtLogin);
    refreshTray();
  }

  async function start(): Promise<void> {
    const loaded = loadSettings(userData, clock);
    settings = loaded.settings;
    lastOwnWrite = settingsText(settings);
    if (loaded.problems.length > 0) {
      for (const p of loaded.problems) log(`settings: ${p}`);
      const kept = loaded.keptAs ? ` The old file is kept as ${loaded.keptAs}.` : '';
      notifier.show({ title: 'Portwatch: settings repaired', body: `${loaded.problems[0]}${loaded.problems.length > 1 ? ` (and ${loaded.problems.length - 1} more)` : ''}; defaults are used instead.${kept}`, destinationKey: null });
    }

    hardenSession(api.session.defaultSession, log);
    api.protocol.handle(APP_SCHEME, (request) => appResponse(request, o.rendererDir));

    monitor = o.startMonitor({ cpuBudget: settings.sampling.cpuBudget, analysis: settings.analysis }, app.getVersion());
    const m = monitor;
    chokepoint = new IpcChokepoint({
      ipcMain: api.ipcMain,
      endpoint: m.endpoint,
      trusted: () => ({ webContentsId: win && !win.isDestroyed() ? winId : null, origin: APP_ORIGIN }),
      log,
      clock,
    });
    chokepoint.install();
    cleanups.push(forwardEvents(m.endpoint, () => (win && !win.isDestroyed() ? win.webContents : null)));
    cleanups.push(
      m.endpoint.subscribe((e: MonitorEvent) => {
        if (e.event === 'sample') onSample(e.data);
      }),
    );
    lastEpisode = new LastEpisode(m.endpoint, () => refreshTray());
    const episodes = lastEpisode;
    cleanups.push(() => episodes.dispose());
    cleanups.push(
      m.onProblem((p) => {
        monitorProblem = p;
        if (p) log(p);
        refreshTray();
      }),
    );

    tray = new TrayController(api, o.trayIconDir, o.platform, {
      open: () => showWindow(null),
      togglePause: () => {
        if (m.paused) m.resume();
        else m.pause('Paused from the tray');
        refreshTray();
      },
      openTuning: () => o.tuning.open?.(),
      toggleMute: () => {
        const s = settings!;
        const muted = s.notifications.mutedUntil !== null && s.notifications.mutedUntil > clock();
        persist({ ...s, notifications: { ...s.notifications, mutedUntil: muted ? null : clock() + MUTE_MS } });
      },
      toggleLaunchAtLogin: () => {
        const s = settings!;
        applyLoginItem(!s.launchAtLogin);
        persist({ ...s, launchAtLogin: !s.launchAtLogin });
      },
      explainAttribution: () => {
        const a = o.attribution;
        if (a.kind !== 'own-processes') return;
        void api.dialog.showMessageBox({ type: 'info', title: 'Portwatch', message: a.why, detail: `${a.missing}\n\nThe privileged helper that will offer full attribution is not part of this version yet.`, buttons: ['OK'] });
      },
      openSettingsFile: () => {
        void api.shell.openPath(settingsPath).then((err) => {
          if (err) log(`could not open ${settingsPath}: ${err}`);
        });
      },
      quit: () => app.quit(),
    });
    // The OS may hold another launch-at-login state than the file (changed in system settings): the OS wins.
    const osLogin = loginItemEnabled();
    if (osLogin !== settings.launchAtLogin) persist({ ...settings, launchAtLogin: osLogin });
    refreshTray();
    const timer = setInterval(refreshTray, TRAY_REFRESH_MS);
    timer.unref?.();
    cleanups.push(() => clearInterval(timer));
    cleanups.push(watchSettings(userData, onSettingsFile, (text) => text === lastOwnWrite));

    const hidden = o.argv.includes(HIDDEN_ARG) || (o.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin === true);
    if (!hidden) showWindow(null);
  }

  async function shutdown(): Promise<void> {
    for (const c of cleanups.splice(0)) c();
    chokepoint?.uninstall();
    tray?.destroy();
    tray = null;
    await monitor?.close();
  }

  (facade as { ready: Promise<void> }).ready = app.whenReady().then(start);
  return facade;
}

function clockText(epochMs: number): string {
  const d = new Date(epochMs);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}
