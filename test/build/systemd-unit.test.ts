// build/systemd/portwatch.service: systemd's own verifier and offline security review pass on it, its
// ExecStart is a valid serve command line, and its two capabilities are exactly what the socket-owner scan
// needs: as an unprivileged user with both, a root process's sockets are attributed; without either, not.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseServeArgs } from '../../electron/server/serve-args.js';
import type { Sample } from '../../electron/common/model.js';
import { describeNetns } from '../netns/describe-netns.js';
import { createNamespace, type Namespace } from '../netns/netns.js';
import { connectHold, startServer } from '../netns/workloads.js';
import { UNIT_PATH, copyBuiltCli, readRepoFile, unitValues } from './deploy-files.js';

const unit = readRepoFile(UNIT_PATH);
const hasSystemd = spawnSync('systemd-analyze', ['--version'], { timeout: 10_000 }).status === 0;
const SYSTEM_UNITS = ['/lib/systemd/system', '/usr/lib/systemd/system'].find((d) => existsSync(join(d, 'sysinit.target')));

/** A root for `systemd-analyze --root`: the system's own units, the given unit, and a stand-in ExecStart binary. */
function verifyRoot(unitText: string): string {
  const root = mkdtempSync(join(tmpdir(), 'pw-fleet-unit-'));
  mkdirSync(join(root, 'lib/systemd'), { recursive: true });
  cpSync(SYSTEM_UNITS!, join(root, 'lib/systemd/system'), { recursive: true, verbatimSymlinks: true });
  mkdirSync(join(root, 'etc/systemd/system'), { recursive: true });
  writeFileSync(join(root, 'etc/systemd/system/portwatch.service'), unitText);
  const bin = unitValues(unitText, 'ExecStart')[0]!.split(' ')[0]!;
  mkdirSync(join(root, bin, '..'), { recursive: true });
  writeFileSync(join(root, bin), '#!/bin/sh\n');
  chmodSync(join(root, bin), 0o755);
  return root;
}

function verify(unitText: string): { status: number | null; output: string } {
  const r = spawnSync('systemd-analyze', ['verify', `--root=${verifyRoot(unitText)}`, '/etc/systemd/system/portwatch.service'], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, output: `${r.stdout}${r.stderr}`.trim() };
}

describe('build/systemd/portwatch.service', () => {
  it('starts serve --metrics-only with arguments serve accepts, the token file under /run', () => {
    const [bin, sub, ...args] = unitValues(unit, 'ExecStart')[0]!.split(' ');
    expect(bin).toBe('/usr/local/bin/portwatch');
    expect(sub).toBe('serve');
    const parsed = parseServeArgs(args);
    expect(parsed.ok && parsed.options).toMatchObject({ metricsOnly: true, host: '127.0.0.1', port: 9464, tokenFile: '/run/portwatch/token' });
    expect(unitValues(unit, 'RuntimeDirectory')).toEqual(['portwatch']);
  });

  it('grants exactly the two capabilities of the owner scan, as a made-up user, with no way to gain more', () => {
    expect(unitValues(unit, 'AmbientCapabilities')).toEqual(['CAP_SYS_PTRACE CAP_DAC_READ_SEARCH']);
    expect(unitValues(unit, 'CapabilityBoundingSet')).toEqual(['CAP_SYS_PTRACE CAP_DAC_READ_SEARCH']);
    expect(unitValues(unit, 'DynamicUser')).toEqual(['yes']);
    expect(unitValues(unit, 'NoNewPrivileges')).toEqual(['yes']);
    expect(unitValues(unit, 'ProtectSystem')).toEqual(['strict']);
    expect(unitValues(unit, 'User')).toEqual([]);
  });

  it.skipIf(!hasSystemd || !SYSTEM_UNITS)('passes systemd-analyze verify without a word (and a typo would be reported)', () => {
    expect(verify(unit)).toEqual({ status: 0, output: '' });
    const typo = verify(unit.replace('ProtectSystem=strict', 'ProtectSystem=strictly'));
    expect(typo.output).toContain('strictly');
  }, 120_000);

  it.skipIf(!hasSystemd || !SYSTEM_UNITS)('scores "OK" or better in systemd-analyze security --offline', () => {
    const r = spawnSync('systemd-analyze', ['security', '--offline=yes', `--root=${verifyRoot(unit)}`, '/etc/systemd/system/portwatch.service'], { encoding: 'utf8', timeout: 60_000 });
    const m = /Overall exposure level for portwatch\.service: ([0-9.]+) (\w+)/.exec(r.stdout);
    expect(m, r.stdout + r.stderr).not.toBeNull();
    expect(Number(m![1])).toBeLessThanOrEqual(3);
  }, 120_000);
});

describeNetns('the unit\'s capabilities, for real', () => {
  let ns: Namespace;
  let cli: ReturnType<typeof copyBuiltCli>;
  let holderPid = 0;

  beforeAll(async () => {
    cli = copyBuiltCli();
    ns = await createNamespace('fleetcaps');
    await startServer(ns, ['127.0.0.1:8080']);
    const held = await connectHold(ns, '127.0.0.1:8080', 9);
    expect(held.connected).toBe(9);
    holderPid = held.process.pid;
  }, 60_000);
  afterAll(async () => {
    await ns?.destroy();
  });

  /** `portwatch check --json` as nobody with exactly these capabilities (setpriv, as systemd would set them). */
  async function checkAsNobody(caps: string[]): Promise<Sample> {
    const set = ['-all', ...caps.map((c) => `+${c.replace(/^CAP_/, '').toLowerCase()}`)].join(',');
    const argv = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', `--inh-caps=${set}`, `--ambient-caps=${set}`, `--bounding-set=${set}`, '--', process.execPath, cli!.cli, 'check', '--json', '--interval', '1'];
    const r = await ns.exec(argv, { cwd: cli!.dir, timeoutMs: 30_000 });
    expect(r.stdout.startsWith('{'), r.stderr).toBe(true);
    return JSON.parse(r.stdout) as Sample;
  }

  it('attributes a root process\'s sockets with both, and with neither one alone', async () => {
    expect(cli, 'the built CLI (npm run build)').not.toBeNull();
    const caps = unitValues(unit, 'AmbientCapabilities')[0]!.split(' ');
    const owns = (s: Sample) => s.processes.some((p) => p.pid === holderPid && p.sockets === 9);
    const full = await checkAsNobody(caps);
    expect(full.worst?.inUse).toBe(9);
    expect(owns(full)).toBe(true);
    for (const missing of caps) {
      const less = await checkAsNobody(caps.filter((c) => c !== missing));
      expect(less.worst?.inUse, `the counts need no capability (${missing} dropped)`).toBe(9);
      expect(owns(less), `without ${missing}`).toBe(false);
    }
  }, 120_000);
});
