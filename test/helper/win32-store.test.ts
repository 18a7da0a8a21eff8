// The helper's transaction with the Windows store, in-process: the real transaction and journal in a
// temporary directory, and fake netsh/reg (the command runner, the only fake) that record every argv and
// answer in the captured layouts of test/fixtures/win32, in English, German or French.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HELPER_EXIT, type HelperPlanDocument, type HelperSetting } from '../../electron/common/tuning.js';
import { createWin32Store, win32TuningCommands } from '../../electron/helper/win32-store.js';
import { applyPlan, confirmTransaction, recover, revertTransaction, type HelperContext } from '../../electron/helper/transaction.js';
import { systemRootOf } from '../../electron/common/win32-paths.js';
import { CAPTURED_WINDOWS, createFakeWindows, type FakeWindowsOptions } from './win32-fake-system.js';

const V4 = 'win32.ipv4.dynamicport.tcp';
const V6 = 'win32.ipv6.dynamicport.tcp';
const TWD = 'win32.tcpip.TcpTimedWaitDelay';
const NETSH = 'C:\\Windows\\System32\\netsh.exe';
const REG = 'C:\\Windows\\System32\\reg.exe';
const PARAMS = 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters';

function plan(settings: HelperSetting[], confirmTimeoutSec = 60): HelperPlanDocument {
  return { kind: 'portwatch-helper-plan', schema: 1, settings, confirmTimeoutSec };
}
const wide = (key: typeof V4 | typeof V6): HelperSetting => ({ key, start: 32768, num: 32768 });

