// Installing on a server without a compiler: the npm tarball carries the built JS, the dashboard bundle and
// the sock_diag addon prebuilt for linux-x64 and linux-arm64 (cross-compiled here), and nothing of the
// sources or tests. Installed into a clean directory with only node, npm and sh on PATH, `portwatch check`
// reads sockets through the prebuilt addon; with the prebuilt file gone it falls back to /proc/net/tcp and
// says why.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Sample } from '../../electron/common/model.js';
import { REPO_ROOT } from '../netns/portwatch-cli.js';

const crossCompiler = spawnSync('aarch64-linux-gnu-gcc', ['--version']).status === 0;
const built = existsSync(join(REPO_ROOT, 'out/node/electron/cli/portwatch.js')) && existsSync(join(REPO_ROOT, 'out/renderer/index.html'));
const skip = process.platform !== 'linux' || process.arch !== 'x64' || !crossCompiler || !built;

function which(cmd: string): string | null {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

describe.skipIf(skip)('the npm package', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pw-fleet-pack-'));
  let tarball = '';
  let files: string[] = [];
  const app = join(dir, 'app');
  const bin = join(dir, 'bin');
  /** A PATH with node, npm and sh only: no cc, gcc, g++, make or python to build anything. */
  const env = (): NodeJS.ProcessEnv => ({ PATH: bin, HOME: dir, npm_config_cache: process.env.npm_config_cache ?? join(process.env.HOME ?? '/root', '.npm') });
  const portwatch = (args: string[]) => spawnSync(join(app, 'node_modules/.bin/portwatch'), args, { encoding: 'utf8', env: env(), timeout: 60_000 });

  beforeAll(() => {
    const pre = spawnSync(process.execPath, [join(REPO_ROOT, 'build/scripts/prebuild.mjs')], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 300_000 });
    expect(pre.status, pre.stderr).toBe(0);
    const pack = spawnSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(pack.status, pack.stderr).toBe(0);
    const info = (JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[])[0]!;
    tarball = join(dir, info.filename);
    files = info.files.map((f) => f.path);
    mkdirSync(bin);
    for (const b of ['node', 'npm', 'sh']) symlinkSync(which(b)!, join(bin, b));
    // bpftrace too, when the machine has it: the installed CLI must find the tracer program it ships
    const bpftrace = which('bpftrace');
    if (bpftrace) symlinkSync(bpftrace, join(bin, 'bpftrace'));
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), '{"name":"server","private":true}\n');
  }, 420_000);

  it('holds the built CLI, the dashboard bundle and both prebuilt addons, and no sources or tests', () => {
    for (const f of ['out/node/electron/cli/portwatch.js', 'out/node/electron/server/serve.js', 'out/renderer/index.html', 'prebuilds/linux-x64/sock_diag.napi.node', 'prebuilds/linux-arm64/sock_diag.napi.node', 'build/systemd/portwatch.service', 'build/prometheus/portwatch-rules.yml', 'build/grafana/portwatch.json', 'electron/node/platform/linux/tracer/connect-failures.bt', 'electron/node/platform/linux/tracer/syscall-failures.bt']) {
      expect(files, f).toContain(f);
    }
    expect(files.filter((f) => /\.(ts|svelte|map)$/.test(f) || f.startsWith('test/') || f.startsWith('renderer/') || f.startsWith('electron/common/'))).toEqual([]);
  });

  it('carries real x86-64 and aarch64 builds of the addon, each with the N-API entry point', () => {
    const header = (arch: string) => spawnSync('readelf', ['-h', join(REPO_ROOT, `prebuilds/linux-${arch}/sock_diag.napi.node`)], { encoding: 'utf8' }).stdout;
    expect(header('x64')).toMatch(/Type:\s+DYN[^\n]*\n(.*\n)*\s+Machine:\s+Advanced Micro Devices X86-64/);
    expect(header('arm64')).toMatch(/Type:\s+DYN[^\n]*\n(.*\n)*\s+Machine:\s+AArch64/);
    const syms = spawnSync('aarch64-linux-gnu-readelf', ['--dyn-syms', '-W', join(REPO_ROOT, 'prebuilds/linux-arm64/sock_diag.napi.node')], { encoding: 'utf8' }).stdout;
    expect(syms).toMatch(/FUNC\s+GLOBAL\s+DEFAULT\s+\d+\s+napi_register_module_v1/);
  });

  it('installs with no compiler on PATH and reads sockets through the prebuilt addon', () => {
    for (const tool of ['cc', 'gcc', 'g++', 'make', 'python3']) {
      expect(spawnSync('sh', ['-c', `command -v ${tool}`], { env: env() }).status, `${tool} must not be on PATH`).not.toBe(0);
    }
    const install = spawnSync('npm', ['install', '--foreground-scripts', '--no-audit', '--no-fund', '--prefer-offline', tarball], { cwd: app, encoding: 'utf8', env: env(), timeout: 300_000 });
    expect(install.status, install.stdout + install.stderr).toBe(0);
    expect(install.stdout).toContain('portwatch: using the prebuilt sock_diag addon (prebuilds/linux-x64); nothing to compile.');
    const check = portwatch(['check', '--json', '--interval', '1']);
    const sample = JSON.parse(check.stdout) as Sample;
    const status = (name: string) => sample.sources.find((s) => s.name === name)?.status;
    expect(status('tcp-diag-inet'), check.stdout).toBe('ok');
    expect(status('socket-owners')).toBe('ok');
    // the failure tracer found its program in the package (as root with bpftrace; else it says why not)
    const tracer = sample.sources.find((s) => s.name === 'connect-tracer');
    expect(tracer?.error ?? '').not.toMatch(/missing from this installation/);
    if (process.geteuid?.() === 0 && which('bpftrace') && existsSync('/sys/kernel/tracing/events/sock')) expect(tracer?.status, tracer?.error).toBe('ok');
    expect(portwatch(['serve', '--help']).stdout).toContain('--metrics-only');
  }, 360_000);

  it('falls back to /proc/net/tcp without the prebuilt file, and says why', () => {
    rmSync(join(app, 'node_modules/portwatch/prebuilds/linux-x64'), { recursive: true, force: true });
    const check = portwatch(['check', '--json', '--interval', '1']);
    const sample = JSON.parse(check.stdout) as Sample;
    const diag = sample.sources.find((s) => s.name === 'tcp-diag-inet')!;
    expect(diag.status).toBe('unsupported');
    expect(diag.error).toContain('prebuilds/linux-x64/sock_diag.napi.node');
    expect(sample.sources.find((s) => s.name === 'proc-net-tcp')?.status).toBe('ok');
    expect(portwatch(['check', '--wide', '--interval', '1']).stdout).toMatch(/tcp-diag-inet unsupported \(sock_diag addon unavailable \(neither build\/Release\/sock_diag\.node nor prebuilds\/linux-x64\/sock_diag\.napi\.node found/);
  }, 120_000);
});
