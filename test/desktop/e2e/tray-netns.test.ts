// End to end under a real exhaustion: the desktop app runs inside a network namespace (as an unprivileged
// user, never root) whose ephemeral range is 50 ports; clients in the namespace take them toward
// 127.0.0.1:8080. The tray must climb from ok through warning to exhausted, a notification must say what and
// where, clicking it must open the window at that destination, and the window must show it. Needs root (to
// make the namespace) and Electron's runtime; skipped with the reason where either is missing (and, for
// namespaces, failing when CI=true, as every namespace suite does).
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ElectronApplication, Page } from 'playwright-core';
import { describeNetns } from '../../netns/describe-netns.js';
import { createNamespace, type Namespace } from '../../netns/netns.js';
import { connectHold, startServer } from '../../netns/workloads.js';
import { announceSkip, E2E_SKIP_REASON, ensureDesktopBuilt, hook, launchApp, namespaceWrapper, pollUntil, unprivilegedUid, userDataDir, type TrayReport } from './launch.js';
import { forwardIntoNamespace, freePort } from './netns-forward.js';

const SUITE = 'desktop app end to end: tray and notifications under a real exhaustion in a namespace';
const RANGE = { low: 40000, high: 40049 }; // 50 ports
const DESTINATION = '127.0.0.1:8080';
const SEVERITY_RANK = ['unknown', 'ok', 'warning', 'critical', 'exhausted'];
announceSkip(SUITE);

describeNetns(E2E_SKIP_REASON ? `${SUITE} [SKIPPED: ${E2E_SKIP_REASON}]` : SUITE, () => {
  let ns: Namespace;
  let app: ElectronApplication;
  let data: string;
  let stopForwarding: (() => void) | undefined;
  const home = join(tmpdir(), `pw-e2e-home-${process.pid}`);

  beforeAll(async () => {
    if (E2E_SKIP_REASON) return;
    ensureDesktopBuilt();
    ns = await createNamespace('desktop');
    await ns.sysctl('net.ipv4.ip_local_port_range', `${RANGE.low} ${RANGE.high}`);
    await startServer(ns, [DESTINATION]);
    const uid = unprivilegedUid();
    // Notifications at most every 10 s (the least the settings allow), so the test sees two in a row.
    data = userDataDir({ schema: 1, notifications: { minIntervalSec: 10 } }, uid);
    // Playwright reaches the app's inspector and DevTools on 127.0.0.1: forward those ports into the namespace.
    const [inspectPort, devtoolsPort] = [await freePort(), await freePort()];
    stopForwarding = await forwardIntoNamespace(ns, [inspectPort, devtoolsPort]);
    app = await launchApp({ userData: data, wrapper: namespaceWrapper({ ns: ns.name, uid, home, inspectPort, devtoolsPort }), args: ['--hidden'] });
  }, 120_000);

  afterAll(async () => {
    await app?.close().catch(() => undefined);
    stopForwarding?.();
    await ns?.destroy();
    for (const d of [data, home]) if (d) rmSync(d, { recursive: true, force: true });
  });

  const tray = () => hook<TrayReport | null>(app, 'tray');
  const notifications = () => hook<{ title: string; body: string; destinationKey: string | null }[]>(app, 'notifications');
  const rank = (t: TrayReport | null) => SEVERITY_RANK.indexOf(t?.severity ?? 'unknown');

  it.skipIf(E2E_SKIP_REASON !== null)('climbs from ok to warning to exhausted in the tray, notifies with what and where, and opens the window at the destination', async () => {
    // 10 of 50 ports: ok, and the tooltip names the destination.
    await connectHold(ns, DESTINATION, 10);
    const ok = await pollUntil(tray, (t) => t?.severity === 'ok' && t.tooltip.includes(DESTINATION), 30_000, 'ok with the destination in the tooltip');
    expect(ok!.icon).toBe('ok');
    expect(ok!.tooltip).toContain(`${DESTINATION} — 20 % of ports in use`);

    // 40 of 50: warning (70 % threshold), and a notification saying so.
    await connectHold(ns, DESTINATION, 30);
    const warning = await pollUntil(tray, (t) => rank(t) >= SEVERITY_RANK.indexOf('warning'), 30_000, 'warning in the tray');
    expect(['warning', 'critical']).toContain(warning!.icon);
    const first = await pollUntil(notifications, (n) => n.length >= 1, 15_000, 'a first notification');
    expect(first[0]!.body).toMatch(new RegExp(`^${DESTINATION.replace(/\./g, '\\.')} — 8\\d % of ports in use`));

    // All 50 and beyond: the next connects fail with EADDRNOTAVAIL; the tray says exhausted.
    const rest = await connectHold(ns, DESTINATION, 15);
    expect(rest.connected).toBe(10);
    expect(rest.codes.EADDRNOTAVAIL).toBe(5);
    const exhausted = await pollUntil(tray, (t) => t?.icon === 'exhausted', 30_000, 'exhausted in the tray');
    expect(exhausted!.tooltip).toContain(`${DESTINATION} — 100 % of ports in use, no port left`);
    const both = await pollUntil(notifications, (n) => n.some((x) => x.title === 'Portwatch: ephemeral ports exhausted'), 30_000, 'the exhaustion notification');
    const last = both.find((x) => x.title === 'Portwatch: ephemeral ports exhausted')!;
    expect(last.body).toBe(`${DESTINATION} — 100 % of ports in use, no port left`);
    expect(last.destinationKey).toContain('|127.0.0.1|8080');

    // Clicking it opens the window (started hidden) at that destination, which the page shows.
    expect(app.windows()).toHaveLength(0);
    const opened = app.waitForEvent('window', { timeout: 30_000 });
    await hook(app, `clickNotification:${both.indexOf(last)}`);
    const page: Page = await opened;
    expect(page.url()).toBe(`app://portwatch/index.html#destination=${encodeURIComponent(last.destinationKey!)}`);
    await pollUntil(async () => (await page.getByTestId('worst-destination').textContent()) ?? '', (t) => t === DESTINATION, 30_000, 'the window to show the destination');
  });
});
