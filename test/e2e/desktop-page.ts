// The desktop window's page in Debian's Chromium, for the end-to-end tests of what only the desktop app
// offers (logging in to a host, tuning a host): the built renderer, served as the app's protocol serves
// it, with the real preload bridge (electron/preload/bridge.ts, bundled as it is) over an ipcRenderer
// stand-in that hands every call to the real IPC chokepoint of a desktop app started by the test harness
// (Electron's API faked, as in test/main), and the window's events back to the page.
import { buildSync } from 'esbuild';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { EVENT_CHANNEL } from '../../electron/common/ipc-channels.js';
import { APP_INDEX_URL } from '../../electron/desktop/app-files.js';
import type { Harness } from '../desktop/desktop-harness.js';
import { ipcEvent } from '../desktop/fake-electron.js';
import { REPO_ROOT } from '../netns/portwatch-cli.js';

/** Where the page is loaded from (app://portwatch in the app): requests are answered from out/renderer. */
export const DESKTOP_ORIGIN = 'http://portwatch.test';

/** The page's URL as the app's window would have it (the chokepoint reads the host from it). */
function appUrl(url: string): string {
  return `${APP_INDEX_URL}${new URL(url).search}`;
}

/** A new page of the harness's desktop window (1280×900, light). */
export async function desktopPage(browser: Browser, h: Harness): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' })).newPage();
  await page.route(`${DESKTOP_ORIGIN}/**`, (route) => {
    const path = new URL(route.request().url()).pathname;
    return route.fulfill({ path: join(REPO_ROOT, 'out/renderer', path === '/' ? 'index.html' : path) });
  });
  const win = h.fake.window!;
  await page.exposeFunction('__portwatchInvoke', (channel: string, params: unknown) => h.fake.ipcMain.invoke(channel, ipcEvent(win.webContents, appUrl(page.url())), params));
  page.on('framenavigated', (f) => {
    if (f === page.mainFrame()) win.webContents.url = appUrl(f.url());
  });
  const send = win.webContents.send.bind(win.webContents);
  win.webContents.send = (channel: string, ...args: unknown[]) => {
    send(channel, ...args);
    if (channel === EVENT_CHANNEL) void page.evaluate((p) => (window as unknown as { __portwatchEvent(p: unknown): void }).__portwatchEvent(p), args[0]).catch(() => undefined);
  };
  const bridge = buildSync({ entryPoints: [join(REPO_ROOT, 'electron/preload/bridge.ts')], bundle: true, format: 'iife', globalName: 'PortwatchPreload', platform: 'browser', write: false }).outputFiles[0]!.text;
  await page.addInitScript(`${bridge}
    const listeners = new Set();
    window.__portwatchEvent = (payload) => { for (const l of listeners) l({}, payload); };
    window.portwatch = PortwatchPreload.createBridge({
      invoke: (channel, params) => window.__portwatchInvoke(channel, params),
      on: (_channel, l) => listeners.add(l),
      removeListener: (_channel, l) => listeners.delete(l),
    });`);
  return page;
}
