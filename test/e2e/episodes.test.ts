// End to end: a real burst that exhausts a 50-port range (loopback, tcp_tw_reuse=2 with a 3 s reuse delay:
// three seconds later every port is reusable and the socket table looks calm) must appear on the dashboard of
// `portwatch serve` as an episode, not a blip: a row in the Episodes panel (ongoing, then ended, without a
// reload) and a band on the charts' time axis. Debian's Chromium inside the namespace; axe-core finds no
// violation with the panel filled; the screenshot for the README goes to docs/screenshots/episodes.png.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MIN_BAND_PX } from '../../renderer/src/charts/episode-bands.js';
import { describeNetns } from '../netns/describe-netns.js';
import { createNamespace, type Namespace } from '../netns/netns.js';
import { REPO_ROOT } from '../netns/portwatch-cli.js';
import { burst, startServer } from '../netns/workloads.js';
import { axeEverywhere } from './axe.js';
import { browserUnavailable, ensureRendererBuilt, launchChromiumIn, startServeInNamespace, type ServeInNs } from './serve-in-netns.js';

const SHOTS = join(REPO_ROOT, 'docs/screenshots');
// Generous bounds: the sampler slows itself down when the machine is busy. The episode ends at the first
// ok sample after the burst's minute of "exhausted recently".
const SHOW_MS = 60_000;
const END_MS = 150_000;

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

describeNetns('episodes on the dashboard (Chromium, a real burst between samples)', () => {
  let ns: Namespace;
  let serve: ServeInNs;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    if (missingBrowser) return;
    ensureRendererBuilt();
    ns = await createNamespace('episodes4ui');
    await ns.sysctl('net.ipv4.ip_local_port_range', '40000 40049');
    await ns.sysctl('net.ipv4.tcp_tw_reuse', 2);
    // 3 s, not the default 1 s: the episode's peak is read from the TIME-WAIT timers, which see when each
    // connection closed, not that all 50 were connected at once. A CI machine that stalled the closes over
    // more than 1 s showed 49 of 50 held at once (a lower bound, as designed) although the kernel refused.
    await ns.sysctl('net.ipv4.tcp_tw_reuse_delay', 3000);
    await startServer(ns, ['127.0.0.1:8080']);
    // PORTWATCH_STATE_DIR (one per test file, test/setup/state-dir.ts) is inherited: serve keeps episodes.
    serve = await startServeInNamespace(ns, 18094);
    browser = await launchChromiumIn(ns);
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' })).newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await ns?.destroy();
  });

  const rows = () => page.getByTestId('episodes').locator('tbody tr[data-episode]');

  it.skipIf(missingBrowser !== null)('shows the burst as an episode, ongoing then ended, and as a band on the time axis', async () => {
    await page.goto(serve.url);
    await page.getByTestId('connection').filter({ hasText: 'live' }).waitFor({ timeout: SHOW_MS });
    expect(await page.getByTestId('episodes').textContent()).toContain('No episode recorded');

    // 120 connects at once toward a destination with 50 ports, each held 3 s after its close.
    const b = await burst(ns, '127.0.0.1:8080', 120);
    expect(b.codes).toEqual({ EADDRNOTAVAIL: 70 }); // the kernel really refused connects
    expect(b.ok).toBe(50);

    const row = rows().first();
    await row.waitFor({ timeout: SHOW_MS });
    expect(await rows().count()).toBe(1);
    const cells = async () => (await row.locator('td').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
    // The row appears with the episode's first reading, which may catch the burst part way (45 of 50
    // ports: warning or critical), and follows its peak live: wait for the full range.
    const first = await pollUntil(cells, (c) => /^(critical|exhausted)$/.test(c[0] ?? '') && /^100 % at /.test(c[3] ?? ''), SHOW_MS, 'the episode to reach its peak');
    expect(first[3]).toMatch(/^100 % at \d\d:\d\d:\d\d$/);
    expect(first[4]).toBe('127.0.0.1:8080');
    // Why: the TIME-WAIT timers after the burst ("Exhausted 3 s ago toward …") or a sample that caught it
    // live ("… 50 of 50 usable ports in use"), whichever came first; the range was full either way.
    expect(first[5]).toMatch(/127\.0\.0\.1:8080: 50 of 50 (usable )?ports/);

    // The band on the range-use chart: drawn, at least MIN_BAND_PX wide, and really painted there.
    const canvas = page.getByTestId('use-chart').locator('canvas');
    await pollUntil(() => canvas.getAttribute('data-episode-bands'), (v) => Number(v) >= 1, SHOW_MS, 'the band on the use chart');
    const [x0, x1] = ((await canvas.getAttribute('data-episode-px')) ?? '').split('-').map(Number) as [number, number];
    expect(x1 - x0).toBeGreaterThanOrEqual(MIN_BAND_PX);
    const painted = await canvas.evaluate((c: HTMLCanvasElement, x: number) => {
      const ctx = c.getContext('2d')!;
      const ratio = c.width / c.getBoundingClientRect().width;
      return ctx.getImageData(Math.round(x * ratio), Math.round(20 * ratio), 1, 1).data[3]!;
    }, (x0 + x1) / 2);
    expect(painted).toBeGreaterThan(0);
    expect(Number(await page.getByTestId('states-chart').locator('canvas').getAttribute('data-episode-bands'))).toBeGreaterThanOrEqual(1);

    // The same row ends, live (an 'episode' event, no reload): its end time replaces "ongoing".
    await pollUntil(() => row.getAttribute('data-ongoing'), (v) => v === 'false', END_MS, 'the episode to end');
    expect((await cells())[2]).toMatch(/^\d\d:\d\d:\d\d \((\d+ s|\d+ min)\)$/);
    expect(await rows().count()).toBe(1);
  }, 300_000);

  it.skipIf(missingBrowser !== null)('has no accessibility violation with episodes listed, light and dark, at three widths', async () => {
    await rows().first().waitFor({ timeout: SHOW_MS }); // the episode of the burst above
    expect(await axeEverywhere(page, 'dashboard with episodes')).toEqual([]);
  }, 120_000);

  it.skipIf(missingBrowser !== null)('takes the README screenshot of the episodes and the charts', async () => {
    mkdirSync(SHOTS, { recursive: true });
    const panel = page.getByTestId('episodes').locator('xpath=ancestor::section[1]');
    await panel.scrollIntoViewIfNeeded();
    await page.waitForTimeout(1000);
    const a = (await panel.boundingBox())!;
    const b = (await page.getByTestId('use-chart').boundingBox())!;
    const top = Math.min(a.y, b.y);
    await page.screenshot({ path: join(SHOTS, 'episodes.png'), clip: { x: 0, y: top, width: 1280, height: Math.min(800, Math.max(a.y + a.height, b.y + b.height) - top + 8) } });
  }, 60_000);
});
