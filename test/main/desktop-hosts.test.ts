// The desktop window on remote hosts, against a real sshd in a namespace (test/remote/sshd-pair.ts): the
// page's host picker lists this computer and every host in the settings with its severity; the page of a
// host (?host=N, the only navigation the window allows) is that host's own dashboard, fed by its own
// monitor over SSH and sent only that host's events; a host's notification names it and opens the window
// on it; editing the list keeps the window on the host it shows; a host that needs a password is logged in
// to from its page, in a real ssh in a pty, the password typed there reaching ssh only. Electron itself is
// the stand-in.
import { writeFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { HostLoginSession, ResponseMessage, Snapshot } from '../../electron/common/contract.js';
import type { HostSummary } from '../../electron/common/hosts.js';
import { EVENT_CHANNEL, REQUEST_CHANNELS } from '../../electron/common/ipc-channels.js';
import type { Sample } from '../../electron/common/model.js';
import { APP_INDEX_URL } from '../../electron/desktop/app-files.js';
import type { HostReading } from '../../electron/desktop/host-monitors.js';
import type { Harness } from '../desktop/desktop-harness.js';
import { ipcEvent, preventable } from '../desktop/fake-electron.js';
import { severitySample } from '../desktop/samples.js';
import { describeNetns } from '../netns/describe-netns.js';
import { startDesktopWithHosts } from '../remote/desktop-with-hosts.js';
import { exhaustRemote, type RemoteHold } from '../remote/remote-exhaustion.js';
import { PASSWORD_USER, startSshdPair, type SshdPair } from '../remote/sshd-pair.js';

describeNetns('desktop window on remote hosts over a real sshd', () => {
  let pair: SshdPair;
  let hold: RemoteHold;
  let h: Harness | null = null;

  beforeAll(async () => {
    pair = await startSshdPair('rd6dw');
    hold = await exhaustRemote(pair);
  }, 60_000);

  afterEach(() => {
    h?.cleanup();
    h = null;
  });

  afterAll(async () => {
    await pair?.close();
  }, 30_000);

  it('shows each listed host in the window: picker with severities, the host\'s own dashboard and events, its notification opening it', async () => {
    expect(hold.connected).toBe(10);
    const reachable = `root@${pair.serverAddress}`;
    const silent = `root@${pair.clientAddress.replace(/\.1$/, '.9')}`; // nobody answers there
    h = await startDesktopWithHosts(pair, { hosts: [silent, reachable], sshConfig: pair.keyConfig });
    const app = h.app;
    const win = h.fake.window!;
    h.monitor().emit(severitySample(h.now(), 'ok', 0.1));
    const hosts = app.hosts()!;
    let readings: HostReading[] = [];
    for (let i = 0; i < 180; i++) {
      readings = hosts.readings();
      if (readings[1]?.sample?.severity === 'exhausted' && readings[0]?.status.state === 'unreachable' && readings[0].sample !== null) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const ask = async <T>(page: string, method: keyof typeof REQUEST_CHANNELS, params: unknown = {}): Promise<T> => {
      const r = (await h!.fake.ipcMain.invoke(REQUEST_CHANNELS[method], ipcEvent(win.webContents, page), params)) as ResponseMessage;
      if (!r.ok) throw new Error(`${method} on ${page}: ${r.error.message}`);
      return r.result as T;
    };

    // The picker, as this computer's page sees it: this computer first, each host with its severity.
    const list = await ask<HostSummary[]>(APP_INDEX_URL, 'getHosts');
    expect(list.map((s) => [s.index, s.label, s.severity, s.current])).toEqual([
      [0, 'This computer', 'ok', true],
      [1, silent, 'unknown', false],
      [2, reachable, 'exhausted', false],
    ]);
    expect(list[1]!.severityReason).toMatch(/^Unreachable since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC: /);

    // Following the picker's link: the window lets its page load itself for host 2, and nothing else.
    const hostPage = `${APP_INDEX_URL}?host=2`;
    const nav = preventable();
    win.webContents.emit('will-navigate', nav, hostPage);
    expect(nav.defaultPrevented).toBe(false);
    win.webContents.url = hostPage; // Chromium commits the navigation
    const sentBefore = win.webContents.sent.length;
    const reachedBefore = h.monitor().reached.length;

    // That page is the host's own dashboard: its worst destination and the process holding it, read over SSH.
    const snap = await ask<Snapshot>(hostPage, 'getSnapshot');
    expect(snap.sample?.severity).toBe('exhausted');
    expect(snap.sample?.worst?.remoteAddress).toBe('127.0.0.1');
    expect(snap.sample?.worst?.remotePort).toBe(8080);
    expect(snap.sample?.worst?.inUse).toBe(10);
    expect(snap.sample?.worst?.processes[0]?.pid).toBe(hold.pid);
    expect((await ask<{ hostname: string }>(hostPage, 'getInfo')).hostname).toBe(reachable);
    expect((await ask<HostSummary[]>(hostPage, 'getHosts')).filter((s) => s.current).map((s) => s.index)).toEqual([2]);
    expect(h.monitor().reached.length).toBe(reachedBefore); // this computer's monitor was not asked

    // Events: only host 2's reach its page; this computer's and the silent host's do not.
    h.monitor().emit(severitySample(h.now(), 'warning', 0.8));
    for (let i = 0; i < 120 && !win.webContents.sent.slice(sentBefore).some((s) => (s.args[0] as { event: string }).event === 'sample'); i++) await new Promise((r) => setTimeout(r, 250));
    const samples = win.webContents.sent
      .slice(sentBefore)
      .filter((s) => s.channel === EVENT_CHANNEL && (s.args[0] as { event: string }).event === 'sample')
      .map((s) => (s.args[0] as { data: Sample }).data);
    expect(samples.length).toBeGreaterThan(0);
    expect(samples.every((s) => s.severity === 'exhausted' && s.worst?.remotePort === 8080)).toBe(true);

    // The host's notification names it; clicking it opens the window on that host at the destination.
    const told = app.shown().find((d) => (d as { host?: string }).host === reachable);
    expect(told?.title).toBe(`Portwatch: ephemeral ports exhausted on ${reachable}`);
    expect(told?.body).toMatch(new RegExp(`^${reachable.replace(/\./g, '\\.')}: 127\\.0\\.0\\.1:8080 — 100 % of ports in use`));
    expect(app.shown().some((d) => (d as { host?: string }).host === silent)).toBe(false); // no reading is not news
    win.webContents.url = APP_INDEX_URL;
    h.fake.notifications.find((n) => n.options.title === told!.title)!.click();
    expect(win.loaded.at(-1)).toBe(`${APP_INDEX_URL}?host=2#destination=${encodeURIComponent(told!.destinationKey!)}`);

    // A hand edit of the thresholds reaches the running host's monitor: its next samples are judged by them.
    expect(snap.sample?.thresholds).toEqual({ warning: 0.7, critical: 0.9 });
    const settingsPath = app.settingsPath();
    const edited = structuredClone(app.settings()!);
    edited.analysis = { ...edited.analysis, thresholds: { warning: 0.5, critical: 0.8 } };
    writeFileSync(settingsPath, JSON.stringify(edited));
    let judged: Sample | null | undefined = null;
    for (let i = 0; i < 120 && judged?.thresholds?.warning !== 0.5; i++) {
      await new Promise((r) => setTimeout(r, 250));
      judged = hosts.readings().find((r) => r.label === reachable)?.sample;
    }
    expect(judged?.thresholds).toEqual({ warning: 0.5, critical: 0.8 });

    // The list edited from the tray: the window follows its host to its new place, then to this computer when it is removed.
    win.webContents.url = hostPage;
    const sub = (line: string, action: string) => (h!.fake.tray.item(line)!.submenu as { label: string; click: () => void }[]).find((i) => i.label === action)!.click();
    sub(`${reachable} — exhausted`, 'Move up');
    expect(hosts.readings().map((r) => r.label)).toEqual([reachable, silent]);
    expect(win.loaded.at(-1)).toBe(`${APP_INDEX_URL}?host=1`);
    win.webContents.url = `${APP_INDEX_URL}?host=1`;
    sub(`${reachable} — exhausted`, 'Remove from Portwatch');
    expect(win.loaded.at(-1)).toBe(APP_INDEX_URL);
    // A page left on a host number past the list's end is told so, and reaches nothing.
    const stale = (await h.fake.ipcMain.invoke(REQUEST_CHANNELS.getSnapshot, ipcEvent(win.webContents, `${APP_INDEX_URL}?host=2`), {})) as ResponseMessage;
    expect(stale).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  }, 150_000);

  it('logs in to a host that needs a password from its own page: ssh\'s prompt reaches that page, the password reaches ssh only, then the host is read', async () => {
    const host = `${PASSWORD_USER}@${pair.serverAddress}`;
    h = await startDesktopWithHosts(pair, { hosts: [host], sshConfig: pair.passwordConfig });
    const win = h.fake.window!;
    const hosts = h.app.hosts()!;
    for (let i = 0; i < 240 && !hosts.readings()[0]?.needsLogin; i++) await new Promise((r) => setTimeout(r, 250));
    const page = `${APP_INDEX_URL}?host=1`;
    win.webContents.url = page;
    const call = async (from: string, method: keyof typeof REQUEST_CHANNELS, params: unknown = {}) => (await h!.fake.ipcMain.invoke(REQUEST_CHANNELS[method], ipcEvent(win.webContents, from), params)) as ResponseMessage;
    const ask = async <T>(method: keyof typeof REQUEST_CHANNELS, params: unknown = {}): Promise<T> => {
      const r = await call(page, method, params);
      if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
      return r.result as T;
    };
    const sent = () => win.webContents.sent.filter((x) => x.channel === EVENT_CHANNEL).map((x) => x.args[0] as { event: string; data: { loginId?: string; data?: string; state?: string } });

    // The picker offers the login for that host only; this computer needs none.
    expect((await ask<HostSummary[]>('getHosts')).map((s) => [s.index, s.canLogIn ?? false])).toEqual([
      [0, false],
      [1, true],
    ]);
    expect(await call(APP_INDEX_URL, 'startHostLogin')).toMatchObject({ ok: false, error: { code: 'unavailable', message: 'startHostLogin: this computer needs no login' } });

    const login = await ask<HostLoginSession>('startHostLogin');
    expect(login).toMatchObject({ host, state: 'running' });
    const output = () => sent().filter((e) => e.event === 'hostLoginOutput' && e.data.loginId === login.loginId).map((e) => e.data.data).join('');
    for (let i = 0; i < 120 && !/password:\s*$/i.test(output()); i++) await new Promise((r) => setTimeout(r, 250));
    expect(output()).toMatch(/password:\s*$/i);
    // Another page may not type into it (a page of this computer, or of a host past the list's end).
    expect(await call(APP_INDEX_URL, 'writeHostLogin', { loginId: login.loginId, data: 'x' })).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(await call(`${APP_INDEX_URL}?host=2`, 'writeHostLogin', { loginId: login.loginId, data: 'x' })).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(await ask('writeHostLogin', { loginId: login.loginId, data: `${pair.password}\r` })).toEqual({ written: pair.password.length + 1 });
    let ended: { state?: string } | undefined;
    for (let i = 0; i < 120 && !ended; i++) {
      await new Promise((r) => setTimeout(r, 250));
      ended = sent().find((e) => e.event === 'hostLoginStatus' && e.data.loginId === login.loginId && e.data.state !== 'running')?.data;
    }
    expect(ended).toMatchObject({ state: 'logged-in' });

    // The host is read over the connection the login left: its own exhaustion, on its page.
    let snap: Snapshot | null = null;
    for (let i = 0; i < 120 && snap?.sample?.severity !== 'exhausted'; i++) {
      snap = await ask<Snapshot>('getSnapshot');
      if (snap.sample?.severity !== 'exhausted') await new Promise((r) => setTimeout(r, 250));
    }
    expect(snap?.sample?.worst?.remotePort).toBe(8080);
    expect((await ask<HostSummary[]>('getHosts'))[1]!.canLogIn ?? false).toBe(false);
    // The password went to ssh and nowhere else: not in anything sent to the page, nor in the app's log.
    expect(JSON.stringify(win.webContents.sent)).not.toContain(pair.password);
    expect(h.log.join('\n')).not.toContain(pair.password);
  }, 150_000);
});
