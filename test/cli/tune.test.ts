// `portwatch tune` end to end on a real kernel: the CLI runs inside a network namespace the way a user runs
// it on a machine (from source through tsx), the helper it starts writes that namespace's /proc/sys, and a
// temporary directory stands in for / (etc/sysctl.d) and for the helper's state directory.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readdir, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import * as pty from 'node-pty';
import { runTune } from '../../electron/cli/tune.js';
import { describeNetns } from '../netns/describe-netns.js';
import { createNamespace, killIfAlive, type Namespace } from '../netns/netns.js';
import { CLI_ENTRY, REPO_ROOT } from '../netns/portwatch-cli.js';
import { connectHold, startServer } from '../netns/workloads.js';
import { createTestRoot, type TestRoot } from '../helper/helper-process.js';
import { fingerprint } from '../helper/world.js';

function sink(): Writable & { text: string } {
  const w = new Writable({
    write(chunk, _enc, cb) {
      w.text += String(chunk);
      cb();
    },
  }) as Writable & { text: string };
  w.text = '';
  return w;
}

describe('portwatch tune arguments', () => {
  it.each([
    [['--bogus'], /Unknown option '--bogus'/],
    [['--apply', '--status'], /--apply and --status cannot be combined/],
    [['--dry-run', '--revert', '20261124T101500Z-a1b2c3'], /--dry-run and --revert cannot be combined/],
    [['--yes'], /--yes only goes with --apply/],
    [['--status', '--range', '32768-65535'], /--range only applies to a plan, not to --status/],
    [['--recover', '--force'], /--force only applies to a plan, not to --recover/],
    [['--revert', 'yesterday'], /--revert needs a transaction id .* got "yesterday"/],
    [['--confirm', '20261124T101500Z-A1B2C3'], /--confirm needs a transaction id/],
    [['--range', '65535-32768'], /--range must look like 32768-65535 .* got "65535-32768"/],
    [['--range', '0-100'], /--range must look like/],
    [['--range', '32768..65535'], /--range must look like/],
    [['--range', '-1'], /--range/],
    [['--reserve', '80,abc'], /--reserve must be ports and ranges such as 8080,9000-9010, got "80,abc"/],
    [['--reserve', ''], /--reserve must be ports/],
    [['--reserve', '0'], /port 0 cannot be reserved/],
    [['--reserve', '1000-9000'], /at most 4096/],
    [['--confirm-timeout', '0'], /--confirm-timeout must be a whole number from 1 to 3600, got "0"/],
    [['--confirm-timeout', '1.5'], /--confirm-timeout must be a whole number/],
    [['--interval', 'soon'], /--interval must be a number of seconds from 0 to 60/],
    [['--apply'], /--apply asks whether to keep the change, which needs a terminal: add --yes/],
    [['extra'], /Unexpected argument 'extra'/],
  ])('refuses %j, naming the culprit', async (args, why) => {
    const out = sink();
    const err = sink();
    const code = await runTune(args, { stdout: out, stderr: err });
    expect(code).toBe(64);
    expect(err.text).toMatch(why);
    expect(out.text).toBe('');
  });

  it('prints its help', async () => {
    const out = sink();
    expect(await runTune(['--help'], { stdout: out, stderr: sink() })).toBe(0);
    expect(out.text).toMatch(/--dry-run +print the plan[^]*change nothing/);
  });
});

