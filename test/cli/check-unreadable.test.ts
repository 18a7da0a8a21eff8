// `check` when it can read less than usual, for real: a namespace with real sockets, and check run under
// the /proc of a systemd unit with ProcSubset=pid (no /proc/sys, no /proc/net). The range cannot be read,
// so it says the outbound connections are unknown (never "no outbound connection"), still counts the
// sockets it read over netlink, and exits 3. With the sock_diag addon hidden too, the socket table is
// unknown as well.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Sample } from '../../electron/common/model.js';
import { describeNetns } from '../netns/describe-netns.js';
import { ADDON_DIRS, underProcSubsetPid } from '../netns/hardened-proc.js';
import { createNamespace, type Namespace } from '../netns/netns.js';
import { CLI_ENTRY, REPO_ROOT } from '../netns/portwatch-cli.js';
import { connectHold, startServer } from '../netns/workloads.js';

describeNetns('check under ProcSubset=pid (range and /proc/net unreadable)', () => {
  let ns: Namespace;

  beforeAll(async () => {
    ns = await createNamespace('unread6');
    await startServer(ns, ['127.0.0.1:8080']);
    expect((await connectHold(ns, '127.0.0.1:8080', 5)).connected).toBe(5);
  }, 60_000);
  afterAll(async () => ns?.destroy(), 30_000);

  const check = async (args: readonly string[], hide: readonly string[] = []) => {
    const r = await ns.exec(underProcSubsetPid([process.execPath, '--import', 'tsx', CLI_ENTRY, 'check', '--interval', '0', '--no-owners', ...args], hide), {
      cwd: REPO_ROOT,
      timeoutMs: 30_000,
      env: { ...process.env, COLUMNS: '80' },
    });
    if (r.timedOut) throw new Error(`check ${args.join(' ')} ran past 30 s\n${r.stderr}`);
    return r;
  };

  it('says the outbound connections are unknown without the range, counts the sockets it read, exits 3', async () => {
    const r = await check([]);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout).toMatch(/^Severity: UNKNOWN — The ephemeral port range could not be read, so capacity is\n {4}unknown\.$/m);
    expect(r.stdout).toContain('Ephemeral range: unknown (the range could not be read)');
    expect(r.stdout).toContain('Time to exhaustion: unknown (it rests on the ephemeral port range)');
    expect(r.stdout).toMatch(/^Outbound connections: unknown\. The ephemeral port range is unknown, and an\n {4}outbound connection is one whose local port is inside it\.$/m);
    // five connections and their five accepted ends, and the listener: read over netlink
    expect(r.stdout).toContain('States (11 sockets): ESTABLISHED 10 · LISTEN 1');
    expect(r.stdout).not.toContain('No outbound connection');
    // Without /proc/sys, an optional sysctl's absence says nothing of the kernel; nor would a longer check help.
    expect(r.stdout).not.toContain('not present on this system');
    expect(r.stdout).not.toContain('cannot show slow growth');
    expect(r.stdout.split('\n').every((l) => [...l].length <= 80)).toBe(true);

    const short = await check(['--short']);
    expect(short.stdout).toBe('UNKNOWN · outbound connections unknown (the ephemeral port range is unknown)\n');
    const json = JSON.parse((await check(['--json'])).stdout) as Sample;
    expect(json).toMatchObject({ severity: 'unknown', socketTableRead: true, totalSockets: 11, destinations: [], worst: null });
    expect(json.capacity.rangeSize).toBeNull();
  }, 90_000);

  it('says the sockets are unknown when the socket table cannot be read either (no addon, no /proc/net/tcp)', async () => {
    expect(ADDON_DIRS.length).toBeGreaterThan(0);
    const r = await check([], ADDON_DIRS);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout).toContain('Sockets: unknown. No socket source could be read (see the sources below)');
    expect(r.stdout).toContain('Time to exhaustion: unknown (it rests on the socket table)');
    expect(r.stdout).not.toMatch(/States \(|No outbound connection/);
    const json = JSON.parse((await check(['--json'], ADDON_DIRS)).stdout) as Sample;
    expect(json.socketTableRead).toBe(false);
    expect(json.sources.find((s) => s.name === 'proc-net-tcp')?.status).toBe('failed');
  }, 90_000);
});
