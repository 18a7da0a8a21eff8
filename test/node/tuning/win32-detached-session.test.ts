// The UAC flow of the tuning client, on this machine: a stand-in for Windows PowerShell reads the very
// Start-Process script the client builds (FilePath, ArgumentList with its quoting), and relaunches the
// real helper (bundled, run as root directly, writing a proc root of plain files) the way UAC does:
// detached from the app's terminal, no input, no output. The client must learn everything from the
// helper's journal (the unprivileged status verb) and its exit status, and keep or revert through a
// second "elevated" run.
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planTuning } from '../../../electron/node/tuning/plan.js';
import { TuningClient } from '../../../electron/node/tuning/tuning-client.js';
import { createTestRoot, helperBundle, type TestRoot } from '../../helper/helper-process.js';
import { input } from './plan-fixtures.js';

// Start-Process -FilePath 'X' -ArgumentList '"a" "b"' -Verb RunAs -Wait -PassThru: run X a b with no
// terminal of ours (UAC gives it a window of its own) and exit with its status.
const FAKE_POWERSHELL = `
const { spawn } = require('node:child_process');
const script = process.argv[process.argv.length - 1];
const m = /^\\$ErrorActionPreference = 'Stop'; \\$p = Start-Process -FilePath '([^']*)' -ArgumentList '([^']*)' -Verb RunAs -Wait -PassThru; exit \\$p\\.ExitCode$/.exec(script);
if (!m) { process.stderr.write('not the UAC script: ' + script + '\\n'); process.exit(2); }
if (process.env.FAKE_UAC_DECLINE === '1') { process.stderr.write('Start-Process : This command cannot be run due to the error: The operation was canceled by the user.\\n'); process.exit(1); }
const args = [...m[2].matchAll(/"([^"]*)"/g)].map((x) => x[1]);
const child = spawn(m[1], args, { stdio: 'ignore', env: process.env });
child.on('exit', (code) => process.exit(code ?? 1));
`;

const canRunAsRoot = process.getuid?.() === 0;

describe.skipIf(!canRunAsRoot)('the tuning client through a UAC relaunch (stand-in PowerShell, real helper)', () => {
  let root: TestRoot;
  let proc: string;
  let fakePs: string;
  const sysctl = (k: string) => join(proc, 'sys', 'net', 'ipv4', k);

  beforeAll(async () => {
    await helperBundle();
  });
  beforeEach(async () => {
    root = await createTestRoot();
    proc = join(root.dir, 'proc');
    await mkdir(join(proc, 'sys', 'net', 'ipv4'), { recursive: true });
    await writeFile(sysctl('ip_local_port_range'), '32768\t60999\n');
    await writeFile(sysctl('ip_local_reserved_ports'), '\n');
    await writeFile(sysctl('tcp_tw_reuse'), '2\n');
    await writeFile(sysctl('ip_unprivileged_port_start'), '1024\n');
    const dir = await mkdtemp(join(tmpdir(), 'pw-fake-ps-'));
    fakePs = join(dir, 'powershell.cjs');
    await writeFile(fakePs, FAKE_POWERSHELL);
  });
  afterEach(async () => {
    await root?.remove();
    await rm(join(fakePs, '..'), { recursive: true, force: true });
  });

  async function client(extraEnv: Record<string, string> = {}): Promise<TuningClient> {
    return TuningClient.create({
      elevation: { method: 'uac', prefix: [process.execPath, fakePs], program: [process.execPath, await helperBundle()] },
      helperEnv: { ...root.env, PORTWATCH_HELPER_PROC: proc, ...extraEnv },
      proc,
      platform: 'linux',
      detachedPollMs: 100,
    });
  }

  it('apply → awaiting-confirm seen in the journal → verify → keep through a second elevated run', async () => {
    const c = await client();
    const a = await c.apply(planTuning(input()));
    expect(a.session.method).toBe('uac');
    expect(a.session.transcript).toMatch(/runs in a window of its own/);
    const applied = await a.applied;
    expect(applied.outcome).toBe('awaiting-confirm');
    expect(applied.transaction?.state).toBe('awaiting-confirm');
    expect((await a.verify()).ok).toBe(true);
    const kept = await a.keep();
    expect(kept.outcome).toBe('kept');
    expect(kept.txid).toBe(applied.txid);
    expect(await readFile(sysctl('ip_local_port_range'), 'utf8')).toBe('32768\t65535\n');
    const status = await c.status();
    expect((await status.exited).result?.history[0]).toMatchObject({ txid: applied.txid, state: 'committed' });
  });

  it('revert puts the old values back', async () => {
    const a = await (await client()).apply(planTuning(input()));
    expect((await a.applied).outcome).toBe('awaiting-confirm');
    const reverted = await a.revert();
    expect(reverted.outcome).toBe('reverted');
    expect(await readFile(sysctl('ip_local_port_range'), 'utf8')).toBe('32768\t60999\n');
    expect(await readFile(sysctl('tcp_tw_reuse'), 'utf8')).toBe('2\n');
  });

  it('reports a declined UAC prompt, and nothing changes', async () => {
    const a = await (await client({ FAKE_UAC_DECLINE: '1' })).apply(planTuning(input()));
    const r = await a.applied;
    expect(r.outcome).toBe('refused');
    expect(r.message).toMatch(/The helper did not run: .*canceled by the user.*declined/);
    expect(await readFile(sysctl('ip_local_port_range'), 'utf8')).toBe('32768\t60999\n');
  });

  it('reports a plan the helper refuses, from its exit status', async () => {
    await writeFile(sysctl('ip_local_reserved_ports'), '62000\n');
    const plan = planTuning(input());
    plan.helperPlan!.settings.unshift({ key: 'net.ipv4.ip_local_reserved_ports', ranges: [{ low: 61000, high: 61000 }] });
    const a = await (await client()).apply(plan);
    const r = await a.applied;
    expect(r.outcome).toBe('refused');
    expect(r.message).toMatch(/status 64 \(refused\)/);
    expect(await readFile(sysctl('ip_local_port_range'), 'utf8')).toBe('32768\t60999\n');
  });
});
