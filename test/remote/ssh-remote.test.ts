// Remote hosts over a real OpenSSH server in its own network namespace (see sshd-pair.ts): a remote
// exhaustion seen from the local CLI with the right worst destination and process, the password typed
// into a terminal, a changed host key refused with the fix, and a cut link reported as unreachable and
// then recovered.
import { mkdtempSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Sample } from '../../electron/common/model.js';
import { parseSnapshot } from '../../electron/node/platform/parse-snapshot.js';
import { Analyzer } from '../../electron/node/engine/analyzer.js';
import { DEFAULT_ANALYSIS_CONFIG } from '../../electron/common/config.js';
import { createRemoteBackend, unreachableReason } from '../../electron/node/remote/remote-backend.js';
import { createSshRunner } from '../../electron/node/remote/ssh-command.js';
import { ensureControlDir } from '../../electron/node/remote/control-dir.js';
import { describeNetns } from '../netns/describe-netns.js';
import { checkJson, REPO_ROOT, CLI_ENTRY } from '../netns/portwatch-cli.js';
import { PASSWORD_USER, startSshdPair, type SshdPair } from './sshd-pair.js';
import { exhaustRemote, type RemoteHold } from './remote-exhaustion.js';
import { browserUnavailable, ensureRendererBuilt, fetchInNamespace, launchChromiumIn } from '../e2e/serve-in-netns.js';

describeNetns('remote hosts over a real sshd', () => {
  let pair: SshdPair;
  let hold: RemoteHold;

  beforeAll(async () => {
    pair = await startSshdPair('sshrem');
    hold = await exhaustRemote(pair);
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
    expect(remote.worst?.processes[0]?.pid).toBe(hold.pid);
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

  it('serve --ssh: the dashboard and /metrics of the remote host show its exhaustion, worst destination and process', async () => {
    const base = mkdtempSync(join(pair.dir, 'ctl-'));
    const serve = pair.client.spawn([process.execPath, '--import', 'tsx', CLI_ENTRY, 'serve', '--port', '0', '--ssh', `root@${pair.serverAddress}`, '--ssh-config', pair.keyConfig], {
      cwd: REPO_ROOT,
      env: { ...process.env, XDG_RUNTIME_DIR: base },
    });
    try {
      const line = await serve.waitForLine(/Portwatch dashboard for root@[\d.]+: http:\/\/127\.0\.0\.1:\d+\/\?token=/, 30_000);
      const m = /(http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]+))/.exec(line)!;
      const [url, port, token] = [m[1]!, m[2]!, m[3]!];
      // Bounded wait for the first remote sample to reach /metrics.
      let metrics = '';
      const worst = /^portwatch_worst_destination_in_use(\{[^}]*\})? 10$/m;
      for (let i = 0; i < 60 && !worst.test(metrics); i++) {
        await new Promise((r) => setTimeout(r, 500));
        // A scrape that times out on a loaded machine is retried within the same bound.
        metrics = await fetchInNamespace(pair.client, `http://127.0.0.1:${port}/metrics`, { Authorization: `Bearer ${token}` }).then((r) => r.body, () => metrics);
      }
      expect(metrics).toMatch(worst);
      if (browserUnavailable() !== null) return;
      ensureRendererBuilt();
      const browser = await launchChromiumIn(pair.client);
      try {
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        await page.goto(url);
        await page.getByText('127.0.0.1:8080').first().waitFor({ timeout: 30_000 });
        const text = await page.locator('body').innerText();
        expect(text).toMatch(/exhausted/i);
        expect(text).toContain(String(hold.pid));
        if (process.env.PORTWATCH_SCREENSHOTS) await page.screenshot({ path: join(REPO_ROOT, 'docs/screenshots/remote-host-dashboard.png') });
      } finally {
        await browser.close();
      }
    } finally {
      serve.kill('SIGTERM');
      await serve.wait(10_000).catch(() => undefined);
    }
  }, 120_000);

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
    expect(screen).toContain(`logging in to ${PASSWORD_USER}@`);
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
    const make = (timeoutMs: number) =>
      createRemoteBackend({
        connection: { target: { host: pair.serverAddress, user: 'root' }, configFile: pair.keyConfig, controlDir, connectTimeoutSec: 3 },
        runner: createSshRunner(['ip', 'netns', 'exec', pair.client.name]),
        timeoutMs,
      });
    const analyzer = new Analyzer(DEFAULT_ANALYSIS_CONFIG);
    // The first connection (key exchange) gets time on a loaded machine; the reads after share it.
    const warm = make(30_000);
    expect(analyzer.analyze(parseSnapshot(await warm.readAll()), { wallMs: 0, cpuMs: 0 }).severity).toBe('exhausted');
    const backend = make(6_000);
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
    for (let i = 0; i < 8 && backend.status().state !== 'connected'; i++) back = await sample();
    expect(backend.status().state).toBe('connected');
    expect(back.severity).toBe('exhausted');
    expect(back.worst?.processes[0]?.pid).toBe(hold.pid);
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
