// The helper's transaction with the macOS store, in-process: the real transaction, journal, lock and
// LaunchDaemon file in a temporary directory, and a fake `sysctl` (the command runner, the only fake)
// that records every argv and answers as macOS does, clamping and all.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DARWIN_LAUNCHD_PLIST_PATH, HELPER_EXIT, type HelperPlanDocument, type HelperSetting } from '../../electron/common/tuning.js';
import { renderLaunchdPlist } from '../../electron/helper/darwin-launchd.js';
import { createDarwinStore } from '../../electron/helper/darwin-store.js';
import { applyPlan, confirmTransaction, recover, revertTransaction, status, type HelperContext } from '../../electron/helper/transaction.js';
import { capturedMacValues, createFakeMac, type FakeMacOptions } from './darwin-fake-system.js';

const FIRST = 'net.inet.ip.portrange.first';
const LAST = 'net.inet.ip.portrange.last';
const MSL = 'net.inet.tcp.msl';

function plan(settings: HelperSetting[], confirmTimeoutSec = 60): HelperPlanDocument {
  return { kind: 'portwatch-helper-plan', schema: 1, settings, confirmTimeoutSec };
}

describe('the macOS store inside the helper transaction (fake sysctl)', () => {
  let dir: string;
  let configRoot: string;
  let plist: string;
  let lines: string[];
  let n = 0;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pw-darwin-store-'));
    configRoot = join(dir, 'root');
    plist = join(configRoot, DARWIN_LAUNCHD_PLIST_PATH);
    await mkdir(join(configRoot, 'Library', 'LaunchDaemons'), { recursive: true });
    await mkdir(join(dir, 'plans'), { mode: 0o700 });
    lines = [];
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  function world(opts: FakeMacOptions = {}) {
    const mac = createFakeMac(opts);
    const ctx: HelperContext = {
      store: createDarwinStore({ runner: mac.runner, configRoot }),
      paths: { proc: '/nonexistent', configRoot, stateDir: join(dir, 'state') },
      hooks: { killAt: null, skipLiveChecks: false },
      invokingUid: null,
      checkpoint: () => {},
      say: (l) => lines.push(l),
      now: () => Date.now(),
    };
    return { mac, ctx };
  }

  async function planFile(doc: HelperPlanDocument | string): Promise<string> {
    const p = join(dir, 'plans', `plan-${++n}.json`);
    await writeFile(p, typeof doc === 'string' ? doc : JSON.stringify(doc), { mode: 0o600 });
    return p;
  }

  const writes = (calls: string[][]) => calls.filter((c) => c[1] === '-w');

  it('widens first with `/usr/sbin/sysctl -w`, reads it back with `sysctl -n`, persists a LaunchDaemon, and keeps it', async () => {
    const { mac, ctx } = world();
    const out = await applyPlan(ctx, await planFile(plan([{ key: FIRST, value: 32768 }])));
    expect(out.result.outcome).toBe('awaiting-confirm');
    expect(out.result.changes).toEqual([{ key: FIRST, before: '49152', wanted: '32768', now: '32768' }]);
    expect(out.result.dropIn).toEqual({ path: DARWIN_LAUNCHD_PLIST_PATH, changed: true });
    // Exact argv, in order: read the three keys, write, read back, then the read for the result.
    expect(mac.calls.slice(0, 6)).toEqual([
      ['/usr/sbin/sysctl', '-n', FIRST],
      ['/usr/sbin/sysctl', '-n', LAST],
      ['/usr/sbin/sysctl', '-n', MSL],
      ['/usr/sbin/sysctl', '-n', FIRST],
      ['/usr/sbin/sysctl', '-n', LAST],
      ['/usr/sbin/sysctl', '-n', MSL],
    ]);
    expect(writes(mac.calls)).toEqual([['/usr/sbin/sysctl', '-w', `${FIRST}=32768`]]);
    expect(mac.values[FIRST]).toBe(32768);
    // The boot file runs the very same argv.
    const text = await readFile(plist, 'utf8');
    expect(text).toContain('<key>Label</key>\n\t<string>io.portwatch.sysctl</string>');
    expect(text).toContain('\t\t<string>/usr/sbin/sysctl</string>\n\t\t<string>-w</string>\n\t\t<string>net.inet.ip.portrange.first=32768</string>\n');
    expect(text).toContain('<key>RunAtLoad</key>\n\t<true/>');
    const kept = await confirmTransaction(ctx, out.result.txid!);
    expect(kept.result.outcome).toBe('kept');
    expect((await status(ctx)).result.history[0]).toMatchObject({ txid: out.result.txid, state: 'committed', keys: [FIRST] });
    // Every program run is sysctl by absolute path; no argument after its own option starts with "-".
    for (const c of mac.calls) {
      expect(c[0]).toBe('/usr/sbin/sysctl');
      expect(c.slice(2).some((a) => a.startsWith('-'))).toBe(false);
    }
  });

  it('revert puts the old value back and removes the LaunchDaemon it created', async () => {
    const { mac, ctx } = world();
    const out = await applyPlan(ctx, await planFile(plan([{ key: FIRST, value: 32768 }])));
    const back = await revertTransaction(ctx, out.result.txid!);
    expect(back.result.outcome).toBe('reverted');
    expect(mac.values).toEqual(capturedMacValues());
    expect(writes(mac.calls).at(-1)).toEqual(['/usr/sbin/sysctl', '-w', `${FIRST}=49152`]);
    expect(await readdir(join(configRoot, 'Library', 'LaunchDaemons'))).toEqual([]);
  });

  it('undoes a kept change later with `revert TXID`, restoring the previous LaunchDaemon byte for byte', async () => {
    const { mac, ctx } = world();
    const previous = renderLaunchdPlist(null, [{ key: MSL, value: 15000 }]);
    await writeFile(plist, previous);
    const out = await applyPlan(ctx, await planFile(plan([{ key: FIRST, value: 40000 }])));
    await confirmTransaction(ctx, out.result.txid!);
    // The values the file already held are kept next to the new one.
    expect(await readFile(plist, 'utf8')).toContain(`<string>${FIRST}=40000</string>\n\t\t<string>${MSL}=15000</string>`);
    const undo = await revertTransaction(ctx, out.result.txid!);
    expect(undo.result.outcome).toBe('reverted');
    expect(mac.values[FIRST]).toBe(49152);
    expect(await readFile(plist, 'utf8')).toBe(previous);
  });

  it('rolls back when the kernel clamps the value silently (sysctl exits 0, the read-back differs)', async () => {
    // A kernel that keeps the low end at 40000 whatever is asked: sysctl reports success.
    const { mac, ctx } = world({ clamp: (k, v) => (k === FIRST ? Math.max(40000, v) : v) });
    const out = await applyPlan(ctx, await planFile(plan([{ key: FIRST, value: 32768 }])));
    expect(out.exit).toBe(HELPER_EXIT.failed);
    expect(out.result.outcome).toBe('rolled-back');
    expect(out.result.message).toMatch(/net\.inet\.ip\.portrange\.first: wrote "32768" but it reads back "40000"/);
    expect(writes(mac.calls)).toEqual([
      ['/usr/sbin/sysctl', '-w', `${FIRST}=32768`],
      ['/usr/sbin/sysctl', '-w', `${FIRST}=49152`],
    ]);
    expect(mac.values).toEqual(capturedMacValues());
    expect(await readdir(join(configRoot, 'Library', 'LaunchDaemons'))).toEqual([]);
    expect(await readdir(join(dir, 'state'))).not.toContain('journal.json');
  });

  it('puts the first write back when the second one fails', async () => {
    const { mac, ctx } = world({ values: { ...capturedMacValues(), [LAST]: 60999 }, failWrite: (k) => k === LAST });
    const out = await applyPlan(ctx, await planFile(plan([{ key: FIRST, value: 32768 }, { key: LAST, value: 65535 }])));
    expect(out.result.outcome).toBe('rolled-back');
    expect(out.result.message).toMatch(/net\.inet\.ip\.portrange\.last: sysctl refused net\.inet\.ip\.portrange\.last=65535 \(exit status 1: sysctl: .*Operation not permitted\)/);
    expect(writes(mac.calls).map((c) => c[2])).toEqual([`${FIRST}=32768`, `${LAST}=65535`, `${FIRST}=49152`]);
    expect(mac.values[FIRST]).toBe(49152);
    expect(mac.values[LAST]).toBe(60999);
    expect(lines).toContain('Putting back net.inet.ip.portrange.first = 49152');
  });

  it('applying the same plan twice runs no write the second time', async () => {
    const { mac, ctx } = world();
    const p = await planFile(plan([{ key: FIRST, value: 32768 }]));
    const first = await applyPlan(ctx, p);
    await confirmTransaction(ctx, first.result.txid!);
    const bytes = await readFile(plist, 'utf8');
    const before = writes(mac.calls).length;
    const second = await applyPlan(ctx, p);
    expect(second.result.outcome).toBe('unchanged');
    expect(writes(mac.calls).length).toBe(before);
    expect(await readFile(plist, 'utf8')).toBe(bytes);
  });

  it.each<[string, HelperSetting[], FakeMacOptions['values'] | undefined, RegExp]>([
    ['a narrower range (first above the current)', [{ key: FIRST, value: 50000 }], undefined, /first: 50000 is above the current 49152; the helper only widens/],
    ['a narrower range (last below the current)', [{ key: LAST, value: 60000 }], undefined, /last: 60000 is below the current 65535; the helper only widens/],
    ['a first that would not stay below last', [{ key: FIRST, value: 30000 }], { ...capturedMacValues(), [FIRST]: 40000, [LAST]: 30000 }, /is above net\.inet\.ip\.portrange\.last \(30000\) now/],
    ['first equal to last in one plan', [{ key: FIRST, value: 40000 }, { key: LAST, value: 40000 }], undefined, /first 40000 must be below net\.inet\.ip\.portrange\.last 40000/],
    ['a low end under 1024', [{ key: FIRST, value: 1023 }], undefined, /in \[1024, 65535\]/],
    ['an msl under 5 s', [{ key: MSL, value: 1000 }], undefined, /in \[5000, 15000\]/],
    ['a Linux key', [{ key: 'net.ipv4.ip_local_port_range', low: 32768, high: 65535 }], undefined, /this is a linux plan and the helper runs on darwin/],
    ['a key this Mac lacks', [{ key: MSL, value: 10000 }], { [FIRST]: 49152, [LAST]: 65535 }, /net\.inet\.tcp\.msl does not exist on this system/],
  ])('refuses %s and runs no write', async (_name, settings, values, why) => {
    const { mac, ctx } = world(values ? { values } : {});
    const out = await applyPlan(ctx, await planFile(plan(settings)));
    expect(out.exit).toBe(HELPER_EXIT.refused);
    expect(out.result.message).toMatch(why);
    expect(writes(mac.calls)).toEqual([]);
    expect(await readdir(join(configRoot, 'Library', 'LaunchDaemons'))).toEqual([]);
  });

  it('reports another LaunchDaemon that sets the same key differently at boot (not /etc/sysctl.conf, which current macOS does not apply)', async () => {
    const { ctx } = world();
    await writeFile(join(configRoot, 'Library', 'LaunchDaemons', 'com.example.sysctl.plist'), renderLaunchdPlist(null, [{ key: FIRST, value: 10000 }]).replace('io.portwatch.sysctl', 'com.example.sysctl'));
    await mkdir(join(configRoot, 'etc'));
    await writeFile(join(configRoot, 'etc', 'sysctl.conf'), '# tuned\nnet.inet.ip.portrange.first=20000\n');
    const out = await applyPlan(ctx, await planFile(plan([{ key: FIRST, value: 32768 }])));
    expect(out.result.overrides).toEqual([
      { key: FIRST, path: '/Library/LaunchDaemons/com.example.sysctl.plist', line: 11, value: '10000', readers: ['launchd'] },
    ]);
    expect(lines).toContain(`Warning: at boot /Library/LaunchDaemons/com.example.sysctl.plist:11 also sets ${FIRST} = 10000; launchd starts it in no fixed order with Portwatch's, so it may win.`);
    await revertTransaction(ctx, out.result.txid!);
  });

  it('recover after an interrupted apply ends fully old', async () => {
    const { mac, ctx } = world();
    // Interrupted right after the live write: the journal says "applying".
    const crash = new Error('killed');
    const killing: HelperContext = { ...ctx, checkpoint: (s) => { if (s === 'read-back') throw crash; } };
    await expect(applyPlan(killing, await planFile(plan([{ key: FIRST, value: 32768 }])))).rejects.toBe(crash);
    expect(mac.values[FIRST]).toBe(32768);
    const r = await recover(ctx);
    expect(r.result.outcome).toBe('recovered');
    expect(mac.values).toEqual(capturedMacValues());
    expect(await readdir(join(configRoot, 'Library', 'LaunchDaemons'))).toEqual([]);
  });
});
