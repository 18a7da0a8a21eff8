// End to end, the desktop window's login to a remote host: Debian's Chromium runs the desktop window's
// page (desktop-page.ts: the built renderer, the real preload bridge, the real IPC chokepoint). The host is a real sshd in a namespace that wants a password (test/remote/sshd-pair.ts), its
// range exhausted. The page of that host offers the login; the real ssh runs in a real pty; the password
// is typed with the keyboard into xterm.js; the host is then read and shown exhausted. axe-core finds
// nothing; the screenshots for the README are taken here.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Harness } from '../desktop/desktop-harness.js';
import { describeNetns } from '../netns/describe-netns.js';
import { REPO_ROOT } from '../netns/portwatch-cli.js';
import { exhaustRemote } from '../remote/remote-exhaustion.js';
import { startDesktopWithHosts } from '../remote/desktop-with-hosts.js';
import { PASSWORD_USER, startSshdPair, type SshdPair } from '../remote/sshd-pair.js';
import { axeViolations } from './axe.js';
import { DESKTOP_ORIGIN, desktopPage } from './desktop-page.js';
import { browserUnavailable, ensureRendererBuilt, launchChromium } from './serve-in-netns.js';

const missingBrowser = browserUnavailable();
if (missingBrowser && process.env.CI === 'true') throw new Error(`end-to-end tests cannot run: ${missingBrowser}`);
const SHOTS = join(REPO_ROOT, 'docs/screenshots');

describeNetns('logging in to a remote host from its page (Chromium, the real preload bridge and IPC chokepoint, real ssh and sshd)', () => {
  let pair: SshdPair;
  let h: Harness;
  let browser: Browser;
  let page: Page;
  const host = `${PASSWORD_USER}@`;

  beforeAll(async () => {
    if (missingBrowser) return;
    ensureRendererBuilt();
    pair = await startSshdPair('hl8');
    await exhaustRemote(pair);
    h = await startDesktopWithHosts(pair, { hosts: [`${host}${pair.serverAddress}`], sshConfig: pair.passwordConfig });
    browser = await launchChromium();
    page = await desktopPage(browser, h);
  }, 120_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    h?.cleanup();
    await pair?.close();
  }, 30_000);

  it.skipIf(missingBrowser !== null)('offers the login on the host\'s page, takes the password typed into the terminal, then shows the host exhausted; no axe violation; screenshots', async () => {
    await page.goto(`${DESKTOP_ORIGIN}/index.html?host=1`);
    const panel = page.getByTestId('host-login');
    await panel.waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('login-reason').textContent()).toMatch(/^Needs login since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC: /);
    expect(await page.getByTestId('severity').textContent()).toBe('unknown');
    expect(await axeViolations(page)).toEqual([]);

    await page.getByTestId('login-start').click();
    const text = page.getByTestId('terminal-text');
    await expect.poll(() => text.textContent(), { timeout: 60_000 }).toMatch(/password:\s*$/i);
    // The prompt in xterm.js itself, not only the plain copy.
    await expect.poll(() => page.locator('.xterm-rows').textContent(), { timeout: 10_000 }).toMatch(/password:/i);
    expect(await axeViolations(page)).toEqual([]);
    await panel.scrollIntoViewIfNeeded();
    await panel.screenshot({ path: join(SHOTS, 'host-login-light.png') });

    await page.getByTestId('terminal').click();
    await page.keyboard.type(pair.password);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('login-status').textContent(), { timeout: 60_000 }).toBe(`Logged in: ${host}${pair.serverAddress} is read over the shared connection from now on.`);
    await expect.poll(() => page.getByTestId('severity').textContent(), { timeout: 60_000 }).toBe('exhausted');
    expect(await page.getByTestId('severity-reason').textContent()).toContain('127.0.0.1:8080');
    expect(await page.content()).not.toContain(pair.password);
    await page.emulateMedia({ colorScheme: 'dark' });
    // The terminal follows the theme too (its colours are xterm.js's own, set from the page's theme).
    const rows = () => page.evaluate(() => getComputedStyle(document.querySelector('.xterm-rows')!).color);
    await expect.poll(rows, { timeout: 10_000 }).toBe('rgb(227, 231, 238)');
    expect(await axeViolations(page)).toEqual([]);
    await panel.screenshot({ path: join(SHOTS, 'host-login-dark.png') });
  }, 180_000);
});
