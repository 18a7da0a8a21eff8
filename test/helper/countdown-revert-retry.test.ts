// The revert at the end of a countdown, when it fails: nobody may be watching (the app was killed), so the
// helper that holds the countdown tries again, and when it finally gives up the journal still lets
// `recover` finish the job. In-process, against a proc root of plain files whose writes a test store can
// refuse, like a kernel answering EBUSY.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HELPER_EXIT, type HelperResult, type TunableKey } from '../../electron/common/tuning.js';
import { helperConfigFromEnv, type HelperPaths } from '../../electron/helper/helper-config.js';
import { Journal } from '../../electron/helper/journal.js';
import { createLinuxStore } from '../../electron/helper/linux-store.js';
import { runHelper } from '../../electron/helper/portwatch-helper.js';
import type { SettingsStore } from '../../electron/helper/settings-store.js';
import { applyPlan, recover, type HelperContext } from '../../electron/helper/transaction.js';
import { createTestRoot, type TestRoot } from './helper-process.js';

const RANGE = 'net.ipv4.ip_local_port_range';
const canRun = process.getuid?.() === 0;

/** A Linux store whose writes of the range fail while `refuse(n)` says so (n counts every write of it). */
function refusingStore(paths: HelperPaths, refuse: (n: number) => boolean): SettingsStore {
  const real = createLinuxStore(paths);
  let n = 0;
  return {
    ...real,
    persistence: real.persistence,
    read: (k) => real.read(k),
    checkAgainstLive: (d, l) => real.checkAgainstLive(d, l),
    detectOverrides: (k, a) => real.detectOverrides(k, a),
    async write(key: TunableKey, text: string) {
      if (key === RANGE && refuse(++n)) throw new Error('write error: EBUSY (refused by the test)');
      return real.write(key, text);
    },
  };
}

describe.skipIf(!canRun)('a revert at the deadline that fails (in-process, a proc root of plain files)', () => {
  let root: TestRoot;
  let proc: string;
  let env: Record<string, string>;
  let lines: string[];
  let results: HelperResult[];
  const range = async (): Promise<string> => (await readFile(join(proc, 'sys/net/ipv4/ip_local_port_range'), 'utf8')).trim();

  beforeEach(async () => {
    root = await createTestRoot();
    proc = join(root.dir, 'proc');
    await mkdir(join(proc, 'sys', 'net', 'ipv4'), { recursive: true });
    for (const k of ['ip_local_reserved_ports', 'tcp_tw_reuse', 'ip_unprivileged_port_start']) await cp(`/proc/sys/net/ipv4/${k}`, join(proc, 'sys/net/ipv4', k));
    await writeFile(join(proc, 'sys/net/ipv4/ip_local_port_range'), '40000\t40049\n');
    env = { ...root.env, PORTWATCH_HELPER_PROC: proc };
    lines = [];
    results = [];
  });
  afterEach(async () => {
    await root?.remove();
  });

  const plan = () => root.writePlan({ kind: 'portwatch-helper-plan', schema: 1, settings: [{ key: RANGE, low: 32768, high: 65535 }], confirmTimeoutSec: 1 });
  const io = () => ({ out: { say: (l: string) => lines.push(l), result: (r: HelperResult) => results.push(r), alive: true }, stdin: null, euid: 0, signals: new EventEmitter() });

  it('is tried again until the old values are back', async () => {
    // Write 1 applies; writes 2 and 3 (the revert) are refused; write 4 succeeds.
    const code = await runHelper(['apply', await plan()], env, io(), { platform: 'linux', store: (p) => refusingStore(p, (n) => n === 2 || n === 3), revertRetryMs: [50, 50, 50] });
    expect(code).toBe(HELPER_EXIT.ok);
    expect(results.map((r) => r.outcome)).toEqual(['awaiting-confirm', 'reverted']);
    expect(await range()).toBe('40000\t40049');
    expect(lines.filter((l) => l.includes('tried again'))).toHaveLength(2);
    expect(lines.join('\n')).toContain('EBUSY (refused by the test)');
    expect(await new Journal(root.stateDir).readActive()).toBeNull();
  });

  it('gives up after its retries, saying so, and leaves the journal for recover, which puts the old values back', async () => {
    const code = await runHelper(['apply', await plan()], env, io(), { platform: 'linux', store: (p) => refusingStore(p, (n) => n > 1), revertRetryMs: [20, 20] });
    expect(code).toBe(HELPER_EXIT.needsRecover);
    expect(results.at(-1)).toMatchObject({ outcome: 'failed' });
    expect(lines.filter((l) => l.includes('tried again'))).toHaveLength(2);
    expect(await range()).toBe('32768\t65535');
    // The journal keeps the transaction, mid-revert: the next helper run (here `recover`) finishes it.
    expect((await new Journal(root.stateDir).readActive())?.state).toBe('rolling-back');
    const again = await runHelper(['recover'], env, io(), { platform: 'linux' });
    expect(again).toBe(HELPER_EXIT.ok);
    expect(results.at(-1)).toMatchObject({ outcome: 'recovered' });
    expect(await range()).toBe('40000\t40049');
  });

  it('stops retrying when `recover`, run meanwhile, has put the old values back, and says who did', async () => {
    const out = io();
    const holder = runHelper(['apply', await plan()], env, out, { platform: 'linux', store: (p) => refusingStore(p, (n) => n > 1), revertRetryMs: [300, 300, 300, 300, 300, 300] });
    for (let i = 0; i < 200 && !lines.some((l) => l.includes('tried again')); i++) await new Promise((r) => setTimeout(r, 25));
    expect(lines.some((l) => l.includes('tried again'))).toBe(true);
    // Someone runs `portwatch-helper recover` (here in-process, with a store that works).
    const byHand: HelperResult[] = [];
    expect(await runHelper(['recover'], env, { ...io(), out: { say: () => {}, result: (r) => byHand.push(r), alive: true } }, { platform: 'linux' })).toBe(HELPER_EXIT.ok);
    expect(byHand.at(-1)?.outcome).toBe('recovered');
    expect(await holder).toBe(HELPER_EXIT.ok);
    expect(results.at(-1)).toMatchObject({ outcome: 'reverted', message: expect.stringContaining('by another helper invocation') });
    expect(lines.filter((l) => l.includes('tried again')).length).toBeLessThan(6);
    expect(await range()).toBe('40000\t40049');
  });

  it('recover called by the countdown holder itself (its last resort) reverts instead of waiting on its own countdown', async () => {
    const config = helperConfigFromEnv(env, 'linux');
    if (!config.ok) throw new Error(config.error);
    const ctx: HelperContext = { paths: config.paths, store: createLinuxStore(config.paths), hooks: config.hooks, invokingUid: null, checkpoint: () => {}, say: (l) => lines.push(l), now: () => Date.now() };
    const applied = await applyPlan(ctx, await root.writePlan({ kind: 'portwatch-helper-plan', schema: 1, settings: [{ key: RANGE, low: 32768, high: 65535 }], confirmTimeoutSec: 600 }));
    expect(applied.result.outcome).toBe('awaiting-confirm');
    // This process holds the countdown (10 minutes left). Before, recover answered "awaits keep or revert
    // (held by pid <itself>)" and the holder ended with the change still live.
    const r = await recover(ctx);
    expect(r.result.outcome).toBe('recovered');
    expect(await range()).toBe('40000\t40049');
  });
});
