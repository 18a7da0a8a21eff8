// The desktop packages, as far as this machine allows: `electron-builder --dir` against a stand-in Electron
// (a file with the fuse wire, so the afterPack hook flips it for real), then the unpacked tree is inspected
// and run: the helper and its policy in resources/helper, runnable by the system's Node (the app's own
// executable has RunAsNode off), the CLI in resources/cli reading sockets through resources/prebuilds.
// The deb and AppImage need fpm and appimagetool, which electron-builder downloads and this machine cannot:
// their file mappings are checked against the --dir tree instead.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { load as loadYaml } from 'js-yaml';
import type { Sample } from '../../electron/common/model.js';
import { locateHelper } from '../../electron/node/tuning/helper-location.js';
import { tracerPreflight, tracerProgramCandidates } from '../../electron/node/platform/linux/tracer/connect-failure-tracer.js';
import { REPO_ROOT } from '../netns/portwatch-cli.js';

const require = createRequire(import.meta.url);
const { FuseV1Options, getCurrentFuseWire } = require('@electron/fuses') as typeof import('@electron/fuses');
const { SENTINEL } = require('@electron/fuses/dist/constants.js') as { SENTINEL: string };

const SYSTEM_NODE = ['/usr/bin/node', '/usr/local/bin/node'].find((p) => existsSync(p));
const built = existsSync(join(REPO_ROOT, 'out/main/index.js')) && existsSync(join(REPO_ROOT, 'build/Release/sock_diag.node'));
const skip = process.platform !== 'linux' || process.arch !== 'x64' || !built || !SYSTEM_NODE;

interface BuilderConfig {
  linux: { executableName: string; extraResources: { from: string; to: string }[] };
  deb: { fpm: string[]; depends: string[] };
}

