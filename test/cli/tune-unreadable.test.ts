// `tune` when the socket table cannot be read, for real: a namespace with a service listening at 62000,
// just above the default range, and tune run with /proc/net emptied and the sock_diag addon hidden (the
// range and every sysctl still readable). Which ports services listen on is then unknown, and a wider
// range could hand 62000 to an outgoing connection: no wider range is proposed, forced or asked, and the
// figures it rests on are called ceilings. The same plan with the table readable reserves 62000 first.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TuningPlan } from '../../electron/common/tuning.js';
import { describeNetns } from '../netns/describe-netns.js';
import { ADDON_DIRS, withoutProcNet } from '../netns/hardened-proc.js';
import { createNamespace, type Namespace } from '../netns/netns.js';
import { CLI_ENTRY, REPO_ROOT } from '../netns/portwatch-cli.js';
import { startServer } from '../netns/workloads.js';

const HELD_UNKNOWN = /ports services listen on are unknown: no wider range is proposed/;

describeNetns('tune without the socket table (listeners unknown)', () => {
  let ns: Namespace;

  beforeAll(async () => {
    ns = await createNamespace('tuneunread');
    await ns.sysctl('net.ipv4.ip_local_port_range', '32768 60999');
    await ns.sysctl('net.ipv4.ip_local_reserved_ports', '');
    await startServer(ns, ['127.0.0.1:62000']);
  }, 60_000);
  afterAll(async () => ns?.destroy(), 30_000);

  const tune = async (args: readonly string[], unread: boolean) => {
    const argv = [process.execPath, '--import', 'tsx', CLI_ENTRY, 'tune', '--assume-host', '--interval', '0', ...args];
    const r = await ns.exec(unread ? withoutProcNet(argv, ADDON_DIRS) : argv, { cwd: REPO_ROOT, timeoutMs: 30_000, env: { ...process.env, COLUMNS: '80' } });
    if (r.timedOut) throw new Error(`tune ${args.join(' ')} ran past 30 s\n${r.stderr}`);
    return r;
  };
  const planOf = async (args: readonly string[], unread: boolean) => {
    const r = await tune([...args, '--json'], unread);
    return { plan: JSON.parse(r.stdout) as TuningPlan, code: r.code, stderr: r.stderr };
  };
  const plan = async (args: readonly string[], unread: boolean): Promise<TuningPlan> => {
    const { plan, code, stderr } = await planOf(args, unread);
    expect([code, stderr]).toEqual([0, '']);
    return plan;
  };
  const keys = (p: TuningPlan) => p.kernel.map((s) => s.key);

  it('with the table: the forced plan reserves the listener at 62000 before widening over it (the pattern matters)', async () => {
    const p = await plan(['--force'], false);
    expect(keys(p)).toEqual(['net.ipv4.ip_local_reserved_ports', 'net.ipv4.ip_local_port_range']);
    expect(p.kernel[0]!.proposed).toBe('62000');
    expect(p.whatIf.before.capacity).toMatchObject({ rangeSize: 28232, heldByListeners: 0, usable: 28232 });
  }, 60_000);

  it('without it: no wider range, forced or asked, and says why; the usable ports are a ceiling', async () => {
    expect(ADDON_DIRS.length).toBeGreaterThan(0);
    const forced = await plan(['--force'], true);
    expect(keys(forced)).not.toContain('net.ipv4.ip_local_port_range');
    expect(forced.notProposed.join('\n')).toMatch(HELD_UNKNOWN);
    expect(forced.whatIf.before.capacity).toMatchObject({ rangeSize: 28232, heldByListeners: null, usable: 28232 });

    // An explicit range it cannot plan is an unmet request: said, and not exit 0.
    const asked = await planOf(['--range', '32768-65535'], true);
    expect(keys(asked.plan)).not.toContain('net.ipv4.ip_local_port_range');
    expect(asked.plan.notProposed.join('\n')).toMatch(HELD_UNKNOWN);
    expect(asked.stderr).toMatch(/--range 32768-65535 cannot be planned here: No socket table could be read .* ports services listen on are unknown/);
    expect(asked.code).not.toBe(0);

    const text = await tune(['--force'], true);
    expect(text.stdout).toMatch(/^What is happening: unknown — No socket source could be read/);
    expect(text.stdout).toMatch(/No socket table could be read \(see the sources\), so the ports services\n +listen on are unknown: no wider range is proposed/);
    expect(text.stdout).toMatch(/^Now: at most 28,232 usable ports per destination \(the ports listening sockets\nhold are unknown without the socket table\)/m);
    expect(text.stdout.split('\n').every((l) => [...l].length <= 80)).toBe(true);
  }, 90_000);
});
