// End to end: the dashboard's time charts as Grafana and Netdata users handle them, in Debian's Chromium on
// `portwatch serve` (the real CLI and sampler) inside a network namespace. A mouse drag across one chart
// zooms every time chart to the dragged span (within a pixel's worth of time), the span stays put while
// samples arrive, a click is not a drag, the legend hides a series, Reset zoom (keyboard) goes back to the
// live window, the keys + − ← → Escape on a focused chart zoom, move and reset as a drag would, and
// Escape cancels a drag; the 7 d window loads a week of history: the minute roll-ups a monitor restores after a
// restart, written into its state directory before it starts. axe-core finds nothing with the zoom bar
// shown. With PORTWATCH_SCREENSHOTS=1 the zoomed charts go to docs/screenshots/chart-zoom.png.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { HistoryStore } from '../../electron/node/history/history-store.js';
import { RollupFile } from '../../electron/node/history/rollup-file.js';
import { describeNetns } from '../netns/describe-netns.js';
import { createNamespace, type Namespace } from '../netns/netns.js';
import { REPO_ROOT } from '../netns/portwatch-cli.js';
import { connectHold, startServer } from '../netns/workloads.js';
import { axeEverywhere } from './axe.js';
import { browserUnavailable, ensureRendererBuilt, launchChromiumIn, startServeInNamespace, type ServeInNs } from './serve-in-netns.js';
import { fillWeek } from './synthetic-sampler.js';

const SHOTS = join(REPO_ROOT, 'docs/screenshots');
const LIVE_MS = 60_000;
const WEEK_MS = 7 * 86_400_000;

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

/** Where a chart's x axis is, as the page's drag-zoom plugin wrote it on the canvas after its last draw. */
interface Axis {
  min: number;
  max: number;
  left: number;
  right: number;
  zoomed: boolean;
}

async function axisOf(canvas: Locator): Promise<Axis> {
  return canvas.evaluate((c: HTMLCanvasElement) => ({
    min: Number(c.dataset.xMin),
    max: Number(c.dataset.xMax),
    left: Number(c.dataset.plotLeft),
    right: Number(c.dataset.plotRight),
    zoomed: c.dataset.zoomed === 'true',
  }));
}

const missingBrowser = browserUnavailable();
if (missingBrowser && process.env.CI === 'true') throw new Error(`end-to-end tests cannot run: ${missingBrowser}`);

