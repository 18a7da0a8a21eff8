// The desktop app's wiring: single instance, the app:// page, and the controllers it composes: the window
// (window.ts), the IPC chokepoint to the monitor, the tray (tray.ts drawing desktop/tray-model.ts),
// notifications, settings, launch at login and shutdown (their Electron-free logic in electron/desktop/).
// Electron comes in as a parameter (see electron-api.ts), so all of this runs under Node against a
// stand-in in tests.
import type { MonitorEvent } from '../common/contract.js';
import type { Sample } from '../common/model.js';
import { APP_ORIGIN, APP_SCHEME, appResponse } from '../desktop/app-files.js';
import type { AttributionStatus } from '../desktop/attribution.js';
import { AutostartController } from '../desktop/autostart-controller.js';
import { MonitorEventLog } from '../desktop/event-log.js';
import { LastEpisode } from '../desktop/last-episode.js';
import { RotatingLog } from '../desktop/log-file.js';
import { isHostListError, moveHost, removeHost } from '../desktop/host-list.js';
import { HostMonitors } from '../desktop/host-monitors.js';
import { answerHostLogin } from '../desktop/host-login-routing.js';
import { desktopHostSummaries, hostOfScope, scopeOfHost, THIS_COMPUTER } from '../desktop/host-scope.js';
import { defaultControlDir } from '../node/remote/control-dir.js';
import type { MonitorConfig } from '../desktop/monitor-config.js';
import type { MonitorControl } from '../desktop/monitor-control.js';
import { NotificationController } from '../desktop/notification-controller.js';
import type { NotificationDraft } from '../desktop/notification-policy.js';
import { localMinuteOfDay } from '../desktop/quiet-hours.js';
import { monitorConfigOf, SettingsController } from '../desktop/settings-controller.js';
import type { DesktopSettings } from '../desktop/settings.js';
import { ShutdownController } from '../desktop/shutdown.js';
import { TrayModel, type TrayMenuState } from '../desktop/tray-model.js';
import type { TrayState } from '../desktop/tray-state.js';
import type { BrowserWindowLike, ElectronApi } from './electron-api.js';
import { forwardEvents, forwardHostEvents, IpcChokepoint, type HostRouting } from './ipc-chokepoint.js';
import { Notifier } from './notifier.js';
import { TrayController, type TrayActions } from './tray.js';
import { hardenSession, hardenWebContents } from './web-hardening.js';
import { windowOptions, WindowController } from './window.js';

/** The application id (also electron-builder's appId and the Windows AppUserModelID). */
export const APP_ID = 'io.portwatch.app';
/** What app:// may do (registered before the app is ready). */
export const APP_SCHEME_PRIVILEGES = Object.freeze({ standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true });
/** How often the tray re-checks for a stale reading when no sample comes. */
const TRAY_REFRESH_MS = 30_000;

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
  /** The monitors of the remote hosts in the settings (default: over /usr/bin/ssh, episodes in the user-data folder). */
  startHostMonitors?: (version: string) => HostMonitors;
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
  /** The remote hosts' monitors (after ready). */
  hosts(): HostMonitors | null;
  settingsPath(): string;
  /** Notifications shown so far (bounded). */
  shown(): readonly NotificationDraft[];
  /** Opens the window (at a destination; on host `scope`: 0 this computer, N the Nth listed host). */
  showWindow(destinationKey?: string | null, scope?: number | null): void;
  window(): BrowserWindowLike | null;
  chokepoint(): IpcChokepoint | null;
}