describe.skipIf(skip)('the packaged desktop app (electron-builder --dir, stand-in Electron)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pw-fleet-desktop-'));
  const tree = join(dir, 'dist/linux-unpacked');
  const resources = join(tree, 'resources');
  const config = loadYaml(readFileSync(join(REPO_ROOT, 'build/electron-builder.yml'), 'utf8')) as BuilderConfig;
  let log = '';

  beforeAll(() => {
    const run = (argv: string[]) => {
      const r = spawnSync(argv[0]!, argv.slice(1), { cwd: REPO_ROOT, encoding: 'utf8', timeout: 400_000 });
      log += `$ ${argv.join(' ')}\n${r.stdout}${r.stderr}\n`;
      expect(r.status, log).toBe(0);
    };
    run([process.execPath, 'build/scripts/prebuild.mjs', 'x64']);
    run([process.execPath, 'build/scripts/bundle-for-package.mjs']);
    // The stand-in Electron: a fuse wire of 8 fuses, all "enabled", for the afterPack hook to flip.
    const dist = join(dir, 'electron-dist');
    mkdirSync(dist);
    writeFileSync(join(dist, 'electron'), Buffer.concat([Buffer.from('stand-in electron\n'), Buffer.from(SENTINEL, 'latin1'), Buffer.from([1, 8]), Buffer.alloc(8, 0x31), Buffer.from('\nend\n')]));
    chmodSync(join(dist, 'electron'), 0o755);
    writeFileSync(join(dist, 'LICENSE'), 'stand-in\n');
    writeFileSync(join(dist, 'version'), '45.4.1');
    run([process.execPath, 'node_modules/electron-builder/cli.js', '--dir', '--linux', '--x64', '--config', 'build/electron-builder.yml', `--config.electronDist=${dist}`, `--config.directories.output=${join(dir, 'dist')}`]);
  }, 600_000);

  it('flipped the fuses of the app executable (RunAsNode off) after packing', async () => {
    const wire = await getCurrentFuseWire(join(tree, config.linux.executableName));
    expect(wire[FuseV1Options.RunAsNode]).toBe(48); // '0': disabled
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(49);
    expect(existsSync(join(resources, 'app.asar'))).toBe(true);
    expect(existsSync(join(resources, 'app.asar.unpacked/build/Release/sock_diag.node'))).toBe(true);
  });

  it('carries the helper (one executable script for the system Node) and the polkit policy in resources/helper', () => {
    const helper = join(resources, 'helper/portwatch-helper');
    expect(statSync(helper).mode & 0o777).toBe(0o755);
    expect(readFileSync(helper, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(readFileSync(join(resources, 'helper/io.portwatch.helper.policy'), 'utf8')).toBe(readFileSync(join(REPO_ROOT, 'build/linux/io.portwatch.helper.policy'), 'utf8'));
    // It runs under the system's Node, from the unpacked tree, with no package.json beside it.
    const r = spawnSync(SYSTEM_NODE!, [helper, 'status'], { encoding: 'utf8', timeout: 30_000 });
    expect(r.stdout, r.stderr).toMatch(/^PORTWATCH-HELPER-RESULT \{"schema":1,"verb":"status","outcome":"status"/m);
  }, 60_000);

  it('finds that helper from a packaged app and runs it with the system Node, not the app executable', () => {
    const h = locateHelper({ installed: join(dir, 'not-installed'), resourcesPath: resources, electron: true });
    expect(h).toEqual({ kind: 'built', path: join(resources, 'helper/portwatch-helper'), nodeArgv: [SYSTEM_NODE, join(resources, 'helper/portwatch-helper')] });
    // Installed by the deb, the policy's path wins.
    const installed = locateHelper({ exists: (p) => p === '/usr/lib/portwatch/portwatch-helper', resourcesPath: resources, electron: true });
    expect(installed.kind).toBe('installed');
    expect(installed.nodeArgv[0]).not.toBe(join(tree, config.linux.executableName));
  });

  it('carries a CLI that runs on the system Node and reads sockets through the shipped addon', () => {
    const r = spawnSync(SYSTEM_NODE!, [join(resources, 'cli/portwatch.mjs'), 'check', '--json', '--interval', '1'], { encoding: 'utf8', timeout: 60_000, cwd: dir });
    const sample = JSON.parse(r.stdout) as Sample;
    expect(sample.sources.find((s) => s.name === 'tcp-diag-inet')?.status, r.stderr).toBe('ok');
    // the failure tracer's program is found in resources/tracer (bpftrace cannot read one inside app.asar)
    const tracer = sample.sources.find((s) => s.name === 'connect-tracer');
    expect(tracer?.error ?? '').not.toMatch(/missing from this installation/);
    if ('bpftrace' in tracerPreflight()) expect(tracer?.status, tracer?.error).toBe('ok');
  }, 90_000);

  it('carries both tracer programs where the app and the bundled CLI look for them', () => {
    for (const file of ['connect-failures.bt', 'syscall-failures.bt']) {
      const shipped = join(resources, 'tracer', file);
      expect(readFileSync(shipped, 'utf8')).toBe(readFileSync(join(REPO_ROOT, 'electron/node/platform/linux/tracer', file), 'utf8'));
      // the bundled CLI (resources/cli) and the main process (process.resourcesPath) both reach it first
      expect(tracerProgramCandidates(file, join(resources, 'cli')).find((p) => existsSync(p))).toBe(shipped);
      expect(tracerProgramCandidates(file, join(resources, 'app.asar/out/main'), resources).find((p) => existsSync(p))).toBe(shipped);
    }
  });

  it('carries the dashboard beside the CLI, so `portwatch-cli serve` in the package serves it', () => {
    expect(readFileSync(join(resources, 'renderer/index.html'), 'utf8')).toBe(readFileSync(join(REPO_ROOT, 'out/renderer/index.html'), 'utf8'));
  });

  it('maps, for the deb, only files the --dir build contains, to the paths the app and polkit look for, without clashing with the app', () => {
    const byDest = new Map(config.deb.fpm.map((m) => [m.split('=')[1]!, m.split('=')[0]!]));
    const policy = readFileSync(join(REPO_ROOT, 'build/linux/io.portwatch.helper.policy'), 'utf8');
    const execPath = /org\.freedesktop\.policykit\.exec\.path">([^<]+)</.exec(policy)![1]!;
    expect(byDest.get(execPath)).toBeDefined();
    expect(byDest.get('/usr/share/polkit-1/actions/io.portwatch.helper.policy')).toBe('build/linux/io.portwatch.helper.policy');
    // Each mapped file is the very file the --dir tree carries in resources/.
    const inTree: Record<string, string> = { [execPath]: 'helper/portwatch-helper', '/usr/share/polkit-1/actions/io.portwatch.helper.policy': 'helper/io.portwatch.helper.policy' };
    for (const [dest, rel] of Object.entries(inTree)) expect(readFileSync(join(REPO_ROOT, byDest.get(dest)!)), dest).toEqual(readFileSync(join(resources, rel)));
    // The CLI launcher runs the tree's CLI where the deb puts the app (/opt/<productName>), named apart from the app.
    const cliDest = [...byDest.keys()].find((d) => d.startsWith('/usr/bin/'))!;
    expect(cliDest).toBe('/usr/bin/portwatch-cli');
    expect(cliDest).not.toBe(`/usr/bin/${config.linux.executableName}`);
    const launcher = readFileSync(join(REPO_ROOT, byDest.get(cliDest)!), 'utf8');
    const target = /exec node (\/opt\/Portwatch\/resources\/\S+)/.exec(launcher)![1]!;
    expect(existsSync(join(tree, target.replace('/opt/Portwatch/', '')))).toBe(true);
    expect(config.deb.depends).toContain('nodejs (>= 20.19)');
    // The AppImage carries the tree as is: the same resources/helper and resources/cli checked above.
    for (const e of config.linux.extraResources) expect(existsSync(join(resources, e.to.replace('${arch}', 'x64'))), e.to).toBe(true);
  });
});