describeNetns('chart zoom and the 7-day window (Chromium, real serve in a namespace)', () => {
  let ns: Namespace;
  let serve: ServeInNs;
  let browser: Browser;
  let page: Page;
  const historyRequests: { windowSec: number; buckets: number }[] = [];

  const useCanvas = () => page.getByTestId('use-chart').locator('canvas');
  const statesCanvas = () => page.getByTestId('states-chart').locator('canvas');
  const rateCanvas = () => page.locator('canvas[aria-label="New connections per second over time"]');
  const allCanvases = () => [useCanvas(), statesCanvas(), rateCanvas()];

  /**
   * Drags with the mouse across the use chart from fraction a to fraction b of its plot, pausing midway for
   * pauseMs (samples arrive meanwhile); returns the axis at the press and the pixels.
   */
  async function dragAcrossUse(a: number, b: number, pauseMs = 0): Promise<{ before: Axis; startPx: number; endPx: number }> {
    const canvas = useCanvas();
    // In the middle of the screen: clear of the zoom bar floating at the bottom.
    await canvas.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    const box = (await canvas.boundingBox())!;
    const at = await axisOf(canvas);
    const startPx = at.left + (at.right - at.left) * a;
    const endPx = at.left + (at.right - at.left) * b;
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + startPx, y);
    await page.mouse.down();
    // The axis holds still from the press on: what it shows now is what the drag is measured against.
    const before = await axisOf(canvas);
    await page.mouse.move(box.x + (startPx + endPx) / 2, y, { steps: 4 });
    if (pauseMs > 0) {
      await page.waitForTimeout(pauseMs);
      // Still the axis of the press, though samples arrived: the selection stays on the moments under the pointer.
      const during = await axisOf(canvas);
      expect([during.min, during.max]).toEqual([before.min, before.max]);
    }
    await page.mouse.move(box.x + endPx, y, { steps: 4 });
    await page.mouse.up();
    return { before, startPx, endPx };
  }

  beforeAll(async () => {
    if (missingBrowser) return;
    ensureRendererBuilt();
    // A week of minute roll-ups in the state directory serve inherits (one per test file): restored at start.
    const week = new HistoryStore();
    fillWeek(week, Date.now() - 120_000);
    new RollupFile(process.env.PORTWATCH_STATE_DIR!, () => {}).save(week, Date.now());
    ns = await createNamespace('zoom5');
    await ns.sysctl('net.ipv4.ip_local_port_range', '40000 40049');
    await startServer(ns, ['127.0.0.1:8080']);
    serve = await startServeInNamespace(ns, 18096);
    browser = await launchChromiumIn(ns);
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' })).newPage();
    page.on('websocket', (ws) =>
      ws.on('framesent', (f) => {
        const msg = JSON.parse(String(f.payload)) as { method?: string; params?: { windowSec: number; buckets: number } };
        if (msg.method === 'getHistory' && msg.params) historyRequests.push(msg.params);
      }),
    );
  }, 120_000);

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await ns?.destroy();
  });

  it.skipIf(missingBrowser !== null)('zooms every time chart to the span dragged across one, holds it while samples arrive, and resets to live', async () => {
    await page.goto(serve.url);
    await page.getByTestId('connection').filter({ hasText: 'live' }).waitFor({ timeout: LIVE_MS });
    const held = await connectHold(ns, '127.0.0.1:8080', 10);
    expect(held.connected).toBe(10);
    await pollUntil(() => axisOf(useCanvas()), (a) => a.max > 0 && a.right > a.left, LIVE_MS, 'the use chart to draw');
    // The live 5 min window (from the first whole minute of the restored roll-ups in it).
    const live = await axisOf(useCanvas());
    expect(live.zoomed).toBe(false);
    expect(live.max - live.min).toBeGreaterThan(235_000);
    expect(live.max - live.min).toBeLessThanOrEqual(300_000);

    const { before, startPx, endPx } = await dragAcrossUse(0.3, 0.65);
    const msPerPx = (before.max - before.min) / (before.right - before.left);
    const from = before.min + (startPx - before.left) * msPerPx;
    const to = before.min + (endPx - before.left) * msPerPx;
    const zoomed = await pollUntil(() => axisOf(useCanvas()), (a) => a.zoomed, 5_000, 'the use chart to zoom');
    expect(Math.abs(zoomed.min - from)).toBeLessThanOrEqual(msPerPx);
    expect(Math.abs(zoomed.max - to)).toBeLessThanOrEqual(msPerPx);
    // Grafana's behaviour: the other time charts follow.
    for (const other of [statesCanvas(), rateCanvas()]) {
      const a = await pollUntil(() => axisOf(other), (x) => x.zoomed, 5_000, 'another chart to follow the zoom');
      expect([a.min, a.max]).toEqual([zoomed.min, zoomed.max]);
    }
    // Said on the page, with the way back.
    const bar = page.getByTestId('zoom-bar');
    // A span of a day other than today names its day (a run just after midnight zooms into yesterday).
    expect(await bar.textContent()).toMatch(/Zoomed: ((Sun|Mon|Tue|Wed|Thu|Fri|Sat) \d+ \w{3} )?\d\d:\d\d:\d\d–((Sun|Mon|Tue|Wed|Thu|Fri|Sat) \d+ \w{3} )?\d\d:\d\d:\d\d/);
    expect(Number(await bar.getAttribute('data-from'))).toBe(zoomed.min);

    // New samples arrive (the page's use rises with 20 more connections) and the span does not move.
    const more = await connectHold(ns, '127.0.0.1:8080', 20);
    expect(more.connected).toBe(20);
    const worstPercent = async () => Number(((await page.getByTestId('worst-percent').textContent()) ?? '0').replace(/[^\d.]/g, ''));
    await pollUntil(worstPercent, (v) => v >= 60, LIVE_MS, 'the page to show the new connections');
    await page.waitForTimeout(2500);
    for (const c of allCanvases()) {
      const a = await axisOf(c);
      expect([a.min, a.max, a.zoomed]).toEqual([zoomed.min, zoomed.max, true]);
    }

    // A click (no drag) inside the plot zooms nothing: the span stays.
    const box = (await useCanvas().boundingBox())!;
    await page.mouse.click(box.x + (zoomed.left + zoomed.right) / 2, box.y + box.height / 2);
    await page.mouse.move(box.x + (zoomed.left + zoomed.right) / 2 + 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + (zoomed.left + zoomed.right) / 2 + 4, box.y + box.height / 2);
    await page.mouse.up();
    await page.waitForTimeout(300);
    const afterClicks = await axisOf(useCanvas());
    expect([afterClicks.min, afterClicks.max]).toEqual([zoomed.min, zoomed.max]);

    // Reset zoom, from the keyboard: the live window again, ending at the newest sample.
    const reset = page.getByRole('button', { name: 'Reset zoom' });
    await reset.focus();
    await page.keyboard.press('Enter');
    await bar.waitFor({ state: 'detached', timeout: 5_000 });
    for (const c of allCanvases()) {
      const a = await pollUntil(() => axisOf(c), (x) => !x.zoomed, 5_000, 'the chart to go back to live');
      expect(a.max - a.min).toBeGreaterThan(235_000);
      expect(a.max - a.min).toBeLessThanOrEqual(300_000);
      expect(a.max).toBeGreaterThan(zoomed.max);
      expect(Date.now() - a.max).toBeLessThan(15_000);
    }
    // And while live, a click on the plot still zooms nothing.
    await page.mouse.click(box.x + (zoomed.left + zoomed.right) / 2, box.y + box.height / 2);
    await page.waitForTimeout(300);
    expect((await axisOf(useCanvas())).zoomed).toBe(false);
  }, 240_000);

  it.skipIf(missingBrowser !== null)('hides a series from its legend entry (Chart.js stops drawing it) and shows it again', async () => {
    const entry = page.getByTestId('use-chart').getByRole('button', { name: /^Worst destination$/ });
    expect(await entry.getAttribute('aria-pressed')).toBe('true');
    await entry.click();
    expect(await entry.getAttribute('aria-pressed')).toBe('false');
    expect(await useCanvas().getAttribute('data-hidden-series')).toBe('Worst destination');
    expect((await axisOf(useCanvas())).zoomed).toBe(false); // a legend click is no zoom
    await entry.click();
    expect(await useCanvas().getAttribute('data-hidden-series')).toBe('');
  }, 60_000);

  it.skipIf(missingBrowser !== null)('zooms, moves and goes back to live from the keyboard, and Escape cancels a drag', async () => {
    const zoomBar = page.getByTestId('zoom-bar');
    const chartFocus = page.getByTestId('use-chart').getByRole('application');
    await chartFocus.focus();
    // Tab reaches it too: it is in the page's focus order with a name that says which keys do what
    expect(await chartFocus.getAttribute('tabindex')).toBe('0');
    expect(await chartFocus.getAttribute('aria-label')).toMatch(/Zoom: \+ and −, move in time: ← and →, back to live: Escape/);
    const live = await axisOf(useCanvas());
    expect(live.zoomed).toBe(false);
    // + : the middle half of the live window (which moves with each sample: within a few seconds)
    await page.keyboard.press('+');
    const half = await pollUntil(() => axisOf(useCanvas()), (a) => a.zoomed, 5_000, '+ to zoom');
    expect(half.max - half.min).toBeCloseTo((live.max - live.min) / 2, -1);
    expect(Math.abs((half.min + half.max) / 2 - (live.min + live.max) / 2)).toBeLessThan(10_000);
    for (const other of [statesCanvas(), rateCanvas()]) {
      const a = await pollUntil(() => axisOf(other), (x) => x.zoomed, 5_000, 'another chart to follow the keyboard zoom');
      expect([a.min, a.max]).toEqual([half.min, half.max]);
    }
    await zoomBar.waitFor({ timeout: 5_000 });
    // + again, then ← : a quarter earlier, exactly
    await page.keyboard.press('+');
    const quarter = await pollUntil(() => axisOf(useCanvas()), (a) => a.max - a.min < (half.max - half.min) * 0.75, 5_000, 'the second +');
    await page.keyboard.press('ArrowLeft');
    const width = quarter.max - quarter.min;
    const left = await pollUntil(() => axisOf(useCanvas()), (a) => a.min < quarter.min, 5_000, '← to move');
    expect(left.min).toBeCloseTo(quarter.min - width / 4, 0);
    expect(left.max).toBeCloseTo(quarter.max - width / 4, 0);
    // − : twice as wide about the same middle
    await page.keyboard.press('-');
    const out = await pollUntil(() => axisOf(useCanvas()), (a) => a.max - a.min > width * 1.5, 5_000, '− to zoom out');
    expect(out.max - out.min).toBeCloseTo(width * 2, 0);
    expect((out.min + out.max) / 2).toBeCloseTo((left.min + left.max) / 2, 0);
    // Escape: live again
    await page.keyboard.press('Escape');
    await zoomBar.waitFor({ state: 'detached', timeout: 5_000 });
    const back = await pollUntil(() => axisOf(useCanvas()), (a) => !a.zoomed, 5_000, 'Escape to go back to live');
    expect(back.max - back.min).toBeCloseTo(live.max - live.min, -4);

    // A drag under way, then Escape: nothing zoomed once the button is released.
    const canvas = useCanvas();
    await canvas.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    const box = (await canvas.boundingBox())!;
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + back.left + (back.right - back.left) * 0.3, y);
    await page.mouse.down();
    await page.mouse.move(box.x + back.left + (back.right - back.left) * 0.6, y, { steps: 4 });
    await page.keyboard.press('Escape');
    await page.mouse.up();
    await page.waitForTimeout(500);
    expect((await axisOf(useCanvas())).zoomed).toBe(false);
    expect(await zoomBar.count()).toBe(0);
  }, 120_000);

  it.skipIf(missingBrowser !== null)('has no accessibility violation with the zoom bar shown, light and dark, at three widths; takes the screenshot', async () => {
    // A slow drag, over several samples: the selection holds and zooms all the same.
    const { before, startPx, endPx } = await dragAcrossUse(0.2, 0.55, 3000);
    await page.getByTestId('zoom-bar').waitFor({ timeout: 5_000 });
    const msPerPx = (before.max - before.min) / (before.right - before.left);
    const zoomed = await axisOf(useCanvas());
    expect(Math.abs(zoomed.min - (before.min + (startPx - before.left) * msPerPx))).toBeLessThanOrEqual(msPerPx);
    expect(Math.abs(zoomed.max - (before.min + (endPx - before.left) * msPerPx))).toBeLessThanOrEqual(msPerPx);
    expect(await axeEverywhere(page, 'dashboard zoomed')).toEqual([]);
    expect(await page.getByTestId('zoom-bar').isVisible()).toBe(true);
    if (process.env.PORTWATCH_SCREENSHOTS) {
      mkdirSync(SHOTS, { recursive: true });
      await page.getByTestId('use-chart').evaluate((el) => el.scrollIntoView({ block: 'center' }));
      await page.waitForTimeout(1000);
      await page.screenshot({ path: join(SHOTS, 'chart-zoom.png') });
    }
  }, 180_000);

  it.skipIf(missingBrowser !== null)('7 d: asks getHistory for a week, draws the restored week and leaves any zoom; a zoom into it names the days', async () => {
    expect((await axisOf(useCanvas())).zoomed).toBe(true); // zoomed by the test before: a new window resets it
    const asked = historyRequests.length;
    await page.getByText('7 d', { exact: true }).click();
    const req = await pollUntil(async () => historyRequests.slice(asked), (r) => r.length > 0, 10_000, 'the getHistory request');
    expect(req[0]!.windowSec).toBe(7 * 86_400);
    // The week (written two minutes before the test began) and the minutes since: about 7 days on the axis.
    for (const c of allCanvases()) {
      const a = await pollUntil(() => axisOf(c), (x) => !x.zoomed && x.max - x.min > WEEK_MS - 3_600_000, 20_000, 'the week on the axis');
      expect(a.max - a.min).toBeLessThanOrEqual(WEEK_MS);
    }
    await page.getByTestId('zoom-bar').waitFor({ state: 'detached', timeout: 5_000 });
    // Zooming a week works the same: a day or so dragged, labelled with days.
    await dragAcrossUse(0.5, 0.7);
    const a = await pollUntil(() => axisOf(useCanvas()), (x) => x.zoomed, 5_000, 'the week to zoom');
    expect(a.max - a.min).toBeGreaterThan(86_400_000);
    expect(await page.getByTestId('zoom-bar').textContent()).toMatch(/Zoomed: (Sun|Mon|Tue|Wed|Thu|Fri|Sat) \d+ \w{3} \d\d:\d\d–(Sun|Mon|Tue|Wed|Thu|Fri|Sat) \d+ \w{3} \d\d:\d\d/);
    if (process.env.PORTWATCH_SCREENSHOTS) {
      await page.getByRole('button', { name: 'Reset zoom' }).click();
      await page.waitForTimeout(1000);
      await page.getByTestId('use-chart').evaluate((el) => el.scrollIntoView({ block: 'center' }));
      await page.waitForTimeout(500);
      await page.screenshot({ path: join(SHOTS, 'chart-7d.png') });
    }
  }, 120_000);
});
