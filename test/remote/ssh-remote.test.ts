// Remote hosts over a real OpenSSH server in its own network namespace (see sshd-pair.ts): a remote
// exhaustion seen from the local CLI with the right worst destination and process, the password typed
// into a terminal, a changed host key refused with the fix, and a cut link reported as unreachable and
// then recovered.
import { mkdtempSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Sample } from '../../electron/common/model.js';
import { parseSnapshot } from '../../electron/node/platform/index.js';
import { Analyzer } from '../../electron/node/engine/analyzer.js';
import { DEFAULT_ANALYSIS_CONFIG } from '../../electron/common/config.js';
import { createRemoteBackend, unreachableReason } from '../../electron/node/remote/remote-backend.js';
import { createSshRunner } from '../../electron/node/remote/ssh-command.js';
import { ensureControlDir } from '../../electron/node/remote/control-dir.js';
import { describeNetns } from '../netns/describe-netns.js';
import { checkJson, REPO_ROOT, CLI_ENTRY } from '../netns/portwatch-cli.js';
import { connectHold, startServer, type ConnectReport } from '../netns/workloads.js';
import { PASSWORD_USER, startSshdPair, type SshdPair } from './sshd-pair.js';

describeNetns('remote hosts over a real sshd', () => {
  let pair: SshdPair;
  let hold: ConnectReport;

  beforeAll(async () => {
    pair = await startSshdPair('sshrem');
    // The remote exhaustion: a 10-port range, 14 connects to one destination → 10 held, 4 refused.
    await pair.server.sysctl('net.ipv4.ip_local_port_range', '40000 40009');
    await startServer(pair.server, ['127.0.0.1:8080']);
    hold = await connectHold(pair.server, '127.0.0.1:8080', 14);
  }, 60_000);

  afterAll(async () => {
    await pair?.close();
  }, 30_000);

  /** Runs `portwatch check --ssh …` inside the client namespace with its own control directory. */
  async function checkSsh(args: string[], controlBase: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const env = { ...process.env, XDG_RUNTIME_DIR: controlBase };
    const r = await pair.client.exec([process.execPath, '--import', 'tsx', CLI_ENTRY, 'check', ...args], { cwd: REPO_ROOT, env, timeoutMs: 60_000 });
    return { code: r.code, stdout: r.stdout, stderr: r.stderr };
  }

  it('sees a remote exhaustion from the local CLI with the same worst destination and process as a local check there', async () => {
    expect(hold.connected).toBe(10);
    expect(hold.codes.EADDRNOTAVAIL).toBe(4);
    const base = mkdtempSync(join(pair.dir, 'ctl-'));
    const r = await checkSsh(['--ssh', `root@${pair.serverAddress}`, '--ssh-config', pair.keyConfig, '--json', '--interval', '0'], base);
    expect(r.stderr).toBe('');
    const remote = JSON.parse(r.stdout) as Sample;
    expect(r.code).toBe(2);
    expect(remote.severity).toBe('exhausted');
    expect(remote.worst?.remoteAddress).toBe('127.0.0.1');
    expect(remote.worst?.remotePort).toBe(8080);
    expect(remote.worst?.inUse).toBe(10);
    expect(remote.worst?.processes[0]?.pid).toBe(hold.process.pid);
    expect(remote.sources.find((s) => s.name === 'ssh')?.status).toBe('ok');
    // The same parsers and analysis on the machine itself give the same answer.
    const local = (await checkJson(pair.server, ['--interval', '0', '--netns', 'self'])).sample;
    expect(remote.worst?.key).toBe(local.worst?.key);
    expect(remote.worst?.processes).toEqual(local.worst?.processes);
    expect(remote.hostname).toBe(local.hostname);
    // One shared connection: the control socket sits in a private directory.
    const ctl = join(base, `portwatch-ssh-${process.getuid!()}`);
    expect(() => ensureControlDir(ctl)).not.toThrow();
    expect(readdirSync(ctl).length).toBe(1);
    // The human report too, in the same exit code.
    const human = await checkSsh(['--ssh', `root@${pair.serverAddress}`, '--ssh-config', pair.keyConfig, '--interval', '0'], base);
    expect(human.code).toBe(2);
    expect(human.stdout).toMatch(/Severity: EXHAUSTED/);
    expect(human.stdout).toMatch(/127\.0\.0\.1:8080/);
  }, 90_000);

  it('takes the password typed into a terminal, keeps none of it, and reads over the shared connection afterwards', async () => {
    const pty = await import('node-pty');
    const base = mkdtempSync(join(pair.dir, 'ctl-'));
    const argv = ['netns', 'exec', pair.client.name, process.execPath, '--import', 'tsx', CLI_ENTRY, 'check', '--ssh', `${PASSWORD_USER}@${pair.serverAddress}`, '--ssh-config', pair.passwordConfig, '--json', '--interval', '0'];
    const term = pty.spawn('ip', argv, { cwd: REPO_ROOT, env: { ...process.env, XDG_RUNTIME_DIR: base, TERM: 'xterm' }, cols: 200, rows: 50 });
    let screen = '';
    let typed = false;
    const exit = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        term.kill('SIGKILL');
        reject(new Error(`no end within 60 s; screen so far:\n${screen}`));
      }, 60_000);
      term.onData((d) => {
        screen += d;
        if (!typed && /password:\s*$/i.test(screen)) {
          typed = true;
          term.write(`${pair.password}\r`);
        }
      });
      term.onExit(({ exitCode }) => {
        clearTimeout(timer);
        resolve(exitCode);
      });
    });
    expect(typed).toBe(true);
    expect(screen).toMatch(/logging in to pwsshtest@/);
    expect(screen).not.toContain(pair.password); // ssh does not echo it, Portwatch never prints it
    const json = screen.slice(screen.indexOf('{"schema"'));
    const sample = JSON.parse(json.slice(0, json.lastIndexOf('}') + 1)) as Sample;
    expect(exit).toBe(2);
    expect(sample.worst?.remotePort).toBe(8080);
    // As a normal user the owners of root's sockets stay unknown, and the sample says so.
    expect(sample.sources.find((s) => s.name === 'socket-owners')?.error).toMatch(/other users' processes show no owner/);
    // No terminal now: the shared connection made by the login carries the read, no password asked.
    const again = await checkSsh(['--ssh', `${PASSWORD_USER}@${pair.serverAddress}`, '--ssh-config', pair.passwordConfig, '--json', '--interval', '0'], base);
    expect(again.code).toBe(2);
    // With another control directory (no shared connection) and no terminal, it says a login is needed.
    const fresh = await checkSsh(['--ssh', `${PASSWORD_USER}@${pair.serverAddress}`, '--ssh-config', pair.passwordConfig, '--interval', '0'], mkdtempSync(join(pair.dir, 'ctl-')));
    expect(fresh.code).toBe(3);
    expect(fresh.stderr).toMatch(/needs you to log in/);
    expect(fresh.stdout).toMatch(/Severity: UNKNOWN — Needs login since/);
  }, 120_000);

  it('reports a cut link as unreachable since the first failure (never ok), then recovers', async () => {
    const controlDir = ensureControlDir(join(mkdtempSync(join(pair.dir, 'ctl-')), 'c'));
    const backend = createRemoteBackend({
      connection: { target: { host: pair.serverAddress, user: 'root' }, configFile: pair.keyConfig, controlDir, connectTimeoutSec: 3 },
      runner: createSshRunner(['ip', 'netns', 'exec', pair.client.name]),
      timeoutMs: 6_000,
    });
    const analyzer = new Analyzer(DEFAULT_ANALYSIS_CONFIG);
    const sample = async (): Promise<Sample> => analyzer.analyze(parseSnapshot(await backend.readAll()), { wallMs: 0, cpuMs: 0 });
    expect((await sample()).severity).toBe('exhausted');
    expect(backend.status().state).toBe('connected');
    // Cut the link while a read is on its way (whether the request or the answer is lost, it is unreachable).
    const during = backend.readAll();
    await pair.client.execOrThrow(['ip', 'link', 'set', pair.clientLink, 'down']);
    const cut = analyzer.analyze(parseSnapshot(await during), { wallMs: 0, cpuMs: 0 });
    expect(cut.severity).toBe('unknown');
    expect(backend.status().state).toBe('unreachable');
    const since = backend.status().since;
    expect(unreachableReason(backend.status())).toMatch(/^Unreachable since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC: root@10\./);
    expect((await sample()).severity).toBe('unknown');
    expect(backend.status().since).toBe(since); // still unreachable since the first failure
    await pair.client.execOrThrow(['ip', 'link', 'set', pair.clientLink, 'up']);
    // TCP's retransmission backoff may hold the first reads after the link returns: bounded retries.
    let back = await sample();
    for (let i = 0; i < 6 && backend.status().state !== 'connected'; i++) back = await sample();
    expect(backend.status().state).toBe('connected');
    expect(back.severity).toBe('exhausted');
    expect(back.worst?.processes[0]?.pid).toBe(hold.process.pid);
  }, 90_000);

  it('refuses a host whose key changed, with ssh’s message and the ssh-keygen -R fix', async () => {
    await pair.changeHostKey();
    const r = await checkSsh(['--ssh', `root@${pair.serverAddress}`, '--ssh-config', pair.keyConfig, '--json', '--interval', '0'], mkdtempSync(join(pair.dir, 'ctl-')));
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('host key has CHANGED');
    expect(r.stderr).toContain(`ssh-keygen -R ${pair.serverAddress}`);
    const s = JSON.parse(r.stdout) as Sample;
    expect(s.severity).toBe('unknown');
    expect(s.worst).toBeNull();
    expect(s.severityReason).toMatch(/^Refused \(host key changed\) since/);
  }, 60_000);
});
