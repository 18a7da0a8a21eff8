// End to end in Chromium: the connection list of the real `serve` over a synthetic sampler holding a
// million sockets. The DOM holds about a screenful of rows, scrolling to the end shows the last socket,
// search and sort are answered by the monitor, a click on a destination, a process or a namespace narrows
// the list (from the dashboard too), the export downloads what is listed (CSV with formula-looking cells
// defused, JSON), axe finds nothing in light and dark at three widths; and the README screenshot.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import type { ConnectionFilter } from '../../electron/common/connections.js';
import { startServe } from '../../electron/server/serve.js';
import { ConnectionList } from '../../electron/node/service/connection-list.js';
import { SyntheticSampler, syntheticSockets } from './synthetic-sampler.js';
import { browserUnavailable, ensureRendererBuilt } from './serve-in-netns.js';
import { REPO_ROOT } from '../netns/portwatch-cli.js';
import { axeEverywhere } from './axe.js';

const missingBrowser = browserUnavailable();
if (missingBrowser && process.env.CI === 'true') throw new Error(`end-to-end tests cannot run: ${missingBrowser}`);

const ROWS = 1_000_000;
// The same sockets the sampler lists, to know what each filter must find.
const oracle = new ConnectionList(syntheticSockets(ROWS, 0));
const matching = (filter: ConnectionFilter) => oracle.page({ filter, offset: 0, limit: 1 }).matched;
const fmt = (n: number) => n.toLocaleString('en-US');