describeNetns('portwatch tune on a real kernel', () => {
  let ns: Namespace;
  let root: TestRoot;
  beforeEach(async () => {
    ns = await createNamespace('tune');
    root = await createTestRoot();
    await ns.sysctl('net.ipv4.ip_local_port_range', '40000 40009');
  });
  afterEach(async () => {
    await ns?.destroy();
    await root?.remove();
  });

  const env = () => ({ PATH: process.env.PATH ?? '/usr/bin:/bin', ...root.env });
  const tune = (args: string[], timeoutMs = 60_000) =>
    ns.exec([process.execPath, '--import', 'tsx', CLI_ENTRY, 'tune', '--assume-host', '--interval', '0', ...args], { cwd: REPO_ROOT, env: env(), timeoutMs });
  const tuneVerb = (args: string[]) => ns.exec([process.execPath, '--import', 'tsx', CLI_ENTRY, 'tune', ...args], { cwd: REPO_ROOT, env: env(), timeoutMs: 60_000 });

  /** The CLI in a real terminal (node-pty), as a person runs it. */
  function tuneInTerminal(args: string[]): { p: pty.IPty; output: () => string; exited: Promise<number> } {
    let output = '';
    const p = pty.spawn('ip', ['netns', 'exec', ns.name, process.execPath, '--import', 'tsx', CLI_ENTRY, 'tune', '--assume-host', '--interval', '0', ...args], {
      cwd: REPO_ROOT,
      env: env(),
      cols: 160,
      rows: 50,
    });
    p.onData((d) => (output += d));
    const exited = new Promise<number>((resolve) => p.onExit(({ exitCode }) => resolve(exitCode)));
    return { p, output: () => output, exited };
  }

  async function waitFor(what: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!what()) {
      if (Date.now() > end) throw new Error(`timed out: ${describe()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('an exhausted client recovers after the plan is applied; --revert restores the old values exactly', async () => {
    await startServer(ns, ['127.0.0.1:8080']);
    const before = { range: await ns.readSysctl('net.ipv4.ip_local_port_range'), reserved: await ns.readSysctl('net.ipv4.ip_local_reserved_ports'), twReuse: await ns.readSysctl('net.ipv4.tcp_tw_reuse') };
    const exhausted = await connectHold(ns, '127.0.0.1:8080', 15);
    expect(exhausted.connected).toBe(10);
    expect(exhausted.codes).toEqual({ EADDRNOTAVAIL: 5 });

    const applied = await tune(['--apply', '--yes', '--confirm-timeout', '30']);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(applied.stdout).toMatch(/Widen the ephemeral range from 40000–40009 to 32768–65535/);
    expect(applied.stdout).toMatch(/ok {2}net.ipv4.ip_local_port_range = 32768 65535/);
    expect(applied.stdout).toMatch(/is kept/);
    expect(await ns.readSysctl('net.ipv4.ip_local_port_range')).toBe('32768 65535');
    expect(await readFile(root.dropIn, 'utf8')).toContain('net.ipv4.ip_local_port_range = 32768 65535\n');

    const more = await connectHold(ns, '127.0.0.1:8080', 20);
    expect(more.connected).toBe(20);
    expect(more.failed).toBe(0);

    const [txid] = (await readdir(join(root.stateDir, 'history'))).map((n) => n.replace(/\.json$/, ''));
    const reverted = await tuneVerb(['--revert', txid!]);
    expect(reverted.code, reverted.stdout + reverted.stderr).toBe(0);
    expect(reverted.stdout).toMatch(/is reverted/);
    expect({ range: await ns.readSysctl('net.ipv4.ip_local_port_range'), reserved: await ns.readSysctl('net.ipv4.ip_local_reserved_ports'), twReuse: await ns.readSysctl('net.ipv4.tcp_tw_reuse') }).toEqual(before);
    await expect(readFile(root.dropIn, 'utf8')).rejects.toThrow(/ENOENT/);
    const status = await tuneVerb(['--status', '--json']);
    expect(JSON.parse(status.stdout)).toMatchObject({ outcome: 'status', transaction: null });
  });

  it('--dry-run prints the plan and the exact command and changes nothing', async () => {
    await startServer(ns, ['127.0.0.1:8080']);
    await connectHold(ns, '127.0.0.1:8080', 12);
    const before = await fingerprint(root.dir);
    const r = await tune(['--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Dry run: nothing was changed/);
    expect(r.stdout).toMatch(new RegExp(`\\$ ${process.execPath.replace(/[/.]/g, '\\$&')} --import file:///.*/electron/helper/portwatch-helper.ts apply /tmp/portwatch-plan-XXXXXX/plan.json`));
    expect(r.stdout).toMatch(/\/proc\/sys\/net\/ipv4\/ip_local_port_range ← "32768\\t65535"/);
    expect(await ns.readSysctl('net.ipv4.ip_local_port_range')).toBe('40000 40009');
    expect(await fingerprint(root.dir)).toEqual(before);
  });

  it('in a terminal: shows the helper, and "keep" typed there keeps the values', async () => {
    await startServer(ns, ['127.0.0.1:8080']);
    await connectHold(ns, '127.0.0.1:8080', 12);
    const t = tuneInTerminal(['--apply', '--confirm-timeout', '30']);
    await waitFor(() => /Type keep \(Enter\)/.test(t.output()), 60_000, t.output);
    expect(t.output()).toMatch(/portwatch-helper: Writing net.ipv4.ip_local_port_range = 32768 65535/);
    expect(t.output()).not.toMatch(/PORTWATCH-HELPER-RESULT/);
    t.p.write('keep\r');
    expect(await t.exited).toBe(0);
    expect(t.output()).toMatch(/is kept/);
    expect(await ns.readSysctl('net.ipv4.ip_local_port_range')).toBe('32768 65535');
  });

  it('auto-reverts on time when the app (the CLI) is killed during the countdown', async () => {
    await startServer(ns, ['127.0.0.1:8080']);
    await connectHold(ns, '127.0.0.1:8080', 12);
    const t = tuneInTerminal(['--apply', '--confirm-timeout', '4']);
    await waitFor(() => /Type keep \(Enter\)/.test(t.output()), 60_000, t.output);
    const journal = JSON.parse(await readFile(join(root.stateDir, 'journal.json'), 'utf8')) as { txid: string; deadline: number; holder: { pid: number } };
    expect(await ns.readSysctl('net.ipv4.ip_local_port_range')).toBe('32768 65535');
    // Kill the app and its terminal: only the privileged helper is left, holding the countdown.
    process.kill(t.p.pid, 'SIGKILL');
    for (const pid of await ns.pids()) if (pid !== journal.holder.pid) killIfAlive(pid);
    await t.exited;
    let range = await ns.readSysctl('net.ipv4.ip_local_port_range');
    while (range !== '40000 40009' && Date.now() < journal.deadline + 5_000) {
      await new Promise((r) => setTimeout(r, 100));
      range = await ns.readSysctl('net.ipv4.ip_local_port_range');
    }
    const at = Date.now();
    expect(range).toBe('40000 40009');
    expect(at).toBeGreaterThanOrEqual(journal.deadline);
    // On time by the helper's own record of when the revert was done, so the test's polling (a process
    // per read, on a loaded machine) does not count.
    const finished = join(root.stateDir, 'history', `${journal.txid}.json`);
    await waitFor(() => existsSync(finished), 10_000, () => `${finished} not written after the revert`);
    const done = JSON.parse(await readFile(finished, 'utf8')) as { state: string; reason: string; updatedAt: number };
    expect(done).toMatchObject({ state: 'rolled-back', reason: 'the countdown ran out' });
    expect(done.updatedAt).toBeGreaterThanOrEqual(journal.deadline);
    expect(done.updatedAt - journal.deadline).toBeLessThan(2_000);
    // The live value is put back first and the drop-in removed after it (CI once read the file
    // between the two): the revert is whole within moments, not at the same instant.
    await waitFor(() => !existsSync(root.dropIn), 10_000, () => `${root.dropIn} still exists after the revert`);
    await expect(readFile(root.dropIn, 'utf8')).rejects.toThrow(/ENOENT/);
  });
});
