// End to end, the real desktop app (Playwright's Electron driver): it starts, shows the dashboard in a
// hardened window served from app://portwatch/, talks to the monitor through window.portwatch only, lives
// on in the tray when the window is closed, and stays a single instance. Runs wherever Electron's runtime
// exists (hosted CI: .github/workflows/desktop-e2e.yml); elsewhere it reports itself skipped with the reason.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ElectronApplication, Page } from 'playwright-core';
import { METHOD_NAMES } from '../../../electron/common/contract.js';
import { DESKTOP_CSP } from '../../../electron/desktop/app-files.js';
import { announceSkip, appCommand, E2E_SKIP_REASON, ensureDesktopBuilt, hook, launchApp, pollUntil, userDataDir, type TrayReport } from './launch.js';

const SUITE = 'desktop app end to end: window, bridge, tray, single instance';
announceSkip(SUITE);

describe(E2E_SKIP_REASON ? `${SUITE} [SKIPPED: ${E2E_SKIP_REASON}]` : SUITE, () => {
  let app: ElectronApplication;
  let page: Page;
  let data: string;

  beforeAll(async () => {
    if (E2E_SKIP_REASON) return;
    ensureDesktopBuilt();
    data = userDataDir();
    app = await launchApp({ userData: data });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  }, 120_000);

  afterAll(async () => {
    await app?.close().catch(() => undefined);
    if (data) rmSync(data, { recursive: true, force: true });
  });

  it.skipIf(E2E_SKIP_REASON !== null)('serves the dashboard from app://portwatch/ with the strict CSP, live over the preload bridge', async () => {
    expect(page.url()).toBe('app://portwatch/index.html');
    const meta = await page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content'));
    expect(meta).toBe(DESKTOP_CSP);
    await page.getByTestId('connection').filter({ hasText: 'live' }).waitFor({ timeout: 30_000 });
    await pollUntil(async () => (await page.getByTestId('severity').textContent())?.trim() ?? '', (t) => ['ok', 'warning', 'critical', 'exhausted', 'unknown'].includes(t), 30_000, 'a severity on the page');
  });

  it.skipIf(E2E_SKIP_REASON !== null)('gives the page exactly the contract\'s verbs and events, and no Node', async () => {
    const seen = await page.evaluate(() => ({
      keys: Object.keys((window as unknown as { portwatch: object }).portwatch).sort(),
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
      ipc: typeof (window as unknown as { ipcRenderer?: unknown }).ipcRenderer,
    }));
    expect(seen).toEqual({ keys: [...METHOD_NAMES, 'onEvent'].sort(), require: 'undefined', process: 'undefined', ipc: 'undefined' });
    const info = await page.evaluate(() => (window as unknown as { portwatch: { getInfo(p: object): Promise<{ contractVersion: number }> } }).portwatch.getInfo({}));
    expect(info.contractVersion).toBe(1);
    const refused = await page.evaluate(() =>
      (window as unknown as { portwatch: { getHistory(p: object): Promise<unknown> } }).portwatch.getHistory({ windowSec: 1 }).then(
        () => null,
        (e: { name: string; code: string; message: string }) => e,
      ),
    );
    expect(refused).toMatchObject({ name: 'ContractError', code: 'bad-request' });
  });

  it.skipIf(E2E_SKIP_REASON !== null)('runs no inline script, navigates nowhere and opens no window', async () => {
    const result = await page.evaluate(async () => {
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true';
      document.head.appendChild(s);
      const opened = window.open('https://example.org/');
      const before = location.href;
      location.href = 'https://example.org/';
      await new Promise((r) => setTimeout(r, 500));
      return { inline: (window as unknown as { __inlineRan?: boolean }).__inlineRan ?? false, opened: opened === null, before };
    });
    expect(result).toEqual({ inline: false, opened: true, before: 'app://portwatch/index.html' });
    expect(page.url()).toBe('app://portwatch/index.html');
    expect(app.windows()).toHaveLength(1);
  });

  it.skipIf(E2E_SKIP_REASON !== null)('shows a tray whose tooltip reports the current reading', async () => {
    const tray = await pollUntil(() => hook<TrayReport | null>(app, 'tray'), (t) => t !== null && t.icon !== 'unknown', 30_000, 'a first reading in the tray');
    expect(['ok', 'warning', 'critical', 'exhausted']).toContain(tray!.icon);
    expect(tray!.tooltip.startsWith(`Portwatch — ${tray!.severity}`)).toBe(true);
  });

  it.skipIf(E2E_SKIP_REASON !== null)('keeps running in the tray when the window is closed, and a second start brings a window back', async () => {
    await page.close();
    await new Promise((r) => setTimeout(r, 1000));
    expect(app.windows()).toHaveLength(0);
    expect(await hook<TrayReport | null>(app, 'tray')).not.toBeNull(); // the main process and the monitor live on
    const cmd = appCommand();
    if ('missing' in cmd) throw new Error(cmd.missing);
    // As Playwright does for the first one: no Chromium OS sandbox on Linux CI runners (no SUID helper there).
    const sandboxArgs = process.platform === 'linux' ? ['--no-sandbox'] : [];
    const second = spawn(cmd.executablePath, [...cmd.args, ...sandboxArgs], { env: { ...process.env, PORTWATCH_USER_DATA_DIR: data }, stdio: 'ignore' });
    const code = await new Promise<number | null>((resolve) => second.once('exit', resolve));
    expect(code).toBe(0); // the second instance leaves at once…
    const reopened = await app.waitForEvent('window', { timeout: 20_000 }); // …and the first one opens its window
    expect(reopened.url()).toBe('app://portwatch/index.html');
    page = reopened;
  });
});
