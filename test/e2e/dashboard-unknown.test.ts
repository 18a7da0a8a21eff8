// The dashboard when Portwatch can read less than usual, for real: a real `serve` in a namespace with
// real sockets, under the /proc a hardened systemd unit gives it with ProcSubset=pid (procfs mounted
// with subset=pid: no /proc/sys, no /proc/net). The range cannot be read, so no socket can be told
// outbound: the page says "unknown" with the reason, never "no outbound connection" or 0 %, while the
// socket states (read over netlink) are still shown. With the sock_diag addon missing as well (a broken
// install), the socket table itself cannot be read: /proc/net/tcp is gone too. /metrics leaves out what
// rests on what was not read. axe-core finds nothing on either page.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeNetns } from '../netns/describe-netns.js';
import { createNamespace, type Namespace, type NsProcess } from '../netns/netns.js';
import { CLI_ENTRY, REPO_ROOT } from '../netns/portwatch-cli.js';
import { connectHold, startServer } from '../netns/workloads.js';
import { ADDON_DIRS, underProcSubsetPid } from '../netns/hardened-proc.js';
import { parseExposition } from '../server/exposition.js';
import { axeEverywhere } from './axe.js';
import { browserUnavailable, ensureRendererBuilt, fetchInNamespace, launchChromiumIn } from './serve-in-netns.js';

const missingBrowser = browserUnavailable();
if (missingBrowser && process.env.CI === 'true') throw new Error(`end-to-end tests cannot run: ${missingBrowser}`);
const suite = missingBrowser ? describe.skip : describeNetns;

const NO_RANGE = 'the ephemeral port range is unknown, and outbound means a local port inside it';
const NO_TABLE = 'no socket table could be read (see the sources)';

async function startHardenedServe(ns: Namespace, hide: readonly string[]): Promise<{ serve: NsProcess; url: string }> {
  const argv = [process.execPath, '--import', 'tsx', CLI_ENTRY, 'serve', '--port', '0', '--metrics-public', '--no-failure-tracer'];
  const serve = ns.spawn(underProcSubsetPid(argv, hide), { cwd: REPO_ROOT });
  const line = await serve.waitForLine(/Portwatch dashboard: http:\/\/127\.0\.0\.1:\d+\/\?token=/, 30_000).catch((err: unknown) => {
    throw new Error(`${String(err)}\nserve: ${serve.stderr.slice(-800)}`);
  });
  return { serve, url: /(http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+)/.exec(line)![1]! };
}

const text = async (page: Page, testid: string) => (await page.getByTestId(testid).innerText()).trim();

suite('the dashboard when the range or the socket table cannot be read (real serve under ProcSubset=pid)', () => {
  let ns: Namespace;
  let browser: Browser;

  beforeAll(async () => {
    ensureRendererBuilt();
    ns = await createNamespace('unknown5');
    await startServer(ns, ['127.0.0.1:8080']);
    // Five connections held open: sockets the page must not call "none".
    expect((await connectHold(ns, '127.0.0.1:8080', 5)).connected).toBe(5);
    browser = await launchChromiumIn(ns);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await ns?.destroy();
  }, 30_000);

  it('says the outbound connections are unknown without the range, and still shows the sockets it read', async () => {
    const { serve, url } = await startHardenedServe(ns, []);
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(url);
      await page.getByTestId('severity-reason').filter({ hasText: 'The ephemeral port range could not be read, so capacity is unknown.' }).waitFor({ timeout: 30_000 });
      expect(await text(page, 'severity')).toMatch(/unknown/i);
      expect(await text(page, 'sockets-unknown')).toBe(`unknown: ${NO_RANGE}`);
      expect(await text(page, 'worst-percent')).toBe('—');
      expect(await text(page, 'tte')).toBe('unknown');
      const main = await page.locator('main').innerText();
      expect(main).toContain(`Unknown: ${NO_RANGE}.`);
      expect(main).toContain('Usable capacity unknown');
      expect(main).not.toMatch(/No outbound connection|No process owns|0\.0 %/);
      expect(await page.getByTestId('kernel').innerText()).toMatch(/Ephemeral port range\s+net\.ipv4\.ip_local_port_range\s+unknown It could not be read/);
      // /metrics: the socket states are there (netlink read them), use and capacity are left out.
      const m = parseExposition((await fetchInNamespace(ns, url.replace(/\/\?token=.*/, '/metrics'))).body);
      expect(m.get('portwatch_sockets{state="ESTABLISHED"}')).toBeGreaterThanOrEqual(10);
      expect(m.get('portwatch_sockets{state="LISTEN"}')).toBeGreaterThanOrEqual(1);
      for (const name of ['portwatch_utilization_ratio', 'portwatch_destinations', 'portwatch_usable_ports', 'portwatch_port_range_ports', 'portwatch_reserved_ports']) expect(m.has(name), name).toBe(false);
      expect(m.get('portwatch_severity_level')).toBe(0);
      expect(await axeEverywhere(page, 'range unknown', [1280])).toEqual([]);
      if (process.env.PORTWATCH_SCREENSHOTS) await page.screenshot({ path: join(REPO_ROOT, 'docs/screenshots/dashboard-range-unknown.png'), fullPage: true });
    } finally {
      serve.kill('SIGTERM');
      await serve.wait(10_000).catch(() => undefined);
    }
  }, 120_000);

  it('says the sockets are unknown when the socket table cannot be read either (no addon, no /proc/net)', async () => {
    expect(ADDON_DIRS.length).toBeGreaterThan(0);
    const { serve, url } = await startHardenedServe(ns, ADDON_DIRS);
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(url);
      await page.getByTestId('severity-reason').filter({ hasText: 'No socket source could be read' }).waitFor({ timeout: 30_000 });
      expect(await text(page, 'sockets-unknown')).toBe(`unknown: ${NO_TABLE}`);
      expect(await text(page, 'tte')).toBe('unknown');
      const main = await page.locator('main').innerText();
      expect(main).toContain(`Unknown: ${NO_TABLE}.`);
      expect(main).toContain(`The patterns in sockets are unknown: ${NO_TABLE}.`);
      expect(main).not.toMatch(/No outbound connection|No process owns|no pattern of trouble|not heading there/);
      const m = parseExposition((await fetchInNamespace(ns, url.replace(/\/\?token=.*/, '/metrics'))).body);
      expect([...m.keys()].filter((k) => k.startsWith('portwatch_sockets{'))).toEqual([]);
      expect(m.has('portwatch_utilization_ratio')).toBe(false);
      expect(m.get('portwatch_source_up{source="tcp-diag-inet"}')).toBe(0);
      expect(await axeEverywhere(page, 'socket table unknown', [1280])).toEqual([]);
    } finally {
      serve.kill('SIGTERM');
      await serve.wait(10_000).catch(() => undefined);
    }
  }, 120_000);
});
