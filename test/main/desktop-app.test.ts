import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { HostMonitors } from '../../electron/desktop/host-monitors.js';
import type { SshRunner } from '../../electron/node/remote/ssh-command.js';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EVENT_CHANNEL } from '../../electron/common/ipc-channels.js';
import { APP_ORIGIN, DESKTOP_CSP } from '../../electron/desktop/app-files.js';
import { AUTOSTART_FILE } from '../../electron/desktop/autostart-linux.js';
import { severitySample } from '../desktop/samples.js';
import type { HostSample } from '../../electron/common/host-sample.js';
import { startHarness, T0, type Harness } from '../desktop/desktop-harness.js';
import { ipcEvent } from '../desktop/fake-electron.js';

let h: Harness | null = null;
afterEach(() => {
  h?.cleanup();
  h = null;
});

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

describe('desktop app wiring', () => {
  it('opens one hardened window on app://portwatch/ and a tray showing "no reading" before the first sample', async () => {
    h = await startHarness();
    await tick();
    const win = h.fake.window!;
    expect(win.loaded).toEqual(['app://portwatch/index.html']);
    expect(win.visible).toBe(true);
    expect(win.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, preload: '/app/out/preload/index.cjs' });
    expect(h.fake.tray.image).toBe('/app/build/icons/tray/unknown-22.png');
    expect(h.fake.tray.tooltip).toBe('Portwatch — no reading\nWaiting for the first reading');
    expect(h.fake.privilegedSchemes).toEqual([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }]);
  });

  it('starts without a window in the tray when launched at login (--hidden)', async () => {
    h = await startHarness({ argv: ['portwatch', '--hidden'] });
    expect(h.fake.windows).toHaveLength(0);
    expect(h.fake.trays).toHaveLength(1);
  });

  it('changes the tray icon with each severity and names the worst destination, its use and time left in the tooltip', async () => {
    h = await startHarness();
    const m = h.monitor();
    const seen: [string, string][] = [];
    for (const [sev, util, ttl] of [
      ['ok', 0.2, null],
      ['warning', 0.75, 1200],
      ['critical', 0.96, 240],
      ['exhausted', 1, 0],
    ] as const) {
      m.emit(severitySample(h.now(), sev, util, ttl));
      seen.push([h.fake.tray.image, h.fake.tray.tooltip]);
    }
    expect(seen.map(([img]) => img.split('/').pop())).toEqual(['ok-22.png', 'warning-22.png', 'critical-22.png', 'exhausted-22.png']);
    expect(seen[0]![1]).toBe('Portwatch — ok\n10.0.3.7:5432 — 20 % of ports in use');
    expect(seen[1]![1]).toBe('Portwatch — warning\n10.0.3.7:5432 — 75 % of ports in use, about 20 min left');
    expect(seen[2]![1]).toBe('Portwatch — critical\n10.0.3.7:5432 — 96 % of ports in use, about 4 min left');
    expect(seen[3]![1]).toBe('Portwatch — exhausted\n10.0.3.7:5432 — 100 % of ports in use, no port left');
    expect(h.fake.tray.menu![0]!.label).toBe('Exhausted: 10.0.3.7:5432 — 100 % of ports in use, no port left');
  });

  it('uses the platform\'s tray image: 16 px on Windows, template images on macOS', async () => {
    h = await startHarness({ platform: 'win32' });
    h.monitor().emit(severitySample(h.now(), 'warning', 0.75));
    expect(h.fake.tray.image).toBe('/app/build/icons/tray/warning-16.png');
    h.cleanup();
    h = await startHarness({ platform: 'darwin' });
    h.monitor().emit(severitySample(h.now(), 'critical', 0.95));
    expect(h.fake.tray.image).toBe('/app/build/icons/tray/criticalTemplate.png');
  });

  it('keeps monitoring in the tray when the window is closed, and Open brings a new window', async () => {
    h = await startHarness();
    await tick();
    h.fake.window!.close();
    expect(h.fake.quitCalls).toBe(0);
    h.monitor().emit(severitySample(h.now(), 'critical', 0.95, 300));
    expect(h.fake.tray.image).toContain('critical-22.png');
    h.fake.tray.click('Open Portwatch');
    expect(h.fake.window).not.toBeNull();
    expect(h.fake.windows).toHaveLength(2);
  });

  it('leaves at once as a second instance, and the first one shows its window when another start is attempted', async () => {
    h = await startHarness({ lock: false });
    expect(h.app.primary).toBe(false);
    expect(h.fake.quitCalls).toBe(1);
    expect(h.fake.trays).toHaveLength(0);
    h.cleanup();
    h = await startHarness({ argv: ['portwatch', '--hidden'] });
    expect(h.fake.windows).toHaveLength(0);
    h.fake.appEmitter.emit('second-instance');
    expect(h.fake.windows).toHaveLength(1);
  });

  it('notifies severity rises and the recovery with what and where, at most once per rate-limit interval', async () => {
    h = await startHarness();
    const m = h.monitor();
    m.emit(severitySample(h.now(), 'ok', 0.1));
    h.advance(1000);
    m.emit(severitySample(h.now(), 'critical', 0.96, 240));
    expect(h.fake.notifications.map((n) => [n.options.title, n.options.body])).toEqual([
      ['Portwatch: ephemeral ports nearly exhausted', '10.0.3.7:5432 — 96 % of ports in use, about 4 min left'],
    ]);
    // Within the interval (120 s by default): the rise to exhausted waits…
    h.advance(10_000);
    m.emit(severitySample(h.now(), 'exhausted', 1, 0));
    expect(h.fake.notifications).toHaveLength(1);
    // …and is told at the first sample after the interval, as the state is then.
    h.advance(111_000);
    m.emit(severitySample(h.now(), 'exhausted', 1, 0));
    expect(h.fake.notifications.map((n) => n.options.title)).toEqual(['Portwatch: ephemeral ports nearly exhausted', 'Portwatch: ephemeral ports exhausted']);
    h.advance(200_000);
    m.emit(severitySample(h.now(), 'ok', 0.3));
    expect(h.fake.notifications.at(-1)!.options).toMatchObject({ title: 'Portwatch: back to normal', body: '10.0.3.7:5432 — 30 % of ports in use' });
    expect(h.fake.notifications.every((n) => n.shown)).toBe(true);
  });

  it('with every namespace watched: a worse pod leads the tray, named, and its notification names it', async () => {
    h = await startHarness();
    const m = h.monitor();
    m.emit(severitySample(h.now(), 'ok', 0.1));
    const pod: HostSample = {
      schema: 1,
      time: h.now(),
      hostname: 'test-host',
      scope: 'host',
      vanished: 0,
      worst: 'net:[4026532301]',
      severity: 'critical',
      cost: { wallMs: 5, cpuMs: 3 },
      namespaces: [
        {
          identity: { id: 'net:[4026532301]', inode: 4026532301, names: [], self: false, host: false, processes: [{ pid: 812, name: 'envoy' }], processCount: 1, containers: [], pod: { uid: 'u-1', namespace: 'shop', name: 'checkout-7d4f' } },
          status: 'ok',
          sample: severitySample(h.now(), 'critical', 0.96, 240),
        },
      ],
    };
    m.service.observeNamespaces(pod);
    expect(h.fake.tray.image).toBe('/app/build/icons/tray/critical-22.png');
    expect(h.fake.tray.tooltip).toBe('Portwatch — critical in pod shop/checkout-7d4f\n10.0.3.7:5432 — 96 % of ports in use, about 4 min left\n1 namespace watched');
    expect(h.fake.notifications.at(-1)!.options.title).toBe('Portwatch: ephemeral ports nearly exhausted in pod shop/checkout-7d4f');
    // The setting turned off: the pod no longer leads.
    const file = JSON.parse(readFileSync(h.app.settingsPath(), 'utf8')) as Record<string, unknown>;
    writeFileSync(h.app.settingsPath(), JSON.stringify({ ...file, allNamespaces: false }));
    for (let i = 0; i < 100 && h.fake.tray.image.endsWith('critical-22.png'); i++) await new Promise((r) => setTimeout(r, 20));
    expect(m.configs.at(-1)).toMatchObject({ allNamespaces: false });
    expect(h.fake.tray.image).toBe('/app/build/icons/tray/ok-22.png');
  });

  it('opens the app at the destination a notification names when it is clicked', async () => {
    h = await startHarness({ argv: ['portwatch', '--hidden'] });
    h.monitor().emit(severitySample(h.now(), 'critical', 0.96, 240));
    h.fake.notifications[0]!.click();
    const win = h.fake.window!;
    expect(win.loaded).toEqual([`app://portwatch/index.html#destination=${encodeURIComponent('|10.0.0.1|10.0.3.7|5432')}`]);
    // With the window already open, a click moves it to the destination (same page, new fragment).
    h.advance(300_000);
    h.monitor().emit(severitySample(h.now(), 'ok', 0.1));
    h.advance(300_000);
    h.monitor().emit(severitySample(h.now(), 'warning', 0.8, 900));
    h.fake.notifications.at(-1)!.click();
    expect(h.fake.windows).toHaveLength(1);
    expect(win.loaded).toHaveLength(2);
    expect(win.visible && win.focused).toBe(true);
  });

  it('pauses and resumes sampling from the tray: paused icon, menu label, a gap reason for the history', async () => {
    h = await startHarness();
    h.monitor().emit(severitySample(h.now(), 'warning', 0.8));
    h.fake.tray.click('Pause sampling');
    expect(h.monitor().paused).toBe(true);
    expect(h.monitor().pauses).toEqual(['Paused from the tray']);
    expect(h.fake.tray.image).toContain('paused-22.png');
    expect(h.fake.tray.tooltip.split('\n')[0]).toBe('Portwatch — paused');
    h.fake.tray.click('Resume sampling');
    expect(h.monitor().paused).toBe(false);
    expect(h.fake.tray.image).toContain('warning-22.png');
  });

  it('watches the hosts in the settings, names the worst in the tray, and removes and reorders them from the tray menu (saved)', async () => {
    // ssh refuses every connection here (the real sshd is in test/desktop/host-monitors.test.ts).
    const refused: SshRunner = async (argv) => ({ stdout: Buffer.alloc(0), stderr: `ssh: connect to host ${argv[argv.indexOf('--') + 1]} port 22: Connection refused\n`, exitCode: 255 });
    let dataDir = '';
    h = await startHarness({
      before: (dir) => {
        dataDir = dir;
        writeFileSync(join(dir, 'settings.json'), JSON.stringify({ schema: 1, hosts: ['lb1', 'ops@lb2:2222', 'lb3'] }));
      },
      startHostMonitors: (version) => new HostMonitors({ controlDir: join(dataDir, 'ctl'), version, runner: refused }),
    });
    h.monitor().emit(severitySample(h.now(), 'ok', 0.1));
    const hosts = h.app.hosts()!;
    for (let i = 0; i < 100 && hosts.readings().some((r) => r.sample === null); i++) await new Promise((r) => setTimeout(r, 50));
    h.monitor().emit(severitySample(h.now(), 'ok', 0.1));
    expect(h.fake.tray.image).toContain('unknown-22.png');
    expect(h.fake.tray.item('lb1 unknown: Unreachable since ')).toBeDefined();
    expect(h.fake.tray.tooltip.split('\n')[0]).toBe('Portwatch — no reading on lb1');
    const sub = (line: string, action: string) => (h!.fake.tray.item(line)!.submenu as { label: string; click: () => void }[]).find((i) => i.label === action)!.click();
    sub('lb1 — unknown', 'Remove from Portwatch');
    sub('lb3 — unknown', 'Move up');
    const saved = () => JSON.parse(readFileSync(join(h!.dir, 'settings.json'), 'utf8')).hosts;
    expect(saved()).toEqual(['lb3', 'ops@lb2:2222']);
    expect(hosts.readings().map((r) => r.label)).toEqual(['lb3', 'ops@lb2:2222']);
    expect(h.fake.tray.menu!.filter((i) => / — unknown$/.test(String(i.label))).map((i) => i.label)).toEqual(['lb3 — unknown', 'ops@lb2:2222 — unknown']);
    h.fake.tray.click('Add a remote host… (settings file)');
    expect(h.fake.openedPaths.at(-1)).toBe(join(h.dir, 'settings.json'));
  });

  it('mutes notifications for an hour (persisted), then notifies again', async () => {
    h = await startHarness();
    h.fake.tray.click('Mute notifications for an hour');
    const saved = JSON.parse(readFileSync(join(h.dir, 'settings.json'), 'utf8'));
    expect(saved.notifications.mutedUntil).toBe(T0 + 3_600_000);
    expect(h.fake.tray.item('Unmute notifications')).toBeDefined();
    h.monitor().emit(severitySample(h.now(), 'critical', 0.95));
    expect(h.fake.notifications).toHaveLength(0);
    h.advance(3_600_000);
    h.monitor().emit(severitySample(h.now(), 'critical', 0.95));
    expect(h.fake.notifications).toHaveLength(1);
  });

  it('keeps notifications for after quiet hours', async () => {
    h = await startHarness({
      minuteOfDay: 23 * 60,
      before: (dir) => writeFileSync(join(dir, 'settings.json'), JSON.stringify({ schema: 1, notifications: { quietHours: { enabled: true, start: '22:00', end: '07:00' } } })),
    });
    h.monitor().emit(severitySample(h.now(), 'critical', 0.95));
    expect(h.fake.notifications).toHaveLength(0);
  });

  it('turns launch at login on and off: an XDG autostart entry on Linux, the login item elsewhere', async () => {
    h = await startHarness();
    const entry = join(h.dir, 'xdg', 'autostart', AUTOSTART_FILE);
    h.fake.tray.click('Launch at login');
    expect(readFileSync(entry, 'utf8')).toContain('Exec=/usr/bin/portwatch /app --hidden');
    expect(h.fake.tray.item('Launch at login')!.checked).toBe(true);
    expect(JSON.parse(readFileSync(h.app.settingsPath(), 'utf8')).launchAtLogin).toBe(true);
    h.fake.tray.click('Launch at login');
    expect(existsSync(entry)).toBe(false);
    h.cleanup();
    h = await startHarness({ platform: 'win32' });
    h.fake.tray.click('Launch at login');
    expect(h.fake.loginItems).toEqual([{ openAtLogin: true, args: ['--hidden'] }]);
  });

  it('reports a corrupt settings file, keeps it under another name and runs on defaults', async () => {
    h = await startHarness({ before: (dir) => writeFileSync(join(dir, 'settings.json'), '{"notifications": {"enabled": fals') });
    const kept = readdirSync(h.dir).filter((f) => f.startsWith('settings.corrupt-'));
    expect(kept).toHaveLength(1);
    expect(readFileSync(join(h.dir, kept[0]!), 'utf8')).toBe('{"notifications": {"enabled": fals');
    expect(h.app.settings()!.notifications.enabled).toBe(true);
    const n = h.fake.notifications[0]!;
    expect(n.options.title).toBe('Portwatch: settings repaired');
    expect(n.options.body).toContain('not valid JSON');
    expect(n.options.body).toContain(kept[0]);
  });

  it('applies a settings file edited by hand (new thresholds reach the monitor) and refuses a bad edit with a notification', async () => {
    h = await startHarness();
    const path = h.app.settingsPath();
    const s = JSON.parse(readFileSync(path, 'utf8'));
    s.analysis.thresholds = { warning: 0.5, critical: 0.8 };
    s.sampling.cpuBudget = 0.05;
    writeFileSync(path, JSON.stringify(s));
    await waitFor(() => h!.monitor().configs.length === 1);
    expect(h.monitor().configs[0]).toMatchObject({ cpuBudget: 0.05, analysis: { thresholds: { warning: 0.5, critical: 0.8 } } });
    writeFileSync(path, JSON.stringify({ ...s, sampling: { cpuBudget: 7 } }));
    await waitFor(() => h!.fake.notifications.length === 1);
    expect(h.fake.notifications[0]!.options.title).toBe('Portwatch: settings not applied');
    expect(h.fake.notifications[0]!.options.body).toContain('sampling.cpuBudget');
    expect(h.app.settings()!.sampling.cpuBudget).toBe(0.05);
    expect(h.monitor().configs).toHaveLength(1);
  });

  it('forwards monitor events to its own window only, on the event channel', async () => {
    h = await startHarness();
    const win = h.fake.window!;
    h.monitor().emit(severitySample(h.now(), 'ok', 0.1));
    const sent = win.webContents.sent.filter((s) => s.channel === EVENT_CHANNEL).map((s) => (s.args[0] as { event: string }).event);
    expect(sent).toContain('sample');
    expect(win.webContents.sent.every((s) => s.channel === EVENT_CHANNEL && s.args.length === 1)).toBe(true);
    win.close();
    expect(() => h!.monitor().emit(severitySample(h!.now(), 'ok', 0.1))).not.toThrow();
  });

  it('serves requests from its window through IPC, validated, to the monitor', async () => {
    h = await startHarness();
    const win = h.fake.window!;
    const r = (await h.fake.ipcMain.invoke('portwatch:getInfo', ipcEvent(win.webContents, `${APP_ORIGIN}/index.html`), {})) as { ok: boolean; result: { platform: string } };
    expect(r.ok).toBe(true);
    expect(r.result.platform).toBe('linux');
    expect(h.monitor().reached.filter((m) => (m as { method?: string }).method === 'getInfo')).toHaveLength(1);
  });

  it('shows a monitor failure in the tray instead of a stale severity', async () => {
    h = await startHarness();
    h.monitor().emit(severitySample(h.now(), 'ok', 0.1));
    h.monitor().problem('the monitor process ended (exit code 1); restarting');
    expect(h.fake.tray.image).toContain('unknown-22.png');
    expect(h.fake.tray.tooltip).toContain('Not monitoring: the monitor process ended');
    h.monitor().problem(null);
    expect(h.fake.tray.image).toContain('ok-22.png');
  });

  it('says what process attribution lacks and why, in the tooltip and from the menu', async () => {
    h = await startHarness({
      attribution: { kind: 'own-processes', why: 'Portwatch runs as your user.', missing: 'Naming other users\' programs needs root or CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH.' },
    });
    h.monitor().emit(severitySample(h.now(), 'ok', 0.1));
    expect(h.fake.tray.tooltip.split('\n')[2]).toBe('Owners: your processes only (not root)');
    h.fake.tray.click('Process names: your own processes only');
    expect(h.fake.dialogs[0]!.detail).toContain('CAP_SYS_PTRACE');
  });

  it('offers the tuning wizard only as a disabled item with a note', async () => {
    h = await startHarness();
    const item = h.fake.tray.item('Tuning wizard')!;
    expect(item.enabled).toBe(false);
    expect(item.label).toBe('Tuning wizard… (not in this version yet)');
  });

  it('on quit closes the monitor, removes the tray and the IPC handlers', async () => {
    h = await startHarness();
    h.fake.tray.click('Quit Portwatch');
    // The first quit waits for the monitor to close, then quits again.
    await waitFor(() => h!.fake.quitCalls === 2);
    expect(h.monitor().closed).toBe(true);
    expect(h.fake.tray.destroyed).toBe(true);
    expect(h.fake.ipcMain.handlers.size).toBe(0);
  });

  it('keeps a log file in the app\'s logs folder (monitor problems, failing sources, on one line each) and opens its folder from the tray', async () => {
    h = await startHarness();
    const logPath = join(h.dir, 'logs', 'portwatch.log');
    h.monitor().problem('the monitor process ended (exit code 1); restarting');
    const failing = { ...severitySample(h.now(), 'ok', 0.1), sources: [{ name: 'sockets', status: 'failed' as const, error: 'netlink said:\nEPERM', durationMs: 3 }] };
    h.monitor().emit(failing);
    h.monitor().emit(failing);
    const lines = readFileSync(logPath, 'utf8').trimEnd().split('\n');
    expect(lines.map((l) => l.slice(25))).toEqual(['the monitor process ended (exit code 1); restarting', 'source sockets failed: netlink said:\\x0aEPERM']);
    expect(lines[0]!.slice(0, 24)).toBe(new Date(T0).toISOString());
    h.fake.tray.click('Open log folder');
    expect(h.fake.openedPaths).toEqual([join(h.dir, 'logs')]);
  });

  it('serves the renderer over app:// with the CSP header and meta tag', async () => {
    h = await startHarness({
      before: (dir) => {
        mkdirSync(join(dir, 'renderer'));
        writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><html><head><title>x</title></head><body></body></html>');
      },
    });
    const handler = h.fake.protocolHandlers.get('app')!;
    const res = await handler(new Request('app://portwatch/index.html'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(DESKTOP_CSP);
    expect(await res.text()).toContain(`<meta http-equiv="Content-Security-Policy" content="${DESKTOP_CSP}">`);
  });
});

async function waitFor(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