describe.skipIf(missingBrowser !== null)('connection list end to end (Chromium, a million sockets)', () => {
  let browser: Browser;
  let page: Page;
  let url: string;
  let stop: () => Promise<void>;
  const sampler = new SyntheticSampler(1000);
  sampler.socketCount = ROWS;

  beforeAll(async () => {
    ensureRendererBuilt();
    const s = await startServe(
      { host: '127.0.0.1', port: 0, open: false, metricsPublic: false, allowRemote: false, allowHosts: [], tokenFile: null, help: false },
      sampler,
      {},
    );
    url = s.url;
    stop = () => s.close();
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--headless'] });
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light', acceptDownloads: true })).newPage();
    await page.goto(url);
    await page.getByTestId('connection').filter({ hasText: 'live' }).waitFor({ timeout: 60_000 });
  }, 90_000);

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await stop?.();
  });

  const status = () => page.getByTestId('conn-status');
  const waitStatus = (text: string) => status().filter({ hasText: text }).waitFor({ timeout: 60_000 });
  const rowCount = () => page.locator('[data-testid="connections"] tbody tr[data-row]').count();

  it('opens from the dashboard and renders only the rows in view; scrolling to the end shows the last socket', async () => {
    await page.getByTestId('all-connections').click();
    await waitStatus(`${fmt(ROWS)} of ${fmt(ROWS)} sockets`);
    await page.locator('tr[data-row="0"] td', { hasText: '10.0.0.1:10000' }).waitFor({ timeout: 60_000 });
    const rendered = await rowCount();
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(60);
    expect(await page.locator('[data-testid="connections"]').getAttribute('aria-rowcount')).toBe(String(ROWS + 1));

    await page.getByTestId('conn-viewport').evaluate((el) => (el.scrollTop = el.scrollHeight));
    // Row 999,999: to [2001:db8::20]:443 from port 10,000 + 49,999, in TIME-WAIT for 39,999 ms.
    const last = page.locator(`tr[data-row="${ROWS - 1}"]`);
    await last.filter({ hasText: '10.0.0.1:59999' }).waitFor({ timeout: 60_000 });
    expect(await last.textContent()).toContain('[2001:db8::20]:443');
    expect(await last.textContent()).toContain('TIME-WAIT');
    expect(await rowCount()).toBe(rendered);
    // In the middle too: a scroll position maps to its row, fetched on demand.
    await page.getByTestId('conn-viewport').evaluate((el) => (el.scrollTop = (el.scrollHeight - el.clientHeight) / 2));
    // The rows follow on the scroll event's frame: read them once they have moved off the end.
    const firstRow = async (): Promise<number> => Number(await page.locator('[data-testid="connections"] tbody tr[data-row]').first().getAttribute('data-row'));
    await expect.poll(firstRow, { timeout: 30_000 }).toBeLessThan(ROWS * 0.9);
    const mid = await firstRow();
    expect(mid).toBeGreaterThan(ROWS * 0.45);
    expect(mid).toBeLessThan(ROWS * 0.55);
    await page.locator(`tr[data-row="${mid}"] td`, { hasText: `10.0.0.1:${10_000 + (mid % 50_000)}` }).waitFor({ timeout: 60_000 });
  }, 120_000);

  it('searches and sorts in the monitor', async () => {
    await page.locator('#conn-search').fill('worker');
    await waitStatus(`${fmt(matching({ text: 'worker' }))} of ${fmt(ROWS)} sockets`);
    await page.locator('tr[data-row="0"]', { hasText: 'worker (3307)' }).waitFor({ timeout: 60_000 });
    const texts = await page.locator('[data-testid="connections"] tbody tr[data-row]').allTextContents();
    expect(texts.length).toBeGreaterThan(5);
    expect(texts.every((t) => t.includes('worker (3307)'))).toBe(true);

    await page.locator('#conn-search').fill('');
    await waitStatus(`${fmt(ROWS)} of ${fmt(ROWS)} sockets`);
    await page.getByRole('button', { name: 'Remote', exact: true }).click();
    await page.getByRole('columnheader', { name: 'Remote ▲' }).waitFor({ timeout: 60_000 });
    // Ascending by address as a number: 10.20.0.2 before 10.20.0.11 (text order would put .11 first).
    await page.locator('tr[data-row="0"] td', { hasText: '10.20.0.2:8080' }).waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Remote ▲' }).click();
    await page.locator('tr[data-row="0"] td', { hasText: '[2001:db8::20]:443' }).waitFor({ timeout: 60_000 });
  }, 120_000);

  it('narrows to a process, a destination and a namespace by a click, and back', async () => {
    await page.locator('tr[data-row="0"] a', { hasText: '[2001:db8::20]:443' }).click();
    await waitStatus(`${fmt(matching({ destination: '[2001:db8::20]:443' }))} of`);
    expect(decodeURIComponent(new URL(page.url()).hash)).toBe('#connections?destination=[2001:db8::20]:443');
    await page.locator('tr[data-row="0"] a', { hasText: '[2001:db8::20]:443' }).waitFor({ timeout: 60_000 });
    const proc = page.locator('tbody a', { hasText: /\(\d+\)$/ }).first();
    const procText = (await proc.textContent()) ?? '';
    const pid = Number(/\((\d+)\)$/.exec(procText)![1]);
    await proc.click();
    await waitStatus(`${fmt(matching({ destination: '[2001:db8::20]:443', pid }))} of`);
    expect(matching({ destination: '[2001:db8::20]:443', pid })).toBeGreaterThan(0);
    expect(await page.getByRole('list', { name: 'Active filters' }).textContent()).toContain(`PID: ${pid}`);
    await page.getByRole('link', { name: 'Remove the destination filter' }).click();
    await waitStatus(`${fmt(matching({ pid }))} of`);
    await page.locator('tr[data-row="0"] a', { hasText: 'net:[4026531840]' }).click();
    await waitStatus(`${fmt(matching({ pid, namespace: 'net:[4026531840]' }))} of`);

    // From the dashboard: a process in the processes table, a destination in the destinations table.
    await page.goto(`${new URL(page.url()).origin}/`);
    await page.getByTestId('processes').getByRole('link', { name: 'worker' }).click();
    await waitStatus(`${fmt(matching({ pid: 3307 }))} of`);
    await page.goBack();
    await page.getByTestId('destinations').getByRole('link', { name: '10.20.0.2:8080' }).click();
    await waitStatus(`${fmt(matching({ destination: '10.20.0.2:8080', localAddress: '10.0.0.1' }))} of`);
  }, 120_000);

  it('exports what is listed as CSV (formula-looking cells defused, RFC 4180) and JSON', async () => {
    await page.goto(`${new URL(page.url()).origin}/#connections?pid=4002&port=10003`);
    const n = matching({ pid: 4002, port: 10003 });
    expect(n).toBeGreaterThan(5);
    await waitStatus(`${fmt(n)} of`);
    // Fetched page by page first, then offered as a link (a download long after the click would be blocked).
    await page.getByRole('button', { name: 'Export the listed connections as CSV' }).click();
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-portwatch-connections').click()]);
    const text = readFileSync((await csv.path())!, 'utf8');
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('protocol,localAddress,localPort,remoteAddress,remotePort,state,pid,process,namespace,timeWaitLeftMs,ageMs');
    expect(lines.length).toBe(n + 2); // header, rows, and the empty string after the last CRLF
    expect(lines[1]).toMatch(/^TCP(v6)?,10\.0\.0\.1,\d+,[^,]+,\d+,ESTABLISHED,4002,'=cmd\|calc,net:\[4026531840\],,$/);
    await page.getByRole('button', { name: 'Export the listed connections as JSON' }).click();
    await page.getByTestId('save-portwatch-connections').filter({ hasText: '.json' }).waitFor({ timeout: 60_000 });
    const [json] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-portwatch-connections').click()]);
    const rows = JSON.parse(readFileSync((await json.path())!, 'utf8')) as { process: string; pid: number }[];
    expect(rows.length).toBe(n);
    expect(rows.every((r) => r.process === '=cmd|calc' && r.pid === 4002)).toBe(true);

    // The dashboard's destinations: what the table lists.
    await page.goto(`${new URL(page.url()).origin}/`);
    await page.getByTestId('destinations').waitFor();
    const listed = await page.getByTestId('destinations').locator('tbody tr').count();
    const [dest] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export the listed destinations as CSV' }).click()]);
    const destLines = readFileSync((await dest.path())!, 'utf8').trimEnd().split('\r\n');
    expect(destLines.length).toBe(listed + 1);
    expect(destLines[1]).toMatch(/^10\.20\.0\.2,8080,10\.0\.0\.1,/);
  }, 120_000);

  it('has no axe violations in light and dark at 800, 1280 and 1920 px, and is photographed for the README', async () => {
    await page.goto(`${new URL(page.url()).origin}/#connections?state=ESTABLISHED&text=api`);
    await waitStatus(`${fmt(matching({ state: 'ESTABLISHED', text: 'api' }))} of`);
    await page.locator('tr[data-row="0"] td', { hasText: 'api-gateway' }).first().waitFor({ timeout: 60_000 });
    expect(await axeEverywhere(page, 'connection list')).toEqual([]);
    await page.goto(`${new URL(page.url()).origin}/#connections`);
    await waitStatus(`${fmt(ROWS)} of`);
    await page.locator('tr[data-row="0"] td', { hasText: '10.0.0.1:10000' }).waitFor({ timeout: 60_000 });
    // Chromium's capture waits for a compositor frame: once, in the whole suite on 2 busy cores, that took
    // over Playwright's default 30 s (the page itself was done). Bounded still, but as generous as the waits above.
    await page.screenshot({ path: join(REPO_ROOT, 'docs/screenshots/connections-light.png'), timeout: 90_000 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: join(REPO_ROOT, 'docs/screenshots/connections-dark.png'), timeout: 90_000 });
    await page.emulateMedia({ colorScheme: 'light' });
  }, 300_000);
});
