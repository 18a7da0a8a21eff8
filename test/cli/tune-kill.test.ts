// The helper's kill points driven from outside, the way a user meets them: `portwatch tune --apply` runs
// inside a namespace with the helper told (test hook PORTWATCH_HELPER_KILL_AT) to SIGKILL itself at one
// step of apply; the CLI says so without a stack trace, and `portwatch tune --recover` leaves the
// namespace fully old (live values, drop-in, no journal or temporary file). Through the CLI: the step
// from the journal write through the read-back and the persisted drop-in to the countdown (each costs two CLI starts);
// test/helper/checkpoints.test.ts kills the helper itself at every step of every path. And a helper killed while its countdown is still pending (deadline
// minutes away): `tune --status` calls it interrupted and `tune --recover` puts the old values back at once.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as pty from 'node-pty';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { APPLY_STEPS } from '../../electron/helper/checkpoints.js';

// Every apply step this plan reaches (it writes the range alone, so live-write-2/3 never come; 'locked' is
// before anything is written, with nothing to recover).
const CLI_STEPS = ['journal-written', 'live-write-1', 'read-back', 'persist-temp-written', 'persist-renamed', 'awaiting-confirm'] as const;
import { describeNetns } from '../netns/describe-netns.js';
import { createNamespace, killIfAlive, type Namespace } from '../netns/netns.js';
import { CLI_ENTRY, REPO_ROOT } from '../netns/portwatch-cli.js';
import { connectHold, startServer } from '../netns/workloads.js';
import { createTestRoot, type TestRoot } from '../helper/helper-process.js';
import { leftovers, readWorld, resetWorld, type World } from '../helper/world.js';

describeNetns('portwatch tune with the helper killed', () => {
  let ns: Namespace;
  let root: TestRoot;
  let old: World;

  const env = (extra: Record<string, string> = {}) => ({ PATH: process.env.PATH ?? '/usr/bin:/bin', ...root.env, ...extra });
  const tune = (args: string[], extra: Record<string, string> = {}) =>
    ns.exec([process.execPath, '--import', 'tsx', CLI_ENTRY, 'tune', ...args], { cwd: REPO_ROOT, env: env(extra), timeoutMs: 60_000 });
  const planArgs = ['--assume-host', '--interval', '0'];
  // Held connections that fill the 10-port range, so there is a plan to apply (held for a minute at most).
  const exhaust = () => connectHold(ns, '127.0.0.1:8080', 12, 60_000);

  beforeAll(async () => {
    ns = await createNamespace('tunekill');
    root = await createTestRoot();
    await ns.sysctl('net.ipv4.ip_local_port_range', '40000 40009');
    await startServer(ns, ['127.0.0.1:8080']);
    await exhaust();
    old = await readWorld(ns, root);
  }, 120_000);
  afterAll(async () => {
    await ns?.destroy();
    await root?.remove();
  });

  it.each(CLI_STEPS.map((s) => [s]))('apply killed at %s, then tune --recover: fully old', async (step) => {
    expect(APPLY_STEPS).toContain(step);
    await resetWorld(ns, root, old);
    await exhaust();
    const applied = await tune([...planArgs, '--apply', '--yes', '--confirm-timeout', '300'], { PORTWATCH_HELPER_KILL_AT: step });
    expect(applied.code, applied.stdout + applied.stderr).not.toBe(0);
    expect(applied.stderr).toMatch(/the helper ended \(signal 9\) without a final result\. .*portwatch tune --recover/);
    expect(applied.stderr).not.toMatch(/\n\s+at /); // no stack trace
    const recovered = await tune(['--recover']);
    expect(recovered.code, recovered.stdout + recovered.stderr).toBe(0);
    expect(recovered.stdout).toMatch(/the old values are back/);
    expect(await readWorld(ns, root)).toEqual(old);
    expect(await leftovers(root)).toEqual([]);
  }, 120_000);

  it('a helper killed with its countdown still pending: --status says interrupted, --recover puts the old values back before the deadline', async () => {
    await resetWorld(ns, root, old);
    await exhaust();
    let output = '';
    const p = pty.spawn('ip', ['netns', 'exec', ns.name, process.execPath, '--import', 'tsx', CLI_ENTRY, 'tune', ...planArgs, '--apply', '--confirm-timeout', '600'], { cwd: REPO_ROOT, env: env(), cols: 160, rows: 50 });
    p.onData((d) => (output += d));
    const exited = new Promise<number>((resolve) => p.onExit(({ exitCode }) => resolve(exitCode)));
    const end = Date.now() + 60_000;
    while (!/Type keep \(Enter\)/.test(output) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    expect(output).toMatch(/Type keep \(Enter\)/);
    const journal = JSON.parse(await readFile(join(root.stateDir, 'journal.json'), 'utf8')) as { deadline: number; holder: { pid: number }; state: string };
    expect(journal.state).toBe('awaiting-confirm');
    expect((await readWorld(ns, root)).range).not.toBe(old.range);
    // Kill the helper that holds the countdown, then the app.
    process.kill(journal.holder.pid, 'SIGKILL');
    process.kill(p.pid, 'SIGKILL');
    for (const pid of await ns.pids()) killIfAlive(pid); // the helper and the app may be gone already
    await exited;
    expect((await readWorld(ns, root)).range).not.toBe(old.range); // nobody reverted yet

    const status = await tune(['--status', '--json']);
    expect(JSON.parse(status.stdout)).toMatchObject({ outcome: 'status', message: expect.stringMatching(/was interrupted \(awaiting-confirm\): run recover/) });
    const recovered = await tune(['--recover']);
    expect(recovered.code, recovered.stdout + recovered.stderr).toBe(0);
    expect(recovered.stdout).toMatch(/the old values are back/);
    expect(Date.now()).toBeLessThan(journal.deadline); // the countdown had not run out: recover acted, not the timer
    expect(await readWorld(ns, root)).toEqual(old);
    expect(await leftovers(root)).toEqual([]);
  }, 120_000);
});
