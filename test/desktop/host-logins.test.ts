// Logging in to a remote host from the desktop window, against a real sshd in a namespace
// (test/remote/sshd-pair.ts) with password authentication: the host waits for a login; the login runs
// the real /usr/bin/ssh in a real pseudo-terminal (node-pty), whose output is sent as events; the password
// typed there is taken by ssh and appears in no event, transcript or message; a wrong one fails with ssh's
// reason; once logged in, the shared connection carries the host's reads at once. A changed host key is
// refused with the fix. The rules of a session (one per host, only the host's own page, a time limit,
// cancel, hosts removed from the list) are checked with a stand-in terminal.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostLoginSession } from '../../electron/common/host-login.js';
import { HostLogins, type HostLoginEvent, type LoginPty, type SpawnLoginPty } from '../../electron/desktop/host-logins.js';
import { HostMonitors } from '../../electron/desktop/host-monitors.js';
import { createSshRunner, type SshConnection } from '../../electron/node/remote/ssh-command.js';
import { describeNetns } from '../netns/describe-netns.js';
import { PASSWORD_USER, startSshdPair, type SshdPair } from '../remote/sshd-pair.js';

const until = async <T>(what: string, get: () => T | undefined | false, ms: number): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

describeNetns('logging in to a remote host in the window\'s terminal (real sshd, real ssh in a pty)', () => {
  let pair: SshdPair;
  let monitors: HostMonitors | null = null;

  beforeAll(async () => {
    pair = await startSshdPair('hl7');
  }, 60_000);

  afterAll(async () => {
    await monitors?.close();
    await pair?.close();
  }, 30_000);

  it('takes the password typed into the terminal, keeps none of it, and the host is read at once over the shared connection', async () => {
    const host = `${PASSWORD_USER}@${pair.serverAddress}`;
    const inNamespace = ['/usr/sbin/ip', 'netns', 'exec', pair.client.name];
    const m = new HostMonitors({
      controlDir: join(mkdtempSync(join(pair.dir, 'ctl-')), 'c'),
      version: 'test',
      sshConfig: pair.passwordConfig,
      runner: createSshRunner(inNamespace),
      loginLauncher: inNamespace,
      tickSec: 1,
      minFullSec: 1,
    });
    monitors = m;
    const events: HostLoginEvent[] = [];
    m.onEvent((label, e) => {
      if (label === host && (e.event === 'hostLoginOutput' || e.event === 'hostLoginStatus')) events.push(e);
    });
    void m.sync([host]);
    // Reads never prompt: the host waits for a login.
    const waiting = await until('the host to need a login', () => m.readings().find((r) => r.needsLogin), 60_000);
    expect(waiting.status.state).toBe('needs-login');
    expect(waiting.sample?.severity ?? 'unknown').toBe('unknown');

    const output = (id: string) =>
      events
        .filter((e): e is Extract<HostLoginEvent, { event: 'hostLoginOutput' }> => e.event === 'hostLoginOutput' && e.data.loginId === id)
        .map((e) => e.data.data)
        .join('');
    const ended = (id: string) => events.find((e): e is Extract<HostLoginEvent, { event: 'hostLoginStatus' }> => e.event === 'hostLoginStatus' && e.data.loginId === id && e.data.state !== 'running')?.data;

    // A wrong password: ssh says no (one prompt in this configuration), and so does the session.
    const first = await m.logins.start(host);
    expect(first).toMatchObject({ host, state: 'running', message: '' });
    expect(await m.logins.start(host)).toMatchObject({ loginId: first.loginId }); // one login per host
    await until('the password prompt', () => /password:\s*$/i.test(output(first.loginId)), 30_000);
    m.logins.write(host, first.loginId, 'not-the-password\r');
    const refused = await until('the wrong password refused', () => ended(first.loginId), 30_000);
    expect(refused.state).toBe('failed');
    expect(refused.message).toMatch(/not logged in \(.*Permission denied.*\); try again/);
    expect(m.readings()[0]!.status.state).toBe('needs-login');

    // The right one: logged in, and the next read goes over the connection the login left.
    const second = await m.logins.start(host);
    expect(second.loginId).not.toBe(first.loginId);
    await until('the password prompt again', () => /password:\s*$/i.test(output(second.loginId)), 30_000);
    m.logins.write(host, second.loginId, `${pair.password}\r`);
    const done = await until('the login to end', () => ended(second.loginId), 30_000);
    expect(done).toMatchObject({ state: 'logged-in', message: `Logged in: ${host} is read over the shared connection from now on.` });
    const loggedInAt = Date.now();
    const read = await until('a read over the shared connection', () => m.readings().find((r) => r.status.state === 'connected' && r.sample !== null && r.sample.time >= loggedInAt - 1000 && r.sample.severity !== 'unknown'), 30_000);
    expect(read.needsLogin).toBe(false);
    expect(read.sample!.kernel.portRange).not.toBeNull();

    // Nothing typed is kept: not in any event, transcript or message.
    const everything = JSON.stringify(events) + JSON.stringify(m.logins.session(host));
    expect(everything).not.toContain(pair.password);
    expect(everything).toContain('not logged in'); // (the check above can fail: the events are there)
    expect(() => m.logins.write(host, second.loginId, 'x')).toThrow(/has ended \(logged-in\)/);
  }, 180_000);

  it('refuses a host whose key has changed, with the fix, before any password is asked', async () => {
    // The same server, known under another key: ssh refuses it outright.
    const keyDir = mkdtempSync(join(pair.dir, 'otherkey-'));
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(keyDir, 'k')]);
    writeFileSync(join(keyDir, 'known_hosts'), `${pair.serverAddress} ${readFileSync(join(keyDir, 'k.pub'), 'utf8')}`);
    const config = join(keyDir, 'ssh_config');
    writeFileSync(config, readFileSync(pair.passwordConfig, 'utf8').replace(/UserKnownHostsFile \S+/, `UserKnownHostsFile ${join(keyDir, 'known_hosts')}`));
    const connection: SshConnection = { target: { host: pair.serverAddress, user: PASSWORD_USER }, controlDir: join(mkdtempSync(join(pair.dir, 'ctl-')), 'c'), configFile: config };
    const { ensureControlDir } = await import('../../electron/node/remote/control-dir.js');
    ensureControlDir(connection.controlDir);
    const events: HostLoginEvent[] = [];
    const logins = new HostLogins({ connectionOf: () => connection, loggedIn: () => expect.fail('must not log in'), emit: (_h, e) => events.push(e), launcher: ['ip', 'netns', 'exec', pair.client.name] });
    const s = await logins.start('changed');
    const end = await until('the refusal', () => events.find((e) => e.event === 'hostLoginStatus' && e.data.state !== 'running')?.data as HostLoginSession | undefined, 30_000);
    expect(end.state).toBe('failed');
    expect(end.message).toContain('the host key has CHANGED since you last connected, so Portwatch refuses to connect');
    expect(end.message).toContain(`ssh-keygen -R ${pair.serverAddress}`);
    expect(events.filter((e) => e.event === 'hostLoginOutput').map((e) => e.data.data).join('')).not.toMatch(/password:/i);
    expect(logins.session('changed')?.loginId).toBe(s.loginId);
  }, 60_000);
});