/** Wires the desktop app onto Electron's API; call once, before the app is ready. */
export function createDesktopApp(api: ElectronApi, o: DesktopOptions): DesktopApp {
  const clock = o.clock ?? Date.now;
  const { app } = api;

  // Before ready: the scheme's privileges, the data folder (tests point it elsewhere), the instance lock.
  // standard + secure give app:// a real origin and a secure context; corsEnabled lets Chromium fetch the
  // page's <script type="module" crossorigin> from it; no bypassCSP, no service workers.
  api.protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);
  if (o.env.PORTWATCH_USER_DATA_DIR) app.setPath('userData', o.env.PORTWATCH_USER_DATA_DIR);
  const userData = app.getPath('userData');
  // The monitor (here or in its utility process, which inherits the environment) keeps episodes and history there.
  o.env.PORTWATCH_STATE_DIR ??= userData;
  // Every line goes to stderr (or the tests' log) and to the log file users can attach to a bug report.
  const echo = o.log ?? ((line: string) => process.stderr.write(`portwatch: ${line}\n`));
  const logFile = new RotatingLog({ dir: app.getPath('logs'), clock, onError: echo });
  const log = (line: string): void => {
    echo(line);
    logFile.write(line);
  };

  const windows = new WindowController(api, windowOptions(o.preloadPath, o.windowIconPath), log);
  const notifier = new Notifier(api, (key, host) => windows.show(key, host === null ? THIS_COMPUTER : scopeOfHost(host, hosts?.readings() ?? [])), log);
  const notifications = new NotificationController((draft) => notifier.show(draft), clock, o.minuteOfDay ?? localMinuteOfDay);
  const trayModel = new TrayModel({ attribution: o.attribution, tuning: o.tuning, clock });
  const autostart = new AutostartController({ platform: o.platform, env: o.env, execPath: o.execPath, os: app, log });
  const shutdown = new ShutdownController(log);
  let monitor: MonitorControl | null = null;
  let tray: TrayController | null = null;
  let chokepoint: IpcChokepoint | null = null;
  let hosts: HostMonitors | null = null;
  /** This computer's latest sample (the host picker's first entry). */
  let localSample: Sample | null = null;
  /** Starts and stops host monitors to follow the list (their samples redraw the tray); the window stays on the host it shows. */
  const syncHosts = (list: readonly string[]): void => {
    if (!hosts) return;
    const h = hosts;
    const shown = hostOfScope(windows.shownScope() ?? THIS_COMPUTER, h.readings())?.label ?? null;
    h.sync(list).catch((err: unknown) => log(`could not stop a host monitor: ${String(err)}`));
    notifications.keepHosts(list);
    // Reordered: the same host under its new number; removed: this computer.
    if (shown !== null) windows.rescope(scopeOfHost(shown, h.readings()));
  };

  const refreshTray = (): void => {
    const s = settings.current();
    if (!tray || !s) return;
    const view = trayModel.view(monitor?.paused ?? false, s);
    tray.update(view.state, view.menu);
  };
  const settings = new SettingsController(userData, clock, {
    log,
    notify: (title, body) => notifications.notice(title, body),
    monitorConfig: (config) => {
      monitor?.configure(config);
      hosts?.configure(config.analysis); // the same thresholds judge every host
      if (config.allNamespaces === false) trayModel.namespaces(null); // the others are no longer watched
    },
    launchAtLogin: (enabled) => autostart.apply(enabled),
    changed: refreshTray,
    hosts: syncHosts,
  });

  const primary = app.requestSingleInstanceLock();
  const facade: DesktopApp = {
    ready: Promise.resolve(),
    primary,
    trayState: () => trayModel.lastState(),
    settings: () => settings.current(),
    hosts: () => hosts,
    settingsPath: () => settings.path,
    shown: () => notifications.shown(),
    showWindow: (key = null, scope = null) => windows.show(key, scope),
    window: () => windows.current(),
    chokepoint: () => chokepoint,
  };
  if (!primary) {
    // Another Portwatch runs: it opens its window (second-instance) and this one leaves.
    app.quit();
    return facade;
  }

  if (o.platform === 'win32') app.setAppUserModelId(APP_ID); // notifications on Windows need it
  app.on('second-instance', () => windows.show(null));
  app.on('activate', () => windows.show(null));
  // Closing the window keeps monitoring in the tray.
  app.on('window-all-closed', () => undefined);
  app.on('web-contents-created', (_e, contents) => hardenWebContents(contents, api.shell, log));
  app.on('will-quit', (event) => shutdown.willQuit(event, () => app.quit()));

  /** Opens a file or folder in the OS's own application; a failure is logged. */
  function openPath(path: string): void {
    void api.shell.openPath(path).then((err) => {
      if (err) log(`could not open ${path}: ${err}`);
    });
  }

  /** What the tray menu's items do. */
  function trayActions(m: MonitorControl): TrayActions {
    return {
      open: () => windows.show(null),
      togglePause: () => {
        if (m.paused) m.resume();
        else m.pause('Paused from the tray');
        refreshTray();
      },
      openTuning: () => o.tuning.open?.(),
      toggleMute: () => settings.toggleMute(),
      toggleLaunchAtLogin: () => {
        const enabled = !settings.value.launchAtLogin;
        autostart.apply(enabled);
        settings.setLaunchAtLogin(enabled);
      },
      explainAttribution: () => {
        const a = o.attribution;
        if (a.kind !== 'own-processes') return;
        void api.dialog.showMessageBox({ type: 'info', title: 'Portwatch', message: a.why, detail: `${a.missing}\n\nThe privileged helper that will offer full attribution is not part of this version yet.`, buttons: ['OK'] });
      },
      openSettingsFile: () => openPath(settings.path),
      openLogFolder: () => {
        try {
          logFile.ensureDir();
        } catch (err) {
          log(`could not create ${logFile.dir}: ${String(err)}`);
        }
        openPath(logFile.dir);
      },
      quit: () => app.quit(),
      moveHost: (label, delta) => editHosts((list) => moveHost(list, label, list.indexOf(label) + delta)),
      removeHost: (label) => editHosts((list) => removeHost(list, label)),
    };
  }

  /** A host list edit from the tray, saved; a refused one is logged (the menu offers only valid edits). */
  function editHosts(edit: (list: readonly string[]) => string[]): void {
    try {
      settings.setHosts(edit(settings.value.hosts));
    } catch (err) {
      if (!isHostListError(err)) throw err;
      log(err.message);
    }
  }

  async function start(): Promise<void> {
    const initial = settings.load();
    hardenSession(api.session.defaultSession, log);
    api.protocol.handle(APP_SCHEME, (request) => appResponse(request, o.rendererDir));

    // Each step registers its undoing; shutdown runs them newest first, so the monitor closes last.
    const m = o.startMonitor(monitorConfigOf(initial), app.getVersion());
    monitor = m;
    shutdown.add('closing the monitor', () => m.close());
    // The remote hosts' monitors: the tray and notifications watch them, the window shows one on request.
    const h = o.startHostMonitors ? o.startHostMonitors(app.getVersion()) : new HostMonitors({ controlDir: defaultControlDir(o.env), version: app.getVersion(), stateDir: userData, analysis: initial.analysis });
    hosts = h;
    shutdown.add('closing the host monitors', () => h.close());
    const routing: HostRouting = {
      endpoint: (scope) => {
        const r = hostOfScope(scope, h.readings());
        return r ? h.service(r.label) : null;
      },
      summaries: (scope) => desktopHostSummaries(localSample, h.readings(), scope),
      login: (scope, method, params) => answerHostLogin(h, scope, method, params),
    };
    const ipc = new IpcChokepoint({ ipcMain: api.ipcMain, endpoint: m.endpoint, hosts: routing, trusted: () => ({ webContentsId: windows.trustedId(), origin: APP_ORIGIN }), log, clock });
    chokepoint = ipc;
    ipc.install();
    shutdown.add('removing the IPC handlers', () => ipc.uninstall());
    shutdown.add('forwarding events', forwardEvents(m.endpoint, () => windows.webContents()));
    shutdown.add(
      'forwarding host events',
      forwardHostEvents(
        (listener) =>
          h.onEvent((label, e) => {
            const i = h.readings().findIndex((r) => r.label === label);
            if (i >= 0) listener(i + 1, e);
          }),
        () => windows.webContents(),
      ),
    );
    const eventLog = new MonitorEventLog(logFile.write.bind(logFile));
    shutdown.add('the event log', m.endpoint.subscribe((e) => eventLog.observe(e)));
    shutdown.add(
      'the sample listener',
      m.endpoint.subscribe((e: MonitorEvent) => {
        if (e.event !== 'sample') return;
        localSample = e.data;
        trayModel.sample(e.data);
        refreshTray();
        notifications.observe(e.data, settings.value.notifications);
      }),
    );
    // Every other namespace of this computer, when the monitor watches them (the allNamespaces setting).
    shutdown.add(
      'the namespace listener',
      m.endpoint.subscribe((e: MonitorEvent) => {
        if (e.event !== 'namespaces') return;
        trayModel.namespaces(e.data);
        refreshTray();
        notifications.observeNamespaces(e.data, settings.value.notifications);
      }),
    );
    trayModel.hosts(h);
    shutdown.add(
      'the host sample listener',
      h.onSample((label, sample) => {
        refreshTray();
        notifications.observeHost(label, sample, settings.value.notifications);
      }),
    );
    syncHosts(initial.hosts);
    const episodes = new LastEpisode(m.endpoint, refreshTray);
    trayModel.episodes(episodes);
    shutdown.add('the episode listener', () => episodes.dispose());
    shutdown.add(
      'the problem listener',
      m.onProblem((p) => {
        trayModel.monitorProblem(p);
        if (p) log(p);
        refreshTray();
      }),
    );

    const t = new TrayController(api, o.trayIconDir, o.platform, trayActions(m));
    tray = t;
    shutdown.add('removing the tray', () => {
      t.destroy();
      tray = null;
    });
    // The OS may hold another launch-at-login state than the file (changed in system settings): the OS wins.
    const osLogin = autostart.enabled();
    if (osLogin !== initial.launchAtLogin) settings.setLaunchAtLogin(osLogin);
    refreshTray();
    const timer = setInterval(refreshTray, TRAY_REFRESH_MS);
    timer.unref?.();
    shutdown.add('the tray refresh', () => clearInterval(timer));
    shutdown.add('watching the settings file', settings.watch());

    if (!autostart.startedHidden(o.argv)) windows.show(null);
  }

  (facade as { ready: Promise<void> }).ready = app.whenReady().then(start);
  return facade;
}

