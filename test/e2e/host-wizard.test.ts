// End to end, the tuning wizard on a remote host's page of the desktop window (desktop-page.ts: the built
// renderer in Chromium, the real preload bridge, the real IPC chokepoint of the desktop app) against a real
// sshd in a namespace whose 10-port range a client exhausted (its /etc/sysctl.d and Portwatch's remote
// state directory private). The kernel is the oracle: the server namespace's own sysctl is read. Diagnosis
// → choose the wider range → review with the exact ssh command → apply in the wizard's terminal → verified
// over ssh → keep (a second run in the same terminal) → the value stays. axe-core finds nothing; the
// README's screenshot is taken here.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { REMOTE_TUNE_DIR } from '../../electron/node/remote/remote-tune-script.js';
import type { Harness } from '../desktop/desktop-harness.js';
import { describeNetns } from '../netns/describe-netns.js';
import { REPO_ROOT } from '../netns/portwatch-cli.js';
import { exhaustRemote } from '../remote/remote-exhaustion.js';
import { startDesktopWithHosts } from '../remote/desktop-with-hosts.js';
import { startSshdPair, type SshdPair } from '../remote/sshd-pair.js';
import { axeViolations } from './axe.js';
import { DESKTOP_ORIGIN, desktopPage } from './desktop-page.js';
import { browserUnavailable, ensureRendererBuilt, launchChromium } from './serve-in-netns.js';

const missingBrowser = browserUnavailable();
if (missingBrowser && process.env.CI === 'true') throw new Error(`end-to-end tests cannot run: ${missingBrowser}`);
const SHOTS = join(REPO_ROOT, 'docs/screenshots');
/** Generous: each step is an ssh round trip or two on a loaded 2-core machine. */
const STEP_MS = 90_000;

const text = async (page: Page, id: string): Promise<string> => ((await page.getByTestId(id).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();

describeNetns('the tuning wizard on a remote host\'s page (Chromium, the desktop window\'s page, real ssh -t and sshd)', () => {
  let pair: SshdPair;
  let h: Harness;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    if (missingBrowser) return;
    ensureRendererBuilt();
    mkdirSync(REMOTE_TUNE_DIR, { recursive: true, mode: 0o700 });
    pair = await startSshdPair('hwiz', { privateDirs: ['/etc/sysctl.d', REMOTE_TUNE_DIR] });
    await exhaustRemote(pair);
    // assumeHost: the "remote host" is this machine's namespace, and this machine may look like a container.
    h = await startDesktopWithHosts(pair, { hosts: [`root@${pair.serverAddress}`], sshConfig: pair.keyConfig, assumeHost: true });
    browser = await launchChromium();
    page = await desktopPage(browser, h);
  }, 150_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    h?.cleanup();
    await pair?.close();
  }, 30_000);

  it.skipIf(missingBrowser !== null)('diagnosis → choose → review (the exact ssh command) → apply in the terminal → verified → keep; the host keeps the new range', async () => {
    await page.goto(`${DESKTOP_ORIGIN}/index.html?host=1`);
    await expect.poll(() => text(page, 'worst-percent'), { timeout: STEP_MS }).toBe('100.0 %');
    await page.getByTestId('open-wizard').click();
    await page.getByTestId('wizard').waitFor();
    await expect.poll(async () => (await page.getByTestId('wizard').textContent()) ?? '', { timeout: STEP_MS }).toContain('the range 40000–40009 (10 ports)');

    // Choose only the wider range.
    await page.getByTestId('next-button').click();
    await page.getByTestId('kernel-step').first().waitFor({ timeout: STEP_MS });
    for (const id of await page.getByTestId('kernel-step').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.step))) {
      const box = page.locator(`[data-step="${id}"] input[type="checkbox"]`);
      if ((await box.isChecked()) !== (id === 'widen-range')) await box.click();
    }
    const proposed = (await page.locator('[data-step="widen-range"]').getByTestId('step-proposed').textContent())!.trim();

    // Review: the host's setting and the exact command, the user's ssh with the fixed script by its hash.
    await page.getByTestId('next-button').click();
    await page.getByTestId('review-settings').waitFor({ timeout: STEP_MS });
    expect(await text(page, 'review-settings')).toBe(`net.ipv4.ip_local_port_range: 40000 40009 → ${proposed}`);
    expect(await text(page, 'review-command')).toMatch(new RegExp(`^/usr/bin/ssh .* -t -- ${pair.serverAddress.replace(/\./g, '\\.')} sh -c '<the fixed Portwatch remote script, sha256 [0-9a-f]{16}…>' portwatch-tune apply 60 TXID range ${proposed.replace(' ', ' ')}$`));
    expect(await axeViolations(page)).toEqual([]);

    // Apply: the script runs in the wizard's terminal over ssh; the values are read back over ssh.
    await page.getByTestId('apply-button').click();
    await page.locator('[data-step="apply"]').waitFor({ timeout: STEP_MS });
    await expect.poll(() => text(page, 'session-phase'), { timeout: STEP_MS }).toMatch(/^Applied and read back/);
    expect(await pair.server.readSysctl('net.ipv4.ip_local_port_range')).toBe(proposed);
    // xterm.js draws on animation frames, so the pane may trail the phase by a frame: poll it.
    await expect.poll(() => page.locator('.xterm-rows').textContent(), { timeout: STEP_MS }).toContain('portwatch-tune apply 60 ');
    const rows = (await page.locator('.xterm-rows').textContent()) ?? '';
    expect(rows).not.toContain('PORTWATCH-HELPER-RESULT');
    expect(await page.getByTestId('wizard').textContent()).toContain(`You log in to root@${pair.serverAddress} as root, so Portwatch's fixed script runs there over your ssh without a prompt.`);
    expect(await text(page, 'countdown')).toContain(`The countdown is held by root@${pair.serverAddress} itself, not by this page`);
    await page.getByTestId('wizard').screenshot({ path: join(SHOTS, 'wizard-remote-apply.png') });

    // Verify, then keep: a second run in the same terminal; the host's countdown is cancelled.
    await page.getByTestId('next-button').click();
    await page.getByTestId('verification').waitFor({ timeout: STEP_MS });
    expect(await text(page, 'verification')).toContain(`net.ipv4.ip_local_port_range = ${proposed}`);
    await page.getByTestId('next-button').click();
    await page.getByTestId('keep-button').waitFor({ timeout: STEP_MS });
    await page.getByTestId('keep-button').click();
    await expect.poll(() => text(page, 'final-outcome'), { timeout: STEP_MS }).toBe('Kept: the new values stay.');
    expect(await pair.server.readSysctl('net.ipv4.ip_local_port_range')).toBe(proposed);
    expect(await axeViolations(page)).toEqual([]);
  }, 400_000);
});
