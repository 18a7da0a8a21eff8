// The packaging configuration, checked with electron-builder's own loader and schema (packaging itself
// downloads Electron and runs on hosted CI), and against what the issue asks.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const REPO = new URL('../../', import.meta.url).pathname;
const CONFIG = 'build/electron-builder.yml';
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  getConfig(projectDir: string, configPath: string, extra: null): Promise<Record<string, unknown>>;
  validateConfiguration(config: unknown, debug: { isEnabled: boolean; add(): void }): Promise<void>;
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Config = any;
const load = (): Promise<Config> => getConfig(REPO, CONFIG, null);
const debug = { isEnabled: false, add: () => undefined };

describe('electron-builder configuration', () => {
  it('passes electron-builder\'s own schema', async () => {
    await expect(validateConfiguration(await load(), debug)).resolves.toBeUndefined();
  });

  it('would be refused with a misspelt option (the check is real)', async () => {
    const c = await load();
    c.linux.categroy = 'Network';
    await expect(validateConfiguration(c, debug)).rejects.toThrow(/configuration\.linux/);
  });

  it('builds AppImage and deb for Linux, dmg for macOS, NSIS for Windows, as io.portwatch.app', async () => {
    const c = await load();
    expect(c.appId).toBe('io.portwatch.app');
    expect(c.productName).toBe('Portwatch');
    expect(c.linux.target).toEqual(['AppImage', 'deb']);
    expect(c.mac.target).toEqual(['dmg']);
    expect(c.win.target).toEqual(['nsis']);
  });

  it('puts the app in the Network and System categories with a desktop entry', async () => {
    const c = await load();
    expect(c.linux.category).toBe('Network');
    expect(c.linux.desktop.entry).toMatchObject({ Name: 'Portwatch', Categories: 'Network;System;Monitor;' });
    expect(c.deb.packageCategory).toBe('net');
  });

  it('flips fuses after packing, with the hook file that exists', async () => {
    const c = await load();
    expect(c.afterPack).toBe('build/after-pack.cjs');
    expect(existsSync(join(REPO, c.afterPack))).toBe(true);
  });

  it('packs the built app, the socket reader unpacked from the archive, and the tray icons', async () => {
    const c = await load();
    // electron-builder's loader normalises the list into one filter.
    expect(c.files[0].filter).toEqual(expect.arrayContaining(['package.json', 'out/main/**', 'out/preload/**', 'out/renderer/**', 'build/Release/sock_diag.node', 'build/icons/tray/*.png']));
    expect(c.asarUnpack).toEqual(['build/Release/sock_diag.node']);
    expect(c.asar).toBe(true);
  });

  it('names icons and entitlements that exist', async () => {
    const c = await load();
    for (const p of [c.linux.icon, c.mac.icon, c.win.icon, c.nsis.installerIcon, c.mac.entitlements]) expect(existsSync(join(REPO, p)), p).toBe(true);
    expect(readFileSync(join(REPO, c.mac.entitlements), 'utf8')).toContain('com.apple.security.cs.allow-jit');
    expect(c.mac.hardenedRuntime).toBe(true);
  });

  it('makes the test build from the same configuration, only with the test afterPack hook', async () => {
    const { normalizeOptions } = require('electron-builder/out/builder.js') as { normalizeOptions(a: unknown): { config: Record<string, unknown> } };
    const o = normalizeOptions({ config: [CONFIG, { afterPack: 'build/after-pack-test.cjs' }], dir: true });
    const test = await getConfig(REPO, null as unknown as string, o.config as never);
    const release = await load();
    expect({ ...test, afterPack: release.afterPack, extends: undefined }).toEqual({ ...release, extends: undefined });
    expect(test.afterPack).toBe('build/after-pack-test.cjs');
  });

  it('is what the package scripts package with', () => {
    const scripts = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.dist).toContain(`--config ${CONFIG}`);
    expect(scripts['dist:test']).toContain(`--config ${CONFIG} --config.afterPack=build/after-pack-test.cjs`);
    expect(existsSync(join(REPO, 'build/after-pack-test.cjs'))).toBe(true);
  });
});
