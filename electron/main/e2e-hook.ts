// What end-to-end tests read from the main process (through Playwright's electronApp.evaluate): the tray's
// state, the notifications shown, and a way to click one. Installed only when PORTWATCH_E2E=1; a release
// build cannot be driven this way anyway (its --inspect fuse is off).
import type { DesktopApp } from './desktop-app.js';

/** The global the tests read. */
export interface E2eHook {
  tray(): { icon: string; severity: string; tooltip: string; statusLine: string } | null;
  notifications(): { title: string; body: string; destinationKey: string | null }[];
  clickNotification(index: number): void;
  settingsPath(): string;
  windowUrl(): Promise<string | null>;
}

/** Puts the hook on globalThis.__portwatchE2E. */
export function installE2eHook(app: DesktopApp): void {
  const hook: E2eHook = {
    tray: () => {
      const t = app.trayState();
      return t ? { icon: t.icon, severity: t.severity, tooltip: t.tooltip, statusLine: t.statusLine } : null;
    },
    notifications: () => app.shown().map((n) => ({ title: n.title, body: n.body, destinationKey: n.destinationKey })),
    clickNotification: (i) => app.showWindow(app.shown()[i]?.destinationKey ?? null),
    settingsPath: () => app.settingsPath(),
    windowUrl: async () => {
      const w = app.window();
      return w && !w.isDestroyed() ? ((w.webContents as unknown as { getURL(): string }).getURL?.() ?? null) : null;
    },
  };
  (globalThis as { __portwatchE2E?: E2eHook }).__portwatchE2E = hook;
}
