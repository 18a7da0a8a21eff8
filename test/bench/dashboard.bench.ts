// The dashboard's costs, measured (goals from the issue in brackets):
//   (a) one streaming update with a full day of 1-second history on screen (24 h window) [< 4 ms]
//       – main-thread time per update, from Chromium's own TaskDuration, and the chart redraws alone;
//   (b) the page's CPU when idle (no new data) and when live at 1 Hz [idle < 1 %];
//   (c) /metrics latency at 10 scrapes per second [< 5 ms].
// The server is the real one (startServe) fed by a synthetic sampler at 1 Hz with a day of history
// pre-filled; the browser is Debian's Chromium through Playwright. Reports; asserts nothing.
// Runs alone too: node --import tsx test/bench/dashboard.bench.ts
// Environment: PW_BENCH_UPDATES (default 30), PW_BENCH_IDLE_SEC (10), PW_BENCH_SCRAPE_SEC (30),
// PW_BENCH_WINDOW (seconds on screen, default 86400).
import { chromium } from 'playwright-core';
import { Agent, request } from 'node:http';
import { startServe } from '../../electron/server/serve.js';
import { renderMetrics } from '../../electron/server/metrics.js';
import { HistoryStore, SyntheticSampler, fillDay, syntheticSample } from '../e2e/synthetic-sampler.js';
import { CHROMIUM, browserUnavailable, ensureRendererBuilt } from '../e2e/serve-in-netns.js';
import { makeTick } from '../node/service/make-sample.js';
import { stats } from './measure.js';