describe('the Windows store inside the helper transaction (fake netsh and reg)', () => {
  let dir: string;
  let n = 0;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pw-win32-store-'));
    await mkdir(join(dir, 'plans'), { mode: 0o700 });
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  function world(opts: FakeWindowsOptions = {}) {
    const win = createFakeWindows(opts);
    const lines: string[] = [];
    const ctx: HelperContext = {
      store: createWin32Store({ runner: win.runner, systemRoot: opts.systemRoot ?? 'C:\\Windows' }),
      paths: { proc: '', configRoot: '', stateDir: join(dir, 'state') },
      hooks: { killAt: null, skipLiveChecks: false },
      invokingUid: null,
      checkpoint: () => {},
      say: (l) => lines.push(l),
      now: () => Date.now(),
    };
    return { win, ctx, lines };
  }
  async function planFile(doc: HelperPlanDocument): Promise<string> {
    const p = join(dir, 'plans', `plan-${++n}.json`);
    await writeFile(p, JSON.stringify(doc), { mode: 0o600 });
    return p;
  }
  const sets = (calls: string[][]) => calls.filter((c) => c.includes('set') || c[1] === 'add' || c[1] === 'delete');

  it.each(['en', 'de', 'fr'] as const)('widens IPv4 and IPv6 with netsh argv and reads them back by shape (netsh in %s)', async (language) => {
    const { win, ctx } = world({ language });
    const out = await applyPlan(ctx, await planFile(plan([wide(V4), wide(V6)])));
    expect(out.result.outcome).toBe('awaiting-confirm');
    expect(out.result.changes).toEqual([
      { key: V4, before: 'start=49152 num=16384', wanted: 'start=32768 num=32768', now: 'start=32768 num=32768' },
      { key: V6, before: 'start=49152 num=16384', wanted: 'start=32768 num=32768', now: 'start=32768 num=32768' },
    ]);
    // Windows stores the range itself: there is no file to persist.
    expect(out.result.dropIn).toBeNull();
    expect(sets(win.calls)).toEqual([
      [NETSH, 'int', 'ipv4', 'set', 'dynamicport', 'tcp', 'start=32768', 'num=32768'],
      [NETSH, 'int', 'ipv6', 'set', 'dynamicport', 'tcp', 'start=32768', 'num=32768'],
    ]);
    expect(win.calls.slice(0, 3)).toEqual([
      [NETSH, 'int', 'ipv4', 'show', 'dynamicport', 'tcp'],
      [NETSH, 'int', 'ipv6', 'show', 'dynamicport', 'tcp'],
      [REG, 'query', PARAMS, '/v', 'TcpTimedWaitDelay'],
    ]);
    expect((await confirmTransaction(ctx, out.result.txid!)).result.outcome).toBe('kept');
    expect(win.values.ipv4).toEqual({ start: 32768, num: 32768 });
    // Every program is netsh or reg under %SystemRoot%\System32, and no argument starts with "-".
    for (const c of win.calls) {
      expect([NETSH, REG]).toContain(c[0]);
      expect(c.slice(1).some((a) => a.startsWith('-'))).toBe(false);
    }
  });

  it('reverts to the old start and number of ports', async () => {
    const { win, ctx } = world();
    const out = await applyPlan(ctx, await planFile(plan([wide(V4), wide(V6)])));
    const r = await revertTransaction(ctx, out.result.txid!);
    expect(r.result.outcome).toBe('reverted');
    expect(win.values).toEqual(CAPTURED_WINDOWS);
    // In reverse order: IPv6 first, then IPv4.
    expect(sets(win.calls).slice(2)).toEqual([
      [NETSH, 'int', 'ipv6', 'set', 'dynamicport', 'tcp', 'start=49152', 'num=16384'],
      [NETSH, 'int', 'ipv4', 'set', 'dynamicport', 'tcp', 'start=49152', 'num=16384'],
    ]);
  });

  it('puts IPv4 back when the IPv6 write fails', async () => {
    const { win, ctx, lines } = world({ failSet: (family, start) => family === 'ipv6' && start === 32768 });
    const out = await applyPlan(ctx, await planFile(plan([wide(V4), wide(V6)])));
    expect(out.exit).toBe(HELPER_EXIT.failed);
    expect(out.result.outcome).toBe('rolled-back');
    expect(out.result.message).toMatch(/win32\.ipv6\.dynamicport\.tcp: netsh\.exe refused int ipv6 set dynamicport tcp start=32768 num=32768 \(exit status 1: The requested operation requires elevation/);
    expect(sets(win.calls).map((c) => c.slice(2).join(' '))).toEqual([
      'ipv4 set dynamicport tcp start=32768 num=32768',
      'ipv6 set dynamicport tcp start=32768 num=32768',
      'ipv4 set dynamicport tcp start=49152 num=16384',
    ]);
    expect(win.values).toEqual(CAPTURED_WINDOWS);
    expect(lines).toContain('Putting back win32.ipv4.dynamicport.tcp = start=49152 num=16384');
  });

  it('rolls back when netsh answers Ok but keeps another range (read-back mismatch)', async () => {
    const { win, ctx } = world({ keep: (_f, start, num) => (start === 32768 ? { start: 40000, num: 25536 } : { start, num }) });
    const out = await applyPlan(ctx, await planFile(plan([wide(V4)])));
    expect(out.result.outcome).toBe('rolled-back');
    expect(out.result.message).toMatch(/wrote "start=32768 num=32768" but it reads back "start=40000 num=25536"/);
    expect(win.values).toEqual(CAPTURED_WINDOWS);
  });

  it('sets TcpTimedWaitDelay with reg add and, on revert, deletes the value it was not set before', async () => {
    const { win, ctx } = world();
    const out = await applyPlan(ctx, await planFile(plan([{ key: TWD, value: 60 }])));
    expect(out.result.changes).toEqual([{ key: TWD, before: '', wanted: '60', now: '60' }]);
    expect(win.values.timedWaitDelay).toBe(60);
    await revertTransaction(ctx, out.result.txid!);
    expect(win.values.timedWaitDelay).toBeNull();
    expect(sets(win.calls)).toEqual([
      [REG, 'add', PARAMS, '/v', 'TcpTimedWaitDelay', '/t', 'REG_DWORD', '/d', '60', '/f'],
      [REG, 'delete', PARAMS, '/v', 'TcpTimedWaitDelay', '/f'],
    ]);
  });

  it('restores a TcpTimedWaitDelay that was set before', async () => {
    const { win, ctx } = world({ values: { timedWaitDelay: 240 } });
    const out = await applyPlan(ctx, await planFile(plan([{ key: TWD, value: 30 }])));
    await revertTransaction(ctx, out.result.txid!);
    expect(win.values.timedWaitDelay).toBe(240);
  });

  it.each<[string, HelperSetting[], RegExp]>([
    ['a narrower range', [{ key: V4, start: 50000, num: 15536 }], /does not contain the current 49152–65535; the helper only widens/],
    ['a range that moves up', [{ key: V4, start: 49153, num: 16383 }], /only widens/],
    ['fewer than 255 ports', [{ key: V4, start: 49152, num: 254 }], /in \[255, /],
    ['a start under 1025', [{ key: V4, start: 1024, num: 64512 }], /in \[1025, 65535\]/],
    ['an end past 65535', [{ key: V4, start: 32768, num: 32769 }], /ends at 65536, above 65535/],
    ['TcpTimedWaitDelay under 30 s', [{ key: TWD, value: 29 }], /in \[30, 300\]/],
    ['TcpTimedWaitDelay over 300 s', [{ key: TWD, value: 301 }], /in \[30, 300\]/],
    ['a macOS key', [{ key: 'net.inet.ip.portrange.first', value: 32768 }], /this is a darwin plan and the helper runs on win32/],
    ['keys of two platforms', [wide(V4), { key: 'net.inet.tcp.msl', value: 10000 }], /is a darwin setting in a win32 plan/],
  ])('refuses %s and runs no write', async (_name, settings, why) => {
    const { win, ctx } = world();
    const out = await applyPlan(ctx, await planFile(plan(settings)));
    expect(out.exit).toBe(HELPER_EXIT.refused);
    expect(out.result.message).toMatch(why);
    expect(sets(win.calls)).toEqual([]);
    expect(await readdir(dir)).toEqual(['plans']);
  });

  it('runs the programs under the validated %SystemRoot% only', () => {
    expect(win32TuningCommands(systemRootOf({ SystemRoot: 'D:\\WINDOWS' })).setDynamicPort(V4, 10000, 55536)).toEqual([
      'D:\\WINDOWS\\System32\\netsh.exe', 'int', 'ipv4', 'set', 'dynamicport', 'tcp', 'start=10000', 'num=55536',
    ]);
    for (const bad of ['C:\\Windows" & calc', 'Windows', '\\\\server\\share', 'C:\\Win|dows']) {
      expect(win32TuningCommands(systemRootOf({ SystemRoot: bad })).queryTimedWaitDelay()[0]).toBe(REG);
    }
  });

  it('recover after an interrupted apply ends fully old', async () => {
    const { win, ctx } = world();
    const crash = new Error('killed');
    const killing: HelperContext = { ...ctx, checkpoint: (s) => { if (s === 'live-write-2') throw crash; } };
    await expect(applyPlan(killing, await planFile(plan([wide(V4), wide(V6)])))).rejects.toBe(crash);
    expect(win.values.ipv6).toEqual({ start: 32768, num: 32768 });
    expect((await recover(ctx)).result.outcome).toBe('recovered');
    expect(win.values).toEqual(CAPTURED_WINDOWS);
  });
});
