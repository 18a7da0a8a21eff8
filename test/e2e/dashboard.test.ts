// End to end: Debian's Chromium, driven by Playwright, on the dashboard of `portwatch serve` (the real CLI
// and sampler) inside a network namespace where a real exhaustion is produced during the test. The page
// must show the rising use, the worst destination and its process, the severity change and the diagnosis,
// live, without a reload. Also takes the README screenshots (both themes, 1280×800) into docs/screenshots.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { describeNetns } from '../netns/describe-netns.js';
import { createNamespace, type Namespace } from '../netns/netns.js';
import { connectHold, startServer } from '../netns/workloads.js';
import { REPO_ROOT } from '../netns/portwatch-cli.js';
import { browserUnavailable, ensureRendererBuilt, launchChromiumIn, startServeInNamespace, type ServeInNs } from './serve-in-netns.js';
import { NODE_COMM } from '../netns/node-comm.js';

const RANGE = { low: 40000, high: 40049 }; // 50 ports: exhaustion in a few dozen connections
const SHOTS = join(REPO_ROOT, 'docs/screenshots');
// Generous: the sampler slows itself down (CPU budget) when the machine is busy, e.g. under a parallel test run.
const LIVE_MS = 60_000;

async function pollUntil<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < end) {
    last = await read();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(last)}`);
}

const missingBrowser = browserUnavailable();
if (missingBrowser && process.env.CI === 'true') throw new Error(`end-to-end tests cannot run: ${missingBrowser}`);

describeNetns('dashboard end to end (Chromium, real exhaustion in a namespace)', () => {
  let ns: Namespace;
  let serve: ServeInNs;
  let browser: Browser;
  let page: Page;
  let navigations = 0;

  beforeAll(async () => {
    if (missingBrowser) return;
    ensureRendererBuilt();
    ns = await createNamespace('e2e');
    await ns.sysctl('net.ipv4.ip_local_port_range', `${RANGE.low} ${RANGE.high}`);
    await startServer(ns, ['127.0.0.1:8080']);
    serve = await startServeInNamespace(ns, 18080);
    browser = await launchChromiumIn(ns);
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
    page = await ctx.newPage();
    page.on('framenavigated', (f) => {
      if (f === page.mainFrame()) navigations++;
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await ns?.destroy();
  });

  it.skipIf(missingBrowser !== null)('shows the exhaustion rising live: use, worst destination, its process, severity and diagnosis', async () => {
    await page.goto(serve.url);
    // The token in the URL was traded for a cookie and removed from the address bar.
    expect(page.url()).toBe(`http://127.0.0.1:${serve.port}/`);
    await page.getByTestId('connection').filter({ hasText: 'live' }).waitFor({ timeout: LIVE_MS });
    const navigationsAfterLoad = navigations;
    await page.evaluate(() => ((window as unknown as { __e2eMarker: number }).__e2eMarker = 42));

    const worstPercent = async () => Number(((await page.getByTestId('worst-percent').textContent()) ?? '0').replace(/[^\d.]/g, ''));
    const severity = async () => (await page.getByTestId('severity').textContent())?.trim() ?? '';
    const seen: number[] = [];

    // 1. A first client holds 10 connections toward 127.0.0.1:8080: 20 % of the range.
    const first = await connectHold(ns, '127.0.0.1:8080', 10);
    expect(first.connected).toBe(10);
    seen.push(await pollUntil(worstPercent, (v) => v >= 20, LIVE_MS, 'the page to show 20 % use'));
    await pollUntil(() => page.getByTestId('worst-destination').textContent(), (t) => t === '127.0.0.1:8080', LIVE_MS, 'the worst destination');
    const severityBefore = await severity();
    expect(['ok', 'warning']).toContain(severityBefore);

    // 2. A second client takes 30 more: 80 %.
    const second = await connectHold(ns, '127.0.0.1:8080', 30);
    expect(second.connected).toBe(30);
    seen.push(await pollUntil(worstPercent, (v) => v >= 80, LIVE_MS, 'the page to show 80 % use'));

    // 3. A third asks for 20 but only 10 ports are left toward that destination: the range is exhausted.
    const third = await connectHold(ns, '127.0.0.1:8080', 20);
    expect(third.connected).toBe(10);
    expect(third.codes.EADDRNOTAVAIL).toBe(10);
    seen.push(await pollUntil(worstPercent, (v) => v >= 100, LIVE_MS, 'the page to show 100 % use'));
    expect(seen).toEqual([...seen].sort((a, b) => a - b));

    const severityAfter = await pollUntil(severity, (s) => s === 'critical' || s === 'exhausted', LIVE_MS, 'the severity to rise');
    expect(severityAfter).not.toBe(severityBefore);

    // The worst destination's owning processes, with their pids, in the destinations table.
    const row = page.getByTestId('destinations').locator('tbody tr', { hasText: '127.0.0.1:8080' });
    await pollUntil(() => row.textContent(), (t) => (t ?? '').includes(`(${second.process.pid})`), LIVE_MS, 'the owning process in the table');
    expect(await row.textContent()).toContain(`(${first.process.pid})`);
    // The source line reads as words: address, a spaced separator, the namespace.
    expect(await row.locator('td').first().locator('.small').innerText()).toMatch(/^from 127\.0\.0\.1\s· net:\[\d+\]$/);
    expect(await page.getByTestId('worst-use').textContent()).toMatch(new RegExp(`${NODE_COMM} \\(\\d+\\)`));

    // The diagnosis and the timeline's severity change.
    await page.getByTestId('diagnosis').first().waitFor({ timeout: LIVE_MS });
    expect(await page.getByTestId('diagnosis').count()).toBeGreaterThan(0);
    await pollUntil(() => page.getByTestId('timeline').textContent(), (t) => /Severity rose from \w+ to (critical|exhausted)/.test(t ?? ''), LIVE_MS, 'the severity change on the timeline');
    expect(await page.getByTestId('timeline').textContent()).toContain('Diagnosis:');

    // All of it live: no navigation since the page loaded, and the page's own state survived.
    expect(navigations).toBe(navigationsAfterLoad);
    expect(await page.evaluate(() => (window as unknown as { __e2eMarker?: number }).__e2eMarker)).toBe(42);
  }, 400_000);

  it.skipIf(missingBrowser !== null)('is keyboard reachable: filter with "/", sort with Enter, windows with the arrow keys', async () => {
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('filter');
    await page.keyboard.type('8080');
    const rows = page.getByTestId('destinations').locator('tbody tr');
    await pollUntil(() => rows.allTextContents(), (t) => t.length >= 1 && t.every((x) => x.includes('8080')), 10_000, 'the filter to apply');
    await page.keyboard.press('Escape');
    await page.fill('#filter', '');
    const sortButton = page.getByTestId('destinations').getByRole('button', { name: /^Sockets/ });
    await sortButton.focus();
    await page.keyboard.press('Enter');
    expect(await sortButton.locator('..').getAttribute('aria-sort')).toBe('descending');
    await page.locator('input[name="window"]').first().focus();
    await page.keyboard.press('ArrowRight');
    await pollUntil(() => page.locator('input[name="window"]:checked').getAttribute('value'), (v) => v === '3600', 5_000, 'the 1 h window');
    await page.keyboard.press('ArrowLeft');
  }, 60_000);

  it.skipIf(missingBrowser !== null)('takes the screenshots in both themes at 1280×800 and 1920×1080, following the system scheme live', async () => {
    mkdirSync(SHOTS, { recursive: true });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(1500);
    await page.screenshot({ path: join(SHOTS, 'dashboard-light.png') });
    await page.screenshot({ path: join(SHOTS, 'dashboard-light-full.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await pollUntil(() => page.evaluate(() => getComputedStyle(document.body).backgroundColor), (c) => c === 'rgb(18, 21, 27)', 5_000, 'the dark theme');
    await page.waitForTimeout(1500);
    await page.screenshot({ path: join(SHOTS, 'dashboard-dark.png') });
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.waitForTimeout(1500);
    await page.screenshot({ path: join(SHOTS, 'dashboard-dark-1920.png') });
    // Readable: nothing overflows the viewport horizontally at either size.
    for (const width of [1920, 1280]) {
      await page.setViewportSize({ width, height: width === 1920 ? 1080 : 800 });
      await page.waitForTimeout(300);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    }
    await page.emulateMedia({ colorScheme: 'light' });
  }, 60_000);
});
