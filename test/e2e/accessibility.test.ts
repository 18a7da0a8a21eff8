// Accessibility in Chromium with axe-core: zero WCAG 2.1 AA violations (contrast included) on the
// dashboard at every severity, the connection list and each wizard step the page can reach by itself, in
// light and dark, at 800, 1280 and 1920 px. Served by the real `serve` over a synthetic sampler whose
// level sets the severity (the kernel plays no part in how the page looks). The apply, verify and keep
// steps need a real change and are checked in wizard.test.ts.
import { afterAll, beforeAll, expect, it, describe } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { startServe } from '../../electron/server/serve.js';
import { SyntheticSampler } from './synthetic-sampler.js';
import { browserUnavailable, ensureRendererBuilt } from './serve-in-netns.js';
import { axeEverywhere } from './axe.js';

const missingBrowser = browserUnavailable();
if (missingBrowser && process.env.CI === 'true') throw new Error(`end-to-end tests cannot run: ${missingBrowser}`);

// Sockets toward the worst destination of 28,232 usable ports: one level per severity.
const LEVELS = { ok: 2_000, warning: 22_000, critical: 26_000, exhausted: 28_232 } as const;

describe.skipIf(missingBrowser !== null)('accessibility (axe-core in Chromium)', () => {
  let browser: Browser;
  let page: Page;
  let url: string;
  let stop: () => Promise<void>;
  const sampler = new SyntheticSampler(300);

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
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' })).newPage();
  }, 60_000);

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await stop?.();
  });

  const severity = async () => ((await page.getByTestId('severity').textContent()) ?? '').trim();
  const waitSeverity = async (want: string) => {
    const end = Date.now() + 20_000;
    while ((await severity()) !== want) {
      if (Date.now() > end) throw new Error(`the page never showed ${want}; it shows ${await severity()}`);
      await page.waitForTimeout(100);
    }
  };

  it('dashboard: every severity, both themes, three widths', async () => {
    await page.goto(url);
    await page.getByTestId('connection').filter({ hasText: 'live' }).waitFor({ timeout: 20_000 });
    const found: string[] = [];
    for (const [sev, level] of Object.entries(LEVELS)) {
      sampler.level = level;
      await waitSeverity(sev);
      // Diagnosis cards open too, so the text inside them is checked.
      await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
      // Every width at one severity; the others (only colours change) at 1280 px.
      found.push(...(await axeEverywhere(page, `dashboard (${sev})`, sev === 'critical' ? undefined : [1280])));
    }
    expect(found).toEqual([]);
  }, 180_000);

  it('tuning wizard: the diagnosis, choose and review steps', async () => {
    sampler.level = LEVELS.critical;
    await page.goto(`${url.replace(/\?.*$/, '')}#wizard`);
    await page.getByTestId('wizard').waitFor({ timeout: 20_000 });
    const found: string[] = [];
    found.push(...(await axeEverywhere(page, 'wizard 1 diagnosis')));
    await page.getByTestId('next-button').click();
    await page.getByTestId('kernel-step').first().waitFor({ timeout: 20_000 });
    found.push(...(await axeEverywhere(page, 'wizard 2 choose')));
    await page.getByTestId('next-button').click();
    await page.locator('[data-testid="wizard"][data-step="review"]').waitFor({ timeout: 20_000 });
    await page.locator('[data-testid="review-settings"], [data-testid="container-snippet"], [data-testid="wizard-error"]').first().waitFor({ timeout: 20_000 });
    found.push(...(await axeEverywhere(page, 'wizard 3 review')));
    expect(found).toEqual([]);
  }, 180_000);
});
