import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, rmSync, openSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLinuxBackend } from '../../../../electron/node/platform/linux/backend.js';
import { parseLinuxSnapshot } from '../../../../electron/node/platform/linux/snapshot.js';
import { Analyzer } from '../../../../electron/node/engine/analyzer.js';
import { fileSourcePaths, makeFakeProc } from './fake-proc.js';

// Every source failing in turn must leave a degraded but valid report: the failing source named with
// its reason, everything else still analysed, nothing thrown.
const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

async function sampleWith(root: string) {
  const backend = createLinuxBackend({ paths: { proc: root }, fileTimeoutMs: 200, owners: false });
  const snap = parseLinuxSnapshot(await backend.readAll());
  return new Analyzer().analyze(snap, { wallMs: 1, cpuMs: 1 });
}

const names = [...fileSourcePaths('/proc').keys()].filter((n) => !n.startsWith('net.netfilter'));
const isRoot = process.getuid?.() === 0;

describe('a Linux sample with one source broken', () => {
  it.each(names)('stays valid when %s is missing', async (name) => {
    const root = makeFakeProc();
    roots.push(root);
    rmSync(fileSourcePaths(root).get(name)!);
    const s = await sampleWith(root);
    const st = s.sources.find((x) => x.name === name)!;
    expect(st.status === 'failed' || st.status === 'unsupported').toBe(true);
    expect(st.error).toContain(fileSourcePaths(root).get(name)!);
    expect(s.sources.filter((x) => x.name !== name && x.name.startsWith('net.ipv4')).every((x) => x.status === 'ok' || x.status === 'unsupported')).toBe(true);
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
    if (name === 'net.ipv4.ip_local_port_range') expect(s.severity).toBe('unknown');
    else expect(s.kernel.portRange).not.toBeNull();
  });

  it.each(names)('stays valid when %s holds garbage', async (name) => {
    const root = makeFakeProc();
    roots.push(root);
    execFileSync('sh', ['-c', 'printf "\\377garbage\\n" > "$1"', 'sh', fileSourcePaths(root).get(name)!]);
    const s = await sampleWith(root);
    const st = s.sources.find((x) => x.name === name)!;
    expect(['failed', 'degraded']).toContain(st.status);
    expect(st.error).toMatch(new RegExp(name.replace(/\./g, '\\.')));
  });

  it('calls an optional sysctl missing "not present" only when the sysctls every Linux has were there', async () => {
    const root = makeFakeProc();
    roots.push(root);
    const delay = fileSourcePaths(root).get('net.ipv4.tcp_tw_reuse_delay')!;
    rmSync(delay, { force: true });
    const alone = (await sampleWith(root)).sources.find((x) => x.name === 'net.ipv4.tcp_tw_reuse_delay')!;
    expect(alone).toMatchObject({ status: 'unsupported', error: `${delay}: not present on this system` });
    // No /proc/sys at all (systemd's ProcSubset=pid): the absence says nothing of the kernel.
    rmSync(join(root, 'sys'), { recursive: true });
    const s = await sampleWith(root);
    for (const name of ['net.ipv4.tcp_tw_reuse_delay', 'net.netfilter.nf_conntrack_count', 'net.netfilter.nf_conntrack_max']) {
      const st = s.sources.find((x) => x.name === name)!;
      expect(st.status, name).toBe('failed');
      expect(st.error, name).toMatch(/: not found, nor were the sysctls every Linux has, so this says nothing of the kernel$/);
    }
  });

  it('reports a source that never answers as a timeout and still delivers the sample', async () => {
    const root = makeFakeProc();
    roots.push(root);
    const path = fileSourcePaths(root).get('proc-net-netstat')!;
    rmSync(path);
    execFileSync('mkfifo', [path]);
    const s = await sampleWith(root);
    expect(s.sources.find((x) => x.name === 'proc-net-netstat')).toMatchObject({ status: 'timeout' });
    expect(s.kernel.portRange).not.toBeNull();
    closeSync(openSync(path, 'w')); // release the blocked reader
  });

  it.skipIf(!isRoot && process.env.CI !== 'true')('reports a file it may not read as permission denied', () => {
    // Root reads any file, so the read runs as the unprivileged user "nobody".
    const root = makeFakeProc();
    roots.push(root);
    const path = fileSourcePaths(root).get('net.ipv4.tcp_tw_reuse')!;
    chmodSync(path, 0o000);
    const script = `
      import { createLinuxBackend } from './electron/node/platform/linux/backend.ts';
      import { parseLinuxSnapshot } from './electron/node/platform/linux/snapshot.ts';
      const b = createLinuxBackend({ paths: { proc: ${JSON.stringify(root)} }, owners: false });
      const s = parseLinuxSnapshot(await b.readAll());
      console.log(JSON.stringify(s.sources.find((x) => x.name === 'net.ipv4.tcp_tw_reuse')));`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      uid: 65534,
      gid: 65534,
      encoding: 'utf8',
      env: { ...process.env, HOME: '/tmp', TSX_TSCONFIG_PATH: 'tsconfig.json' },
    });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'failed', error: `${path}: permission denied` });
  });
});
