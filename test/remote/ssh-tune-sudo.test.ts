// Tuning a remote host whose login is not root, as on most servers: the user logs in with a password
// and sudo asks for it again on the remote side, both in the terminal the CLI runs in (a real pty here,
// as a person's terminal). A real sshd in its own namespace (sshd-pair.ts) with a sudoers rule for the
// test's password user; its /etc/sysctl.d and /var/lib/portwatch-remote are private mounts, so the
// "remote host's" drop-in is not this machine's. The kernel is the oracle: values are read from the
// server namespace's own sysctls. apply → keep through sudo: the range stays past the countdown (the
// keep step, itself through sudo, cancelled the remote timer), persisted in the drop-in.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DROP_IN_PATH } from '../../electron/common/tuning.js';
import { REMOTE_TUNE_DIR } from '../../electron/node/remote/remote-tune-script.js';
import { renderDropIn } from '../../electron/helper/drop-in.js';
import { describeNetns } from '../netns/describe-netns.js';
import { CLI_ENTRY, REPO_ROOT } from '../netns/portwatch-cli.js';
import { PASSWORD_USER, startSshdPair, type SshdPair } from './sshd-pair.js';

const OLD_RANGE = '40000 40009';
const NEW_RANGE = '32768 60999';
const COUNTDOWN_SEC = 30;
const hasSudo = spawnSync('sh', ['-c', 'command -v sudo']).status === 0;
/** One rule for the test's user, removed after (the name holds the pid: parallel runs keep theirs). */
const SUDOERS = `/etc/sudoers.d/portwatch-test-${process.pid}`;

describeNetns('remote tuning through sudo over a real sshd', () => {
  let pair: SshdPair;
  let base: string;

  beforeAll(async () => {
    if (!hasSudo) return;
    mkdirSync(REMOTE_TUNE_DIR, { recursive: true, mode: 0o700 });
    pair = await startSshdPair('rsudo', { privateDirs: ['/etc/sysctl.d', REMOTE_TUNE_DIR] });
    base = mkdtempSync(join(pair.dir, 'ctl-'));
    // sudo asks for the user's own password (no NOPASSWD): what a server's admin group usually has
    writeFileSync(SUDOERS, `${PASSWORD_USER} ALL=(root) ALL\n`, { mode: 0o440 });
    expect(spawnSync('visudo', ['-cf', SUDOERS]).status).toBe(0);
  }, 60_000);

  afterAll(async () => {
    rmSync(SUDOERS, { force: true });
    await pair?.close();
  }, 30_000);

  it.runIf(hasSudo)('apply → keep as a user who is not root: the passwords typed into the terminal, sudo on the remote side, the range kept and persisted there', async () => {
    await pair.server.sysctl('net.ipv4.ip_local_port_range', OLD_RANGE);
    expect((await pair.execAsRemote(['rm', '-f', DROP_IN_PATH])).code).toBe(0);
    const pty = await import('node-pty');
    const argv = [
      'netns', 'exec', pair.client.name, process.execPath, '--import', 'tsx', CLI_ENTRY,
      'tune', '--ssh', `${PASSWORD_USER}@${pair.serverAddress}`, '--ssh-config', pair.passwordConfig,
      '--assume-host', '--interval', '0', '--force', '--range', '32768-60999', '--no-tw-reuse', '--confirm-timeout', String(COUNTDOWN_SEC), '--apply',
    ];
    const term = pty.spawn('ip', argv, { cwd: REPO_ROOT, env: { ...process.env, XDG_RUNTIME_DIR: base, TERM: 'xterm' }, cols: 200, rows: 50 });
    let screen = '';
    let answered = 0; // where the last answered prompt ended
    const prompts: string[] = [];
    term.onData((d) => {
      screen += d;
      // ssh's "user@host's password: " and sudo's "[sudo] password for user: ", each answered once
      const m = /(\S+'s password|\[sudo\] password for \S+): *$/.exec(screen.slice(answered));
      if (m) {
        prompts.push(m[1]!);
        answered = screen.length;
        term.write(`${pair.password}\r`);
      }
    });
    const exit = new Promise<number>((res) => term.onExit((e) => res(e.exitCode)));
    for (let i = 0; i < 900 && !/Type keep/.test(screen); i++) await new Promise((res) => setTimeout(res, 100));
    expect(screen).toMatch(/Type keep/);
    // the sudo session has ended, and the countdown it armed lives on, as root, on the remote host
    const sleeper = await pair.execAsRemote(['pgrep', '-u', 'root', '-f', 'tune.sh expire']);
    expect(sleeper.stdout.trim(), 'the remote countdown survives the end of its sudo session').not.toBe('');
    answered = screen.length;
    term.write('keep\r');
    const code = await Promise.race([exit, new Promise<number>((res) => setTimeout(() => res(-1), 150_000))]);
    if (code === -1) term.kill('SIGKILL');
    const plain = screen.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
    expect(code, plain.slice(-3000)).toBe(0);
    // the remote side really went through sudo, which asked in this terminal
    expect(prompts.some((p) => p.startsWith('[sudo] password for')), plain.slice(-3000)).toBe(true);
    expect(plain).toMatch(/sudo -- sh -c/);
    expect(plain).toMatch(/ok +net\.ipv4\.ip_local_port_range = 32768 60999/);
    // past the countdown the kernel still holds the new range: the keep step (through sudo) cancelled the timer
    await new Promise((res) => setTimeout(res, (COUNTDOWN_SEC + 3) * 1000));
    expect(await pair.server.readSysctl('net.ipv4.ip_local_port_range')).toBe(NEW_RANGE);
    const dropIn = await pair.execAsRemote(['cat', DROP_IN_PATH]);
    expect(dropIn.stdout).toBe(renderDropIn(null, [{ key: 'net.ipv4.ip_local_port_range', low: 32768, high: 60999 }]));
  }, 240_000);
});
