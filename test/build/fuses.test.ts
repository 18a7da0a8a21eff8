// The fuses: what release and test builds set, and the afterPack hook flipping them for real in a binary
// that carries Electron's fuse wire (a stand-in file: the sentinel, the wire version and length, one byte
// per fuse, as in Electron's own executables).
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const { FuseV1Options, FuseVersion, getCurrentFuseWire } = require('@electron/fuses') as typeof import('@electron/fuses');
const { SENTINEL, FuseState } = require('@electron/fuses/dist/constants.js') as { SENTINEL: string; FuseState: Record<string, number> };
const { fuseConfig } = require('../../build/fuses.cjs') as { fuseConfig(o: { testBuild: boolean }): Record<string, unknown> };
const afterPack = require('../../build/after-pack.cjs') as ((ctx: unknown) => Promise<void>) & { electronBinaryPath(ctx: unknown): string };
const afterPackTest = require('../../build/after-pack-test.cjs') as (ctx: unknown) => Promise<void>;

const ENABLE = FuseState.ENABLE!;
const DISABLE = FuseState.DISABLE!;
const FUSES = 8;

/** A file with Electron's fuse wire, every fuse enabled (as a stock Electron ships RunAsNode and friends). */
function fakeElectron(path: string): void {
  const wire = Buffer.concat([Buffer.from('...binary...'), Buffer.from(SENTINEL, 'latin1'), Buffer.from([1, FUSES]), Buffer.alloc(FUSES, ENABLE), Buffer.from('...more...')]);
  writeFileSync(path, wire);
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pw-fuses-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const context = (platform: string, arch = 1) => ({
  appOutDir: dir,
  electronPlatformName: platform,
  arch,
  packager: { appInfo: { productFilename: 'Portwatch' }, executableName: 'portwatch' },
});

async function wire(path: string): Promise<Record<number, number>> {
  const w = (await getCurrentFuseWire(path)) as unknown as Record<number, number>;
  return Object.fromEntries(Array.from({ length: FUSES }, (_, i) => [i, w[i]!]));
}

describe('fuses', () => {
  it('release: RunAsNode, NODE_OPTIONS and --inspect off; asar integrity and only-from-asar on; every fuse set explicitly', () => {
    const c = fuseConfig({ testBuild: false });
    expect(c).toEqual({
      version: FuseVersion.V1,
      strictlyRequireAllFuses: true,
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
      [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
    });
  });

  it('a test build differs from a release build in the --inspect fuse only', () => {
    const release = fuseConfig({ testBuild: false });
    const test = fuseConfig({ testBuild: true });
    const differing = Object.keys(release).filter((k) => release[k] !== test[k]);
    expect(differing).toEqual([String(FuseV1Options.EnableNodeCliInspectArguments)]);
    expect(test[FuseV1Options.EnableNodeCliInspectArguments]).toBe(true);
  });

  it('the afterPack hook flips the fuses in the packaged Linux executable', async () => {
    const exe = join(dir, 'portwatch');
    fakeElectron(exe);
    await afterPack(context('linux'));
    expect(await wire(exe)).toEqual({ 0: DISABLE, 1: ENABLE, 2: DISABLE, 3: DISABLE, 4: ENABLE, 5: ENABLE, 6: DISABLE, 7: DISABLE });
  });

  it('the test-build hook leaves only --inspect on (here in a Windows executable)', async () => {
    const exe = join(dir, 'Portwatch.exe');
    fakeElectron(exe);
    await afterPackTest(context('win32'));
    expect(await wire(exe)).toEqual({ 0: DISABLE, 1: ENABLE, 2: DISABLE, 3: ENABLE, 4: ENABLE, 5: ENABLE, 6: DISABLE, 7: DISABLE });
  });

  it('finds the fuse wire inside the macOS framework of the .app', async () => {
    const fw = join(dir, 'Portwatch.app', 'Contents', 'Frameworks', 'Electron Framework.framework');
    mkdirSync(fw, { recursive: true });
    fakeElectron(join(fw, 'Electron Framework'));
    expect(afterPack.electronBinaryPath(context('darwin'))).toBe(join(dir, 'Portwatch.app'));
    await afterPack(context('darwin'));
    expect((await wire(join(dir, 'Portwatch.app')))[0]).toBe(DISABLE);
  });

  it('fails the build when the binary has no fuse wire', async () => {
    writeFileSync(join(dir, 'portwatch'), 'not electron');
    await expect(afterPack(context('linux'))).rejects.toThrow(/sentinel/);
  });
});
