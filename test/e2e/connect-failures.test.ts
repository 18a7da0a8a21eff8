// End to end: Debian's Chromium on the dashboard of a real `portwatch serve` run as root on the host (inside
// `ip netns exec` it could not trace: that mounts a fresh /sys without tracefs), while a client in a pod-like namespace with a 2-port range makes exactly 25 connects fail. The
// failure tracer (bpftrace, host-wide) sees them; the page shows the tracer running, then the row (process,
// namespace, destination, errno, count, failing now) and, live, the diagnosis that quotes them as another
// namespace's (the host's own severity does not rest on a pod's ports). axe finds nothing;
// the panel's screenshot goes to docs/screenshots/connect-failures-{light,dark}.png for the README.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { tracerPreflight } from '../../electron/node/platform/linux/tracer/connect-failure-tracer.js';
import { describeNetns } from '../netns/describe-netns.js';
import { createNamespace, type Namespace } from '../netns/netns.js';
import { CLI_ENTRY, REPO_ROOT } from '../netns/portwatch-cli.js';
import { axeViolations } from './axe.js';
import { browserUnavailable, ensureRendererBuilt, launchChromium } from './serve-in-netns.js';
import { NODE_COMM } from '../netns/node-comm.js';

const SHOTS = join(REPO_ROOT, 'docs/screenshots');
const FAILS = 25;
const DEST = '127.0.0.78';
const PORT = 47655;
// Generous: bpftrace compiles and attaches its probes first, slower on a busy machine.
const ATTACH_MS = 120_000;

// Holds the 2 ports of its range toward DEST:PORT, then makes FAILS connects fail, one every 100 ms, and
// stays (holding them) until killed, so its namespace keeps a name the tracer can find.
const CLIENT = `
const net = require('net');
const connect = () => new Promise((r) => { const s = net.connect(${PORT}, '${DEST}'); s.on('connect', () => r('ok')); s.on('error', (e) => r(e.code)); });
net.createServer(() => {}).listen(${PORT}, '${DEST}', async () => {
  const results = [];
  for (let i = 0; i < ${FAILS} + 2; i++) { results.push(await connect()); await new Promise((r) => setTimeout(r, 100)); }
  process.stdout.write(JSON.stringify({ pid: process.pid, results }) + '\\n');
  setInterval(() => {}, 1000);
});`;

const missingBrowser = browserUnavailable();
const cannotTrace = 'error' in tracerPreflight() ? (tracerPreflight() as { error: string }).error : null;

describeNetns('the failed-connects panel end to end (Chromium, real serve as root, a failing client in a pod-like namespace)', () => {
  let podNs: Namespace;
  let serve: ChildProcess;
  let url: string;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    if (missingBrowser || cannotTrace) return;
    ensureRendererBuilt();
    podNs = await createNamespace('tracerlive4pod');
    await podNs.sysctl('net.ipv4.ip_local_port_range', '40000 40001');
    // The real CLI on the host, on a free loopback port (it prints the URL with its token). --netns self:
    // the page shows the monitor's own sample, which carries the tracer's failures and their diagnosis.
    serve = spawn(process.execPath, ['--import', 'tsx', CLI_ENTRY, 'serve', '--port', '0', '--netns', 'self'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const t = setTimeout(() => reject(new Error(`serve printed no URL: ${out}`)), 60_000);
      serve.stdout!.on('data', (c: Buffer) => {
        out += String(c);
        const m = /Portwatch dashboard: (http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+)/.exec(out);
        if (m) {
          clearTimeout(t);
          resolve(m[1]!);
        }
      });
    });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' })).newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close().catch(() => {});
    if (serve && serve.exitCode === null) {
      const gone = new Promise((r) => serve.once('exit', r));
      serve.kill('SIGINT');
      await gone;
    }
    await podNs?.destroy();
  }, 30_000);

  it.skipIf(missingBrowser !== null || cannotTrace !== null)('shows the tracer running, then who failed where, how often, and the quoted diagnosis; no axe violation; screenshots', async () => {
    await page.goto(url);
    await page.locator('[data-testid="tracer-state"][data-status="ok"]').waitFor({ timeout: ATTACH_MS });
    expect(await page.getByTestId('tracer-state').textContent()).toMatch(/Tracing every connect\(\) the kernel refuses/);

    const client = podNs.spawn([process.execPath, '-e', CLIENT]);
    const done = JSON.parse(await client.waitForLine(/"results"/, 60_000)) as { pid: number; results: string[] };
    expect(done.results).toEqual(['ok', 'ok', ...Array(FAILS).fill('EADDRNOTAVAIL')]);

    const row = page.getByTestId('connect-failures-table').locator('tbody tr', { hasText: `(${done.pid})` });
    // Wait on the cells themselves: the row appears with the first traced failures and counts up (a text
    // filter on the count also matched the pid, 25 in 25039, while the row still said 3).
    const cells = async () => (await row.locator('td').allTextContents()).map((t) => t.trim());
    await expect
      .poll(cells, { timeout: 90_000, interval: 250 })
      .toEqual([`${NODE_COMM} (${done.pid})`, `netns ${podNs.name} · another namespace`, `${DEST}:${PORT}`, 'EADDRNOTAVAIL', String(FAILS), String(FAILS), 'failing now']);
    // Facts, quoted where they happened: the pod's failures are a warning here, never the host's own exhaustion.
    const diagnosis = page.locator('[data-testid="diagnosis"][data-id="port-allocation-failures-elsewhere"]');
    await diagnosis.waitFor({ timeout: 30_000 });
    expect(await diagnosis.textContent()).toContain(`${NODE_COMM} (pid ${done.pid}) in netns ${podNs.name} failed ${FAILS} connects to ${DEST}:${PORT} in the last minute (EADDRNOTAVAIL)`);
    expect(await page.locator('[data-testid="diagnosis"][data-id="port-allocation-failures"]').count()).toBe(0);
    expect(await page.getByTestId('severity').textContent()).not.toBe('exhausted');

    expect(await axeViolations(page)).toEqual([]);
    const panel = page.getByTestId('connect-failures');
    await panel.scrollIntoViewIfNeeded();
    await panel.screenshot({ path: join(SHOTS, 'connect-failures-light.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForTimeout(500); // the theme follows the system scheme through a media listener
    expect(await axeViolations(page)).toEqual([]);
    await panel.screenshot({ path: join(SHOTS, 'connect-failures-dark.png') });
    client.kill('SIGKILL');
  }, 300_000);
});