const envInt = (name: string, fallback: number): number => {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : fallback;
};
const UPDATES = envInt('PW_BENCH_UPDATES', 30);
const IDLE_SEC = envInt('PW_BENCH_IDLE_SEC', 10);
const SCRAPE_SEC = envInt('PW_BENCH_SCRAPE_SEC', 30);
const WINDOW_SEC = Number(process.env.PW_BENCH_WINDOW ?? 86400);
const WINDOW = WINDOW_SEC >= 3600 ? `${WINDOW_SEC / 3600} h` : `${WINDOW_SEC / 60} min`;
const f2 = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '—');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const missing = browserUnavailable();
  if (missing) {
    console.log(`skipped: ${missing}`);
    return;
  }
  ensureRendererBuilt();
  const history = new HistoryStore();
  fillDay(history, Date.now());
  // Driven by hand so updates happen exactly when measured.
  const sampler = new SyntheticSampler(3_600_000);
  sampler.level = 15_000;
  const serve = await startServe(
    { host: '127.0.0.1', port: 0, open: false, metricsPublic: false, allowRemote: false, allowHosts: [], tokenFile: null, help: false },
    sampler,
    { history },
  );
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  const rows: string[] = [];
  try {
    const page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    // Seconds of main-thread time since the page started: all tasks, script, style + layout.
    const metrics = async () => {
      const { metrics: ms } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
      const v = (n: string) => ms.find((m) => m.name === n)?.value ?? NaN;
      return { task: v('TaskDuration'), script: v('ScriptDuration'), layout: v('LayoutDuration') + v('RecalcStyleDuration') };
    };
    await page.goto(serve.url);
    await page.getByTestId('connection').filter({ hasText: 'live' }).waitFor({ timeout: 20_000 });
    await page.locator(`input[name="window"][value="${WINDOW_SEC}"]`).check();
    await sleep(3000); // the day's frame is loaded and drawn

    // (a) streaming updates as the monitor sends them (a sample, a tick and their history points, once a
    // second), with the 24 h window on screen. Chromium's own metrics give the main thread's time split
    // into script, style+layout and the rest (here mostly software rasterizing the canvases: no GPU);
    // the page's instrumentation gives the script time of each message and of each chart redraw.
    const perf = () => page.evaluate(() => {
      const p = (window as unknown as { __portwatchPerf: { chartUpdateTimes: number[]; messageTimes: number[] } }).__portwatchPerf;
      const out = { chart: p.chartUpdateTimes.slice(), msg: p.messageTimes.slice() };
      p.chartUpdateTimes.length = 0;
      p.messageTimes.length = 0;
      return out;
    });
    await perf();
    const m0 = await metrics();
    const w0 = performance.now();
    for (let i = 0; i < UPDATES; i++) {
      sampler.level = 15_000 + ((i * 37) % 500);
      sampler.step();
      await sleep(1000);
    }
    const m1 = await metrics();
    const wallSec = (performance.now() - w0) / 1000;
    const { chart: redraws, msg } = await perf();
    const per = (k: keyof typeof m0) => ((m1[k] - m0[k]) * 1000) / UPDATES;
    const msgPerUpdate = msg.reduce((a, b) => a + b, 0) / UPDATES;
    const red = stats(redraws);
    const drawOne = redraws.length ? redraws.reduce((a, b) => a + b, 0) / redraws.length : NaN;
    rows.push(`| (a) one streaming update, a day of 1 s history in the engine, ${WINDOW} window on screen: script time, amortized (messages + UI update + chart redraws) | ${UPDATES} | ${f2(per('script'))} ms | | < 4 ms |`);
    rows.push(`| (a) … of which handling the update's messages and updating the page (Svelte) | ${msg.length} msgs | ${f2(msgPerUpdate)} ms | | |`);
    rows.push(`| (a) … of which one chart redraw (Chart.js update('none')), ${redraws.length} redraws in ${UPDATES} updates (long windows redraw at most every bucket/8) | ${redraws.length} | ${f2(red.median)} ms | ${f2(red.p90)} ms | |`);
    rows.push(`| (a) an update that redraws every chart (worst case): messages + 3 redraws | | ${f2(msgPerUpdate + 3 * drawOne)} ms | | |`);
    rows.push(`| (a) main thread per update, all work: script ${f2(per('script'))} + style/layout ${f2(per('layout'))} + rest (raster, no GPU) | ${UPDATES} | ${f2(per('task'))} ms | | |`);
    const livePct = (((m1.task - m0.task) / wallSec) * 100);
    rows.push(`| (b) page CPU, live at 1 Hz (${WINDOW} window), ${UPDATES} s | 1 | ${f2(livePct)} % | | |`);

    // (b) idle: nothing new arrives.
    const i0 = await metrics();
    const iw0 = performance.now();
    await sleep(IDLE_SEC * 1000);
    const i1 = await metrics();
    const idlePct = ((i1.task - i0.task) / ((performance.now() - iw0) / 1000)) * 100;
    rows.push(`| (b) page CPU, idle (no new data), ${IDLE_SEC} s | 1 | ${f2(idlePct)} % | | < 1 % |`);
    await page.close();

    // (c) /metrics at 10 scrapes/s over a kept-alive connection (as Prometheus scrapes), samples at 1 Hz.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const scrape = () =>
      new Promise<number>((resolve, reject) => {
        const t = performance.now();
        const req = request({ host: '127.0.0.1', port: serve.port, path: '/metrics', agent, headers: { authorization: `Bearer ${serve.token}` } }, (res) => {
          res.resume();
          res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - t) : reject(new Error(`status ${res.statusCode}`))));
        });
        req.on('error', reject);
        req.end();
      });
    const feeding = setInterval(() => sampler.step(), 1000);
    const lat: number[] = [];
    const start = performance.now();
    for (let i = 0; i < SCRAPE_SEC * 10; i++) {
      const due = start + i * 100;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      lat.push(await scrape());
    }
    clearInterval(feeding);
    agent.destroy();
    const l = stats(lat);
    const p99 = [...lat].sort((a, b) => a - b)[Math.ceil(lat.length * 0.99) - 1]!;
    rows.push(`| (c) /metrics latency at 10 scrapes/s, ${SCRAPE_SEC} s (p99 ${f2(p99)} ms, max ${f2(l.max)} ms) | ${lat.length} | ${f2(l.median)} ms | ${f2(l.p90)} ms | < 5 ms |`);
    const s = syntheticSample(Date.now(), 15_000);
    const tk = makeTick(Date.now(), 5);
    const render: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t = performance.now();
      renderMetrics(s, tk, Date.now());
      render.push(performance.now() - t);
    }
    const r = stats(render);
    rows.push(`| (c) of which rendering the exposition text once (uncached) | ${render.length} | ${f2(r.median)} ms | ${f2(r.p90)} ms | |`);
  } finally {
    await browser.close();
    await serve.close();
  }
  console.log('| measurement | runs | median | p90 | goal |\n|---|---:|---:|---:|---|\n' + rows.join('\n'));
}

await main();
