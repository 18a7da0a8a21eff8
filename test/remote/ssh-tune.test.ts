// Tuning a remote host over a real OpenSSH server in its own network namespace (sshd-pair.ts; its
// /etc/sysctl.d and /var/lib/portwatch-remote are private tmpfs mounts, so the "remote host's" drop-in
// is not this machine's). The kernel is the oracle: every value is read from the server namespace's own
// sysctls, not from what Portwatch reports. apply → keep: the values stay past the countdown, persisted;
// apply → the connection killed: the remote host reverts by itself; revert restores the old values and
// the drop-in exactly.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { HelperResult } from '../../electron/common/tuning.js';
import { DROP_IN_PATH } from '../../electron/common/tuning.js';
import { REMOTE_TUNE_DIR } from '../../electron/node/remote/remote-tune-script.js';
import { describeNetns } from '../netns/describe-netns.js';
import { CLI_ENTRY, REPO_ROOT } from '../netns/portwatch-cli.js';
import { killIfAlive } from '../netns/netns.js';
import { renderDropIn } from '../../electron/helper/drop-in.js';
import { startSshdPair, type SshdPair } from './sshd-pair.js';

const OLD_RANGE = '40000 40009';
const NEW_RANGE = '32768 60999';
// The countdown: long enough for the CLI to apply, verify over ssh and keep (a second ssh -t session)
// on a loaded machine, where each step takes seconds.
const COUNTDOWN_SEC = 30;
const NEW_SETTING = { key: 'net.ipv4.ip_local_port_range', low: 32768, high: 60999 } as const;

