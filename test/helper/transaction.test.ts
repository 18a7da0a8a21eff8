// The helper's transaction against a real kernel: each test runs the bundled helper inside a fresh
// network namespace (its own /proc/sys), with a temporary directory standing in for / (etc/sysctl.d) and
// for the state directory.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { HELPER_EXIT, type HelperPlanDocument, type HelperSetting } from '../../electron/common/tuning.js';
import { describeNetns } from '../netns/describe-netns.js';
import { createNamespace, type Namespace } from '../netns/netns.js';
import { startServer } from '../netns/workloads.js';
import { createTestRoot, helperBundle, runHelperToEnd, startHelper, type TestRoot } from './helper-process.js';
import { fingerprint, leftovers, readWorld, type World } from './world.js';

const OLD: World = { range: '32768 60999', reserved: '', twReuse: '2', dropIn: null };
const NEW_VALUES = { range: '32768 65535', reserved: '40100', twReuse: '1' };

function plan(confirmTimeoutSec = 30, extra: Partial<HelperPlanDocument> = {}): HelperPlanDocument {
  return {
    kind: 'portwatch-helper-plan',
    schema: 1,
    settings: [
      { key: 'net.ipv4.ip_local_reserved_ports', ranges: [{ low: 40100, high: 40100 }] },
      { key: 'net.ipv4.ip_local_port_range', low: 32768, high: 65535 },
      { key: 'net.ipv4.tcp_tw_reuse', value: 1 },
    ],
    confirmTimeoutSec,
    ...extra,
  };
}

