// The dashboard of several hosts (`portwatch serve --ssh A --ssh B`) in Chromium, against a real sshd in a
// namespace (test/remote/sshd-pair.ts): the host picker lists both hosts with their severity (A exhausted,
// B an address nobody answers for: unknown), choosing one scopes every panel to that host, a WebSocket for
// a host that does not exist is refused, and axe-core finds nothing; the screenshot goes into the README.
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeNetns } from '../netns/describe-netns.js';
import { CLI_ENTRY, REPO_ROOT } from '../netns/portwatch-cli.js';
import type { NsProcess } from '../netns/netns.js';
import { exhaustRemote, type RemoteHold } from '../remote/remote-exhaustion.js';
import { startSshdPair, type SshdPair } from '../remote/sshd-pair.js';
import { axeEverywhere } from './axe.js';
import { browserUnavailable, ensureRendererBuilt, launchChromiumIn } from './serve-in-netns.js';

describeNetns('host picker of serve --ssh A --ssh B in Chromium', () => {
  let pair: SshdPair;
  let hold: RemoteHold;
  let serve: NsProcess;
  let url = '';
  let reachable = '';
  let silent = '';

  beforeAll(async () => {
    pair = await startSshdPair('rd4pk');
    hold = await exhaustRemote(pair);
    reachable = `root@${pair.serverAddress}`;
    silent = `root@${pair.clientAddress.replace(/\.1$/, '.9')}`;
    const base = mkdtempSync(join(pair.dir, 'ctl-'));
    serve = pair.client.spawn([process.execPath, '--import', 'tsx', CLI_ENTRY, 'serve', '--port', '0', '--ssh', reachable, '--ssh', silent, '--ssh-config', pair.keyConfig], {
      cwd: REPO_ROOT,
      env: { ...process.env, XDG_RUNTIME_DIR: base },
    });
    const line = await serve.waitForLine(new RegExp(`Portwatch dashboard for ${reachable.replace(/\./g, '\\.')}: http://127\\.0\\.0\\.1:\\d+/\\?token=`), 30_000);
    url = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+)/.exec(line)![1]!;
  }, 90_000);

  afterAll(async () => {
    serve?.kill('SIGTERM');
    await serve?.wait(10_000).catch(() => undefined);
    await pair?.close();
  }, 30_000);

  it('lists both hosts with their severity, scopes every panel to the chosen one, and passes axe-core', async () => {
    expect(hold.connected).toBe(10);
    if (browserUnavailable() !== null) return;
    ensureRendererBuilt();
    const browser = await launchChromiumIn(pair.client);
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(url);
      const picker = page.getByTestId('host-picker');
      // Bounded waits: the first remote sample, and ssh giving up on the silent address.
      await picker
        .getByTestId('host-0')
        .filter({ hasText: 'exhausted' })
        .waitFor({ timeout: 150_000 })
        .catch(async (err: unknown) => {
          // Say what the page and serve showed instead (a loaded machine, ssh's words).
          throw new Error(`${String(err)}\npage: ${(await page.locator('body').innerText()).slice(0, 600)}\nserve: ${serve.lines.slice(-10).join('\n')}`);
        });
      // Before its first reading B is "unknown" too ("Waiting for the first reading"): wait until ssh gave up.
      await expect
        .poll(async () => picker.getByTestId('host-1').getAttribute('title'), { timeout: 90_000, interval: 500 })
        .toMatch(/^Unreachable since /);
      await picker.getByTestId('host-1').filter({ hasText: 'unknown' }).waitFor({ timeout: 10_000 });
      expect(await picker.getByTestId('host-0').innerText()).toMatch(new RegExp(`exhausted\\s+${reachable}`, 'i'));
      expect(await picker.getByTestId('host-0').getAttribute('aria-current')).toBe('page');
      expect(await picker.getByTestId('host-1').getAttribute('title')).toMatch(/^Unreachable since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC: /);
      // This page is host A's: its panels show A's exhaustion and process.
      await page.getByText('127.0.0.1:8080').first().waitFor({ timeout: 30_000 });
      expect(await page.getByTestId('severity').innerText()).toMatch(/exhausted/i);
      expect(await page.locator('main').innerText()).toContain(String(hold.pid));
      expect(await axeEverywhere(page, 'host picker, host A', [1280])).toEqual([]);
      if (process.env.PORTWATCH_SCREENSHOTS) await page.screenshot({ path: join(REPO_ROOT, 'docs/screenshots/remote-host-picker.png') });

      // Choosing B scopes every panel to B: its header, its severity, none of A's destinations.
      await picker.getByTestId('host-1').click();
      await page.waitForURL(/\?host=1$/);
      await page.getByTestId('severity-reason').filter({ hasText: /^Unreachable since / }).waitFor({ timeout: 30_000 });
      expect(await page.getByTestId('severity').innerText()).toMatch(/unknown/i);
      expect(await page.locator('header').innerText()).toContain(silent);
      expect(await page.locator('main').innerText()).not.toContain('127.0.0.1:8080');
      expect(await page.getByTestId('host-picker').getByTestId('host-1').getAttribute('aria-current')).toBe('page');
      expect(await axeEverywhere(page, 'host picker, host B', [1280])).toEqual([]);

      // Back to A, and a WebSocket for a host that is not there is refused.
      await page.getByTestId('host-picker').getByTestId('host-0').click();
      await page.getByText('127.0.0.1:8080').first().waitFor({ timeout: 30_000 });
      const refused = await page.evaluate(
        (u) =>
          new Promise<string>((resolve) => {
            const ws = new WebSocket(u);
            ws.onopen = () => resolve('open');
            ws.onerror = () => resolve('refused');
          }),
        url.replace(/^http/, 'ws').replace(/\/\?token=.*/, '/ws?host=7'),
      );
      expect(refused).toBe('refused');
    } finally {
      await browser.close();
    }
  }, 400_000);
});