describe('login sessions (a stand-in terminal)', () => {
  const connection: SshConnection = { target: { host: 'lb1', user: 'ops' }, controlDir: '/nonexistent' };
  const make = (o: { timeoutMs?: number } = {}) => {
    const ptys: { argv: readonly string[]; written: string[]; killed: string[]; exit: (code: number | null) => void; data: (d: string) => void; size: number[] }[] = [];
    const spawnPty: SpawnLoginPty = async (argv, size, onData, onExit) => {
      const p = { argv, written: [] as string[], killed: [] as string[], exit: onExit, data: onData, size: [size.cols, size.rows] };
      ptys.push(p);
      const pty: LoginPty = { write: (d) => p.written.push(d), resize: (c, r) => (p.size = [c, r]), kill: (sig) => p.killed.push(sig ?? 'SIGHUP') };
      return pty;
    };
    const events: [string, HostLoginEvent][] = [];
    const loggedIn: string[] = [];
    const logins = new HostLogins({ connectionOf: (h) => (h === 'lb1' || h === 'lb2' ? connection : null), loggedIn: (h) => loggedIn.push(h), emit: (h, e) => events.push([h, e]), spawnPty, ...o });
    return { logins, ptys, events, loggedIn };
  };

  it('runs the fixed ssh login argv (no shell), types into it, resizes it, and reads the host at once when ssh ends well', async () => {
    const { logins, ptys, events, loggedIn } = make();
    const s = await logins.start('lb1');
    expect(s.loginId).toMatch(/^hl-[0-9a-f]{12}$/);
    expect(ptys[0]!.argv[0]).toBe('/usr/bin/ssh');
    expect(ptys[0]!.argv.slice(-3)).toEqual(['--', 'lb1', 'true']);
    expect(ptys[0]!.argv).toContain('ControlMaster=auto');
    ptys[0]!.data('ops@lb1\'s password: ');
    expect(logins.write('lb1', s.loginId, 'secret\r')).toEqual({ written: 7 });
    expect(ptys[0]!.written).toEqual(['secret\r']);
    expect(logins.resize('lb1', s.loginId, 120, 40)).toEqual({ cols: 120, rows: 40 });
    expect(ptys[0]!.size).toEqual([120, 40]);
    ptys[0]!.exit(0);
    expect(loggedIn).toEqual(['lb1']);
    expect(events.map(([h, e]) => [h, e.event, e.event === 'hostLoginStatus' ? e.data.state : e.data.data])).toEqual([
      ['lb1', 'hostLoginOutput', 'ops@lb1\'s password: '],
      ['lb1', 'hostLoginStatus', 'logged-in'],
    ]);
    expect(ptys[0]!.killed).toEqual([]);
  });

  it('keeps a login to its own host: another host\'s page, an old id or an ended login are refused', async () => {
    const { logins } = make();
    const a = await logins.start('lb1');
    const b = await logins.start('lb2');
    expect(() => logins.write('lb2', a.loginId, 'x')).toThrow(`no login ${a.loginId} for lb2`);
    expect(() => logins.cancel('lb1', b.loginId)).toThrow(`no login ${b.loginId} for lb1`);
    await expect(logins.start('gone')).rejects.toThrow('gone is not in the host list (any more)');
    expect(logins.cancel('lb1', a.loginId)).toMatchObject({ state: 'cancelled', message: 'Login cancelled.' });
    expect(() => logins.write('lb1', a.loginId, 'x')).toThrow('has ended (cancelled)');
  });

  it('stops ssh on cancel, after the time limit and when the host leaves the list; a failed ssh says why', async () => {
    const { logins, ptys, events } = make({ timeoutMs: 50 });
    const a = await logins.start('lb1');
    await until('the time limit', () => logins.session('lb1')?.state === 'failed', 5_000);
    expect(logins.session('lb1')?.message).toBe('ops@lb1: the login did not finish within 0 min; start it again');
    expect(ptys[0]!.killed).toEqual(['SIGKILL']);
    const { logins: l2, ptys: p2 } = make();
    await l2.start('lb1');
    l2.keep(['lb2']);
    expect(p2[0]!.killed).toEqual(['SIGKILL']);
    expect(l2.session('lb1')).toBeNull();
    const { logins: l3, ptys: p3, events: e3 } = make();
    await l3.start('lb2');
    p3[0]!.data('ssh: connect to host lb1 port 22: Connection refused\r\n');
    p3[0]!.exit(255);
    expect(e3.at(-1)![1]).toMatchObject({ event: 'hostLoginStatus', data: { state: 'failed', message: 'ops@lb1: unreachable (ssh: connect to host lb1 port 22: Connection refused)' } });
    expect(events.some(([, e]) => e.event === 'hostLoginStatus' && e.data.loginId === a.loginId)).toBe(true);
  });
});