describeNetns('portwatch-helper transactions on a real kernel', () => {
  let ns: Namespace;
  let root: TestRoot;
  beforeEach(async () => {
    await helperBundle();
    ns = await createNamespace('helper');
    root = await createTestRoot();
  });
  afterEach(async () => {
    await ns?.destroy();
    await root?.remove();
  });

  it('applies, reads back and persists; "keep" keeps the values and the drop-in', async () => {
    expect(await readWorld(ns, root)).toEqual(OLD);
    const p = await startHelper(['apply', await root.writePlan(plan())], { ns, env: root.env });
    const waiting = await p.waitForResult((r) => r.outcome === 'awaiting-confirm', 20_000);
    expect(waiting.changes.map((c) => [c.key, c.before, c.now])).toEqual([
      ['net.ipv4.ip_local_reserved_ports', '', '40100'],
      ['net.ipv4.ip_local_port_range', '32768\t60999', '32768\t65535'],
      ['net.ipv4.tcp_tw_reuse', '2', '1'],
    ]);
    const during = await readWorld(ns, root);
    expect({ ...during, dropIn: null }).toEqual({ ...NEW_VALUES, dropIn: null });
    expect(during.dropIn).toContain('net.ipv4.ip_local_port_range = 32768 65535\n');
    p.type('keep');
    const kept = await p.waitForResult((r) => r.outcome === 'kept', 20_000);
    expect((await p.wait()).code).toBe(0);
    expect(kept.txid).toBe(waiting.txid);
    expect(await readWorld(ns, root)).toEqual(during);
    expect(await leftovers(root)).toEqual([]);
    const status = await runHelperToEnd(['status'], { ns, env: root.env });
    expect(status.last?.transaction).toBeNull();
    expect(status.last?.history[0]).toMatchObject({ txid: waiting.txid, state: 'committed' });
  });

  it('"revert" puts back the old values exactly and removes the drop-in it created', async () => {
    const p = await startHelper(['apply', await root.writePlan(plan())], { ns, env: root.env });
    await p.waitForResult((r) => r.outcome === 'awaiting-confirm', 20_000);
    p.type('revert');
    await p.waitForResult((r) => r.outcome === 'reverted', 20_000);
    await p.wait();
    expect(await readWorld(ns, root)).toEqual(OLD);
    expect(await leftovers(root)).toEqual([]);
  });

  it('reverts a kept change later with `revert TXID`, restoring the previous drop-in byte for byte', async () => {
    const previous = '# mine\nnet.ipv4.tcp_tw_reuse = 2\nvm.swappiness = 10\n';
    await writeFile(root.dropIn, previous);
    const p = await startHelper(['apply', await root.writePlan(plan())], { ns, env: root.env });
    const waiting = await p.waitForResult((r) => r.outcome === 'awaiting-confirm', 20_000);
    p.type('keep');
    await p.waitForResult((r) => r.outcome === 'kept', 20_000);
    await p.wait();
    const dropIn = await readFile(root.dropIn, 'utf8');
    // Our keys replace the line that set them; the other lines stay.
    expect(dropIn).toContain('vm.swappiness = 10');
    expect(dropIn).toContain('net.ipv4.tcp_tw_reuse = 1');
    expect(dropIn).not.toContain('tcp_tw_reuse = 2');
    const undo = await runHelperToEnd(['revert', waiting.txid!], { ns, env: root.env });
    expect(undo.code).toBe(0);
    expect(undo.last?.outcome).toBe('reverted');
    expect(await readWorld(ns, root)).toEqual({ ...OLD, dropIn: previous });
    // A second revert of the same transaction refuses: the values are no longer what it set.
    const again = await runHelperToEnd(['revert', waiting.txid!], { ns, env: root.env });
    expect(again.code).toBe(HELPER_EXIT.refused);
    expect(await readWorld(ns, root)).toEqual({ ...OLD, dropIn: previous });
  });

  it('reverts by itself when the countdown runs out, on time', async () => {
    const p = await startHelper(['apply', await root.writePlan(plan(2))], { ns, env: root.env });
    const waiting = await p.waitForResult((r) => r.outcome === 'awaiting-confirm', 20_000);
    const reverted = await p.waitForResult((r) => r.outcome === 'reverted', 10_000);
    const late = Date.now() - waiting.deadline!;
    expect(reverted.message).toMatch(/countdown ran out/);
    expect(late).toBeLessThan(1_500);
    expect(await readWorld(ns, root)).toEqual(OLD);
  });

  it('keeps counting down when its terminal hangs up (SIGHUP), and reverts at once on SIGINT', async () => {
    const p = await startHelper(['apply', await root.writePlan(plan(30))], { ns, env: root.env });
    await p.waitForResult((r) => r.outcome === 'awaiting-confirm', 20_000);
    p.kill('SIGHUP');
    await new Promise((r) => setTimeout(r, 500));
    expect((await readWorld(ns, root)).range).toBe(NEW_VALUES.range);
    p.kill('SIGINT');
    await p.waitForResult((r) => r.outcome === 'reverted', 10_000);
    expect(await readWorld(ns, root)).toEqual(OLD);
  });

  it('auto-reverts on time after the app that started it was SIGKILLed', async () => {
    // The "app": a process that starts the helper with pipes, as the unprivileged side does, then dies.
    const bundle = await helperBundle();
    const planPath = await root.writePlan(plan(3));
    const app = spawn(
      'ip',
      ['netns', 'exec', ns.name, process.execPath, '-e', APP_SCRIPT, process.execPath, bundle, planPath],
      { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...root.env }, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    app.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const deadline = Date.now() + 20_000;
    while (!out.includes('awaiting-confirm') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(out).toContain('awaiting-confirm');
    app.kill('SIGKILL');
    const journal = JSON.parse(await readFile(join(root.stateDir, 'journal.json'), 'utf8')) as { deadline: number };
    expect((await readWorld(ns, root)).range).toBe(NEW_VALUES.range);
    let world = await readWorld(ns, root);
    while (world.range !== OLD.range && Date.now() < journal.deadline + 5_000) {
      await new Promise((r) => setTimeout(r, 100));
      world = await readWorld(ns, root);
    }
    const doneAt = Date.now();
    expect(world).toEqual(OLD);
    expect(doneAt - journal.deadline).toBeLessThan(2_000);
    expect(doneAt).toBeGreaterThanOrEqual(journal.deadline);
  });

  it('applying the same plan twice writes nothing the second time', async () => {
    const planPath = await root.writePlan(plan());
    const p = await startHelper(['apply', planPath], { ns, env: root.env });
    await p.waitForResult((r) => r.outcome === 'awaiting-confirm', 20_000);
    p.type('keep');
    await p.waitForResult((r) => r.outcome === 'kept', 20_000);
    await p.wait();
    const before = await fingerprint(root.dir);
    const world = await readWorld(ns, root);
    const second = await runHelperToEnd(['apply', planPath], { ns, env: root.env });
    expect(second.code).toBe(0);
    expect(second.last?.outcome).toBe('unchanged');
    expect(await fingerprint(root.dir)).toEqual(before);
    expect(await readWorld(ns, root)).toEqual(world);
  });

  it('rolls back the first write when the kernel refuses the second', async () => {
    // The kernel refuses a range below ip_unprivileged_port_start; the test hook skips the helper's own
    // check of that rule so that the refusal comes from the kernel, after reserved ports were written.
    await ns.sysctl('net.ipv4.ip_unprivileged_port_start', 2000);
    const bad = plan(30, {
      settings: [
        { key: 'net.ipv4.ip_local_reserved_ports', ranges: [{ low: 40100, high: 40100 }] },
        { key: 'net.ipv4.ip_local_port_range', low: 1024, high: 65535 },
      ],
    });
    const r = await runHelperToEnd(['apply', await root.writePlan(bad)], { ns, env: { ...root.env, PORTWATCH_HELPER_SKIP_LIVE_CHECKS: '1' } });
    expect(r.code).toBe(HELPER_EXIT.failed);
    expect(r.last?.outcome).toBe('rolled-back');
    expect(r.last?.message).toMatch(/ip_local_port_range: the kernel refused "1024 65535" \(EINVAL\)/);
    expect(r.output).toContain('Writing net.ipv4.ip_local_reserved_ports = 40100');
    expect(r.output).toContain('Putting back net.ipv4.ip_local_reserved_ports = (empty)');
    expect(await readWorld(ns, root)).toEqual(OLD);
    expect(await leftovers(root)).toEqual([]);
    // Without the hook the helper refuses the same plan itself, before writing anything.
    const refused = await runHelperToEnd(['apply', await root.writePlan(bad)], { ns, env: root.env });
    expect(refused.code).toBe(HELPER_EXIT.refused);
    expect(refused.last?.message).toMatch(/below ip_unprivileged_port_start \(2000\)/);
  });

  it.each<[string, HelperSetting, RegExp]>([
    ['a narrower range', { key: 'net.ipv4.ip_local_port_range', low: 40000, high: 50000 }, /only widens/],
    ['a reserved list that drops a reserved port', { key: 'net.ipv4.ip_local_reserved_ports', ranges: [{ low: 9000, high: 9000 }] }, /drops reserved ports/],
    ['a range below ip_unprivileged_port_start', { key: 'net.ipv4.ip_local_port_range', low: 1024, high: 65535 }, /below ip_unprivileged_port_start \(2000\)/],
  ])('refuses %s and writes nothing', async (_name, setting, message) => {
    await ns.sysctl('net.ipv4.ip_local_reserved_ports', '8080');
    await ns.sysctl('net.ipv4.ip_unprivileged_port_start', 2000);
    const before = await readWorld(ns, root);
    const r = await runHelperToEnd(['apply', await root.writePlan(plan(30, { settings: [setting] }))], { ns, env: root.env });
    expect(r.code).toBe(HELPER_EXIT.refused);
    expect(r.last?.message).toMatch(message);
    expect(await readWorld(ns, root)).toEqual(before);
    expect(await fingerprint(root.stateDir)).toEqual(new Map());
  });

  it('refuses tcp_tw_reuse_delay on a kernel without it (a proc root lacking the file)', async () => {
    const proc = join(root.dir, 'proc');
    await mkdir(join(proc, 'sys', 'net', 'ipv4'), { recursive: true });
    for (const k of ['ip_local_port_range', 'ip_local_reserved_ports', 'tcp_tw_reuse', 'ip_unprivileged_port_start']) {
      await writeFile(join(proc, 'sys', 'net', 'ipv4', k), `${await ns.readSysctl(`net.ipv4.${k}`)}\n`);
    }
    const before = await fingerprint(root.dir);
    const setting = { key: 'net.ipv4.tcp_tw_reuse_delay', value: 500 } as const;
    const planPath = await root.writePlan(plan(30, { settings: [setting] }));
    const r = await runHelperToEnd(['apply', planPath], { env: { ...root.env, PORTWATCH_HELPER_PROC: proc } });
    expect(r.code).toBe(HELPER_EXIT.refused);
    expect(r.last?.message).toMatch(/net.ipv4.tcp_tw_reuse_delay does not exist on this kernel/);
    const after = await fingerprint(root.dir);
    after.delete(planPath);
    after.delete(`${join(root.dir, 'plans')}/`);
    before.delete(`${join(root.dir, 'plans')}/`);
    expect(after).toEqual(before);
  });

  it('lets the range start below 32768 only when every listening port inside is reserved in the same plan', async () => {
    await startServer(ns, ['127.0.0.1:20000']);
    const widen = { key: 'net.ipv4.ip_local_port_range', low: 20000, high: 65535 } as const;
    const refused = await runHelperToEnd(['apply', await root.writePlan(plan(30, { settings: [widen] }))], { ns, env: root.env });
    expect(refused.code).toBe(HELPER_EXIT.refused);
    expect(refused.last?.message).toMatch(/not reserved: 20000/);
    expect(await readWorld(ns, root)).toEqual(OLD);
    const withReserve = plan(30, { settings: [{ key: 'net.ipv4.ip_local_reserved_ports', ranges: [{ low: 20000, high: 20000 }] }, widen] });
    const p = await startHelper(['apply', await root.writePlan(withReserve)], { ns, env: root.env });
    await p.waitForResult((r) => r.outcome === 'awaiting-confirm', 20_000);
    expect(await ns.readSysctl('net.ipv4.ip_local_reserved_ports')).toBe('20000');
    p.type('revert');
    await p.waitForResult((r) => r.outcome === 'reverted', 20_000);
    expect(await readWorld(ns, root)).toEqual(OLD);
  });

  it('reports a file that overrides the drop-in at boot', async () => {
    await writeFile(join(root.configRoot, 'etc', 'sysctl.d', '99-local.conf'), 'net.ipv4.ip_local_port_range = 10000 65000\n');
    const p = await startHelper(['apply', await root.writePlan(plan())], { ns, env: root.env });
    const waiting = await p.waitForResult((r) => r.outcome === 'awaiting-confirm', 20_000);
    expect(waiting.overrides).toEqual([
      { key: 'net.ipv4.ip_local_port_range', path: '/etc/sysctl.d/99-local.conf', line: 1, value: '10000 65000', readers: ['systemd-sysctl', 'procps'] },
    ]);
    p.type('revert');
    await p.waitForResult((r) => r.outcome === 'reverted', 20_000);
  });

  it('refuses a second apply while a change awaits keep or revert', async () => {
    const p = await startHelper(['apply', await root.writePlan(plan())], { ns, env: root.env });
    const waiting = await p.waitForResult((r) => r.outcome === 'awaiting-confirm', 20_000);
    const second = await runHelperToEnd(['apply', await root.writePlan(plan(30, { settings: [{ key: 'net.ipv4.tcp_tw_reuse', value: 2 }] }))], { ns, env: root.env });
    expect(second.code).toBe(HELPER_EXIT.refused);
    expect(second.last?.message).toContain(waiting.txid!);
    const confirm = await runHelperToEnd(['confirm', waiting.txid!], { ns, env: root.env });
    expect(confirm.last?.outcome).toBe('kept');
    // The waiting helper notices the confirmation made by the other invocation and ends.
    const observed = await p.waitForResult((r) => r.outcome === 'kept' && r.verb === 'apply', 10_000);
    expect(observed.txid).toBe(waiting.txid);
    expect((await p.wait()).code).toBe(0);
    expect((await readdir(join(root.stateDir, 'history'))).length).toBe(1);
  });
});

// Started as `node -e APP_SCRIPT NODE HELPER PLAN`: spawns the helper with pipes like the app does, echoes
// its output, and never exits by itself.
const APP_SCRIPT = `
const { spawn } = require('node:child_process');
const [node, helper, plan] = process.argv.slice(1);
const child = spawn(node, [helper, 'apply', plan], { stdio: ['pipe', 'pipe', 'inherit'] });
child.stdout.on('data', (d) => process.stdout.write(d));
setInterval(() => {}, 1000);
`;
