// The API the wizard drives, against the real helper (bundled, run as root directly) writing a proc root
// made of plain files: plan → review → apply → verify → keep or revert, with the terminal stream.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { planTuning } from '../../../electron/node/tuning/plan.js';
import { TuningClient } from '../../../electron/node/tuning/tuning-client.js';
import { createTestRoot, helperBundle, type TestRoot } from '../../helper/helper-process.js';
import { input } from './plan-fixtures.js';

const canRunAsRoot = process.getuid?.() === 0;

describe.skipIf(!canRunAsRoot)('the tuning client (helper run directly as root, proc root of plain files)', () => {
  let root: TestRoot;
  let proc: string;
  let client: TuningClient;
  const sysctl = (k: string) => join(proc, 'sys', 'net', 'ipv4', k);

  beforeEach(async () => {
    root = await createTestRoot();
    proc = join(root.dir, 'proc');
    await mkdir(join(proc, 'sys', 'net', 'ipv4'), { recursive: true });
    await writeFile(sysctl('ip_local_port_range'), '32768\t60999\n');
    await writeFile(sysctl('ip_local_reserved_ports'), '\n');
    await writeFile(sysctl('tcp_tw_reuse'), '2\n');
    await writeFile(sysctl('ip_unprivileged_port_start'), '1024\n');
    client = TuningClient.create({
      elevation: { method: 'direct', prefix: [process.execPath, await helperBundle()] },
      helperEnv: { ...root.env, PORTWATCH_HELPER_PROC: proc },
      proc,
      terminal: { cols: 90, rows: 20 },
    });
  });
  afterEach(async () => {
    await root?.remove();
  });

  it('plan → review → apply → verify → keep, with the terminal stream for an embedded terminal', async () => {
    const plan = planTuning(input());
    const review = client.review(plan);
    expect(review.commands[0]!.argv.slice(-2)).toEqual(['apply', '/tmp/portwatch-plan-XXXXXX/plan.json']);
    const a = await client.apply(plan);
    expect(a.session.argv.slice(0, -1)).toEqual(review.commands[0]!.argv.slice(0, -1));
    expect(a.session.transport).toBe('pty');
    let streamed = '';
    a.session.onData((d) => (streamed += d));
    a.session.resize(120, 40);
    const applied = await a.applied;
    expect(applied.outcome).toBe('awaiting-confirm');
    expect(await a.verify()).toEqual({
      ok: true,
      settings: [
        { key: 'net.ipv4.ip_local_port_range', wanted: '32768\t65535', now: '32768\t65535', ok: true },
        { key: 'net.ipv4.tcp_tw_reuse', wanted: '1', now: '1', ok: true },
      ],
    });
    const kept = await a.keep();
    expect(kept.outcome).toBe('kept');
    expect(streamed).toMatch(/Writing net.ipv4.ip_local_port_range = 32768 65535/);
    expect(await readFile(sysctl('tcp_tw_reuse'), 'utf8')).toBe('1\n');
    // The plan file is removed once the helper has finished.
    await expect(access(a.planFile)).rejects.toThrow(/ENOENT/);
    const live = await client.readLive();
    expect(live['net.ipv4.ip_local_port_range']).toBe('32768\t65535');
  });

  it('revert puts the values back; status and recover report through the same sessions', async () => {
    const a = await client.apply(planTuning(input()));
    await a.applied;
    expect((await a.revert()).outcome).toBe('reverted');
    expect(await readFile(sysctl('ip_local_port_range'), 'utf8')).toBe('32768\t60999\n');
    const status = await client.status();
    expect((await status.exited).result).toMatchObject({ outcome: 'status', transaction: null, history: [{ state: 'rolled-back' }] });
    const recover = await client.recover();
    expect((await recover.exited).result?.outcome).toBe('nothing-to-recover');
  });

  it('reports a plan the helper refuses without a countdown', async () => {
    await writeFile(sysctl('ip_local_reserved_ports'), '62000\n');
    const plan = planTuning(input());
    // Pretend the planner saw no reserved port: its list would drop 62000, which the helper refuses.
    plan.helperPlan!.settings.unshift({ key: 'net.ipv4.ip_local_reserved_ports', ranges: [{ low: 61000, high: 61000 }] });
    const a = await client.apply(plan);
    expect((await a.applied).outcome).toBe('refused');
    expect((await a.finished).message).toMatch(/drops reserved ports/);
    expect(await readFile(sysctl('ip_local_port_range'), 'utf8')).toBe('32768\t60999\n');
  });
});
