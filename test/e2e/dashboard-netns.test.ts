// The dashboard's namespace view in Chromium, against a real `portwatch serve --netns host` started as root
// in the host's namespace (the way a node's monitor runs), with real namespaces: one whose 10-port range
// a client exhausted toward 127.0.0.1:8080 (the kernel refused the 11th connect), one idle with a range
// of its own. The picker lists every namespace of the machine worst first; "All namespaces" puts every
// namespace's destinations in one table with a namespace column the filter matches; choosing a namespace
// scopes every panel (severity, range, processes) to it. axe-core finds no violation; the README
// screenshot is taken here.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeNetns } from '../netns/describe-netns.js';
import { createNamespace, type Namespace } from '../netns/netns.js';
import { CLI_ENTRY, REPO_ROOT } from '../netns/portwatch-cli.js';
import { connectHold, startServer } from '../netns/workloads.js';
import { axeEverywhere } from './axe.js';
import { browserUnavailable, CHROMIUM, ensureRendererBuilt } from './serve-in-netns.js';

const missingBrowser = browserUnavailable();
if (missingBrowser && process.env.CI === 'true') throw new Error(`end-to-end tests cannot run: ${missingBrowser}`);
const SHOTS = join(REPO_ROOT, 'docs/screenshots');

/** `portwatch serve --netns host` on the host; resolves with its dashboard URL. */
function startServeOnHost(child: ChildProcess): Promise<string> {
  const lines = createInterface({ input: child.stdout! });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('serve --netns host printed no dashboard URL within 60 s')), 60_000);
    lines.on('line', (line) => {
      const m = /Portwatch dashboard: (http:\/\/127\.0\.0\.1:\d+\/\S+)/.exec(line);
      if (!m) return;
      clearTimeout(timer);
      resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`serve --netns host exited with ${code}`)));
  });
}

// without a browser (outside CI) the suite is skipped; without namespaces describeNetns says why
const suite = missingBrowser ? describe.skip : describeNetns;

suite('the dashboard across every network namespace (serve --netns host, Chromium)', () => {
  let full: Namespace;
  let idle: Namespace;
  let serve: ChildProcess;
  let browser: Browser;
  let page: Page;
  let url: string;
  let fullId: string;
  let idleId: string;

  beforeAll(async () => {
    ensureRendererBuilt();
    full = await createNamespace('netns4full');
    await full.sysctl('net.ipv4.ip_local_port_range', '40000 40009');
    await startServer(full, ['127.0.0.1:8080']);
    const held = await connectHold(full, '127.0.0.1:8080', 11);
    // the kernel's own answer: 10 ports, then EADDRNOTAVAIL
    expect(held.connected).toBe(10);
    expect(held.codes.EADDRNOTAVAIL).toBe(1);
    idle = await createNamespace('netns4idle');
    await idle.sysctl('net.ipv4.ip_local_port_range', '45000 45999');
    fullId = `net:[${statSync(`/run/netns/${full.name}`).ino}]`;
    idleId = `net:[${statSync(`/run/netns/${idle.name}`).ino}]`;

    serve = spawn(process.execPath, ['--import', 'tsx', CLI_ENTRY, 'serve', '--port', '0', '--netns', 'host'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    url = await startServeOnHost(serve);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' })).newPage();
    await page.goto(url);
    await page.locator(`[data-testid="namespaces"] tr[data-netns="${fullId}"]`).waitFor({ timeout: 60_000 });
  }, 180_000);

  afterAll(async () => {
    await browser?.close().catch(() => {});
    serve?.kill('SIGTERM');
    await full?.destroy();
    await idle?.destroy();
  });

  const badge = (id: string) => page.locator(`[data-testid="namespaces"] tr[data-netns="${id}"] .badge`).textContent();

  it('lists every namespace worst first, the exhausted one with its range and worst destination', async () => {
    expect(await badge(fullId)).toBe('exhausted');
    expect(await badge(idleId)).toBe('ok');
    const row = page.locator(`[data-testid="namespaces"] tr[data-netns="${fullId}"]`);
    await expect.poll(() => row.textContent()).toMatch(/40000–40009.*100\.0 %.*toward 127\.0\.0\.1:8080/s);
    expect(await row.textContent()).toContain(`netns ${full.name}`);
    // worst first: no namespace below ranks above the one before it
    const order = ['unknown', 'ok', 'warning', 'critical', 'exhausted'];
    const ranks = (await page.locator('[data-testid="namespaces"] tbody .badge').allTextContents()).map((s) => order.indexOf(s.trim()));
    const read = ranks.filter((r) => r > 0);
    expect(read).toEqual([...read].sort((a, b) => b - a));
  });

  it('"All namespaces": every namespace\'s destinations with a namespace column that the filter matches', async () => {
    const table = page.getByTestId('destinations');
    await expect.poll(() => table.locator('thead').textContent()).toContain('Namespace');
    const fullRow = table.locator(`tr[data-key^="${fullId}|"]`).filter({ hasText: '127.0.0.1:8080' });
    await fullRow.waitFor({ timeout: 30_000 });
    expect(await fullRow.textContent()).toContain(`netns ${full.name}`);
    await page.locator('#filter').fill(full.name);
    const keys = await table.locator('tbody tr[data-key]').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.key ?? ''));
    expect(keys.length).toBeGreaterThan(0);
    for (const k of keys) expect(k.startsWith(`${fullId}|`)).toBe(true);
    // the processes of that namespace, with their namespace
    const procs = page.getByTestId('processes');
    expect(await procs.locator('thead').textContent()).toContain('Namespace');
    expect(await procs.locator('tbody').textContent()).toContain(`netns ${full.name}`);
    await page.locator('#filter').fill('');
  });

  it('choosing a namespace scopes every panel to it', async () => {
    await page.locator(`[data-testid="namespaces"] tr[data-netns="${idleId}"] button`).click();
    await expect.poll(() => page.getByTestId('severity').textContent()).toBe('ok');
    expect(await page.getByTestId('namespace-scope').textContent()).toContain(`netns ${idle.name}`);
    await expect.poll(() => page.locator('main').textContent()).toContain('45000');
    expect(await page.getByTestId('destinations').locator(`tr[data-key^="${fullId}|"]`).count()).toBe(0);

    await page.locator(`[data-testid="namespaces"] tr[data-netns="${fullId}"] button`).click();
    await expect.poll(() => page.getByTestId('severity').textContent()).toBe('exhausted');
    expect(await page.getByTestId('severity-reason').textContent()).toContain('127.0.0.1:8080');
    expect(await page.getByTestId('namespace-scope').textContent()).toContain(`netns ${full.name}`);
  });

  it('has no accessibility violation (axe-core), and takes the README screenshot', async () => {
    expect(await axeEverywhere(page, 'namespace view')).toEqual([]);
    mkdirSync(SHOTS, { recursive: true });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(SHOTS, 'dashboard-namespaces.png') });
  }, 120_000);
});