describeNetns('remote tuning over a real sshd', () => {
  let pair: SshdPair;
  let base: string;

  beforeAll(async () => {
    // The mount point of the private state directory (empty here; sshd's sessions see a tmpfs on it).
    mkdirSync(REMOTE_TUNE_DIR, { recursive: true, mode: 0o700 });
    pair = await startSshdPair('rtune', { privateDirs: ['/etc/sysctl.d', REMOTE_TUNE_DIR] });
    base = mkdtempSync(join(pair.dir, 'ctl-'));
  }, 60_000);

  afterAll(async () => {
    await pair?.close();
  }, 30_000);

  /** Each test starts from the narrow range and no drop-in (set in, and read back from, the server namespace). */
  async function startFromOld(): Promise<void> {
    await pair.server.sysctl('net.ipv4.ip_local_port_range', OLD_RANGE);
    expect((await pair.execAsRemote(['rm', '-f', DROP_IN_PATH])).code).toBe(0);
  }

  const tuneArgs = (extra: string[]): string[] => [
    'tune',
    '--ssh',
    `root@${pair.serverAddress}`,
    '--ssh-config',
    pair.keyConfig,
    // The "remote host" is this machine's namespace; if this machine is a container it would say so.
    '--assume-host',
    '--interval',
    '0',
    '--force',
    '--range',
    '32768-60999',
    '--no-tw-reuse',
    '--confirm-timeout',
    String(COUNTDOWN_SEC),
    ...extra,
  ];

  async function tune(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const r = await pair.client.exec([process.execPath, '--import', 'tsx', CLI_ENTRY, ...args], { cwd: REPO_ROOT, env: { ...process.env, XDG_RUNTIME_DIR: base }, timeoutMs: 90_000 });
    return { code: r.code, stdout: r.stdout, stderr: r.stderr };
  }

  const dropIn = async (): Promise<string | null> => {
    const r = await pair.execAsRemote(['cat', DROP_IN_PATH]);
    return r.code === 0 ? r.stdout : null;
  };

  it('shows the plan and the exact ssh command in a dry run, and changes nothing', async () => {
    await startFromOld();
    const r = await tune(tuneArgs(['--dry-run']));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Remote host root@${pair.serverAddress}`);
    expect(r.stdout).toMatch(/net\.ipv4\.ip_local_port_range: 40000 40009 → 32768 60999/);
    expect(r.stdout).toMatch(/\$ \/usr\/bin\/ssh .* -t -- 10\.[\d.]+ sh -c '<the fixed Portwatch remote script, sha256 [0-9a-f]{16}…>' portwatch-tune apply 30 \d{8}T\d{6}Z-[0-9a-f]{6} range 32768 60999/);
    expect(await pair.server.readSysctl('net.ipv4.ip_local_port_range')).toBe(OLD_RANGE);
    expect(await dropIn()).toBeNull();
  }, 120_000);

  it('apply → keep: the new range stays past the countdown, persisted in the drop-in there; revert restores both exactly', async () => {
    await startFromOld();
    const r = await tune(tuneArgs(['--apply', '--yes', '--json']));
    expect(r.code, `${r.stderr}\n${r.stdout}`).toBe(0);
    const kept = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as HelperResult;
    expect(kept.outcome).toBe('kept');
    expect(kept.changes).toEqual([{ key: 'net.ipv4.ip_local_port_range', before: OLD_RANGE, wanted: NEW_RANGE, now: NEW_RANGE }]);
    // Past the countdown, the kernel still holds the new range: the keep step cancelled the remote timer.
    await new Promise((res) => setTimeout(res, (COUNTDOWN_SEC + 3) * 1000));
    expect(await pair.server.readSysctl('net.ipv4.ip_local_port_range')).toBe(NEW_RANGE);
    // Byte for byte what the local helper would write, and what the review showed.
    expect(await dropIn()).toBe(renderDropIn(null, [NEW_SETTING]));
    const sleepers = await pair.execAsRemote(['pgrep', '-f', `tune.sh expire ${kept.txid}`]);
    expect(sleepers.stdout.trim()).toBe('');

    const back = await tune(['tune', '--ssh', `root@${pair.serverAddress}`, '--ssh-config', pair.keyConfig, '--revert', kept.txid!, '--json']);
    expect(back.code, back.stderr).toBe(0);
    expect((JSON.parse(back.stdout) as HelperResult).outcome).toBe('reverted');
    expect(await pair.server.readSysctl('net.ipv4.ip_local_port_range')).toBe(OLD_RANGE);
    expect(await dropIn()).toBeNull(); // there was none before
  }, 180_000);

  it('apply → the ssh connection killed and the link cut: the remote host reverts by itself after the countdown', async () => {
    await startFromOld();
    // Someone else's drop-in line stays exactly as it was.
    expect((await pair.execAsRemote(['sh', '-c', `printf '# theirs\\nnet.core.somaxconn = 4096\\n' > ${DROP_IN_PATH}`])).code).toBe(0);
    const before = await dropIn();
    const pty = await import('node-pty');
    const argv = ['netns', 'exec', pair.client.name, process.execPath, '--import', 'tsx', CLI_ENTRY, ...tuneArgs(['--apply'])];
    const term = pty.spawn('ip', argv, { cwd: REPO_ROOT, env: { ...process.env, XDG_RUNTIME_DIR: base, TERM: 'xterm' }, cols: 200, rows: 50 });
    let screen = '';
    term.onData((d) => (screen += d));
    const exited = new Promise<void>((res) => term.onExit(() => res()));
    try {
      // Bounded wait for the keep question: applied, verified, countdown armed on the remote host.
      for (let i = 0; i < 600 && !/Type keep/.test(screen); i++) await new Promise((res) => setTimeout(res, 100));
      expect(screen).toMatch(/Type keep/);
      expect(screen).toMatch(/ok +net\.ipv4\.ip_local_port_range = 32768 60999/);
      expect(await pair.server.readSysctl('net.ipv4.ip_local_port_range')).toBe(NEW_RANGE);
      expect(await dropIn()).toBe(renderDropIn(before, [NEW_SETTING]));
    } finally {
      // The laptop goes away: the CLI and every ssh process on the client side killed, the link cut.
      term.kill('SIGKILL');
      await exited;
    }
    for (const pid of await pair.client.pids()) killIfAlive(pid);
    await pair.client.execOrThrow(['ip', 'link', 'set', pair.clientLink, 'down']);
    try {
      // The remote host's countdown, and nothing on this side, puts the old values back (bounded wait
      // for its state file to leave awaiting-confirm; it is written after the values and the drop-in).
      const state = async (): Promise<string> => (await pair.execAsRemote(['sh', '-c', `cat ${REMOTE_TUNE_DIR}/net-*/state`])).stdout.trim();
      for (let i = 0; i < 2 * (COUNTDOWN_SEC + 30) && (await state()) === 'awaiting-confirm'; i++) await new Promise((res) => setTimeout(res, 500));
      expect(await state()).toBe('reverted');
      expect(await pair.server.readSysctl('net.ipv4.ip_local_port_range')).toBe(OLD_RANGE);
      expect(await dropIn()).toBe(before);
    } finally {
      await pair.client.execOrThrow(['ip', 'link', 'set', pair.clientLink, 'up']);
    }
  }, 180_000);
});
