// `npm start`: Electron on the built app where the runtime exists; elsewhere one sentence and the same
// dashboard through `portwatch serve --open`. Both paths run for real: a stand-in Electron executable
// (through ELECTRON_OVERRIDE_DIST_PATH, which findElectron honours) and a stand-in browser opener.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { packageRoot, startPlan } from '../../electron/cli/start.js';

const ROOT = new URL('../../', import.meta.url).pathname.replace(/\/$/, '');
const START = join(ROOT, 'electron/cli/start.ts');
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pw-start-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function script(path: string, body: string): void {
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
}

describe('npm start', () => {
  it('finds the package root from the source and from the built layout', () => {
    expect(packageRoot()).toBe(ROOT);
    expect(packageRoot(join(ROOT, 'out/node/electron/cli'))).toBe(ROOT);
    expect(packageRoot('/')).toBeNull();
  });

  it('plans Electron on the built app when the runtime and the build exist, else says why not', () => {
    const dist = join(dir, 'dist');
    mkdirSync(dist);
    expect(startPlan({ ELECTRON_OVERRIDE_DIST_PATH: dist }, ROOT)).toEqual({ fallback: `${join(dist, 'electron')} does not exist` });
    script(join(dist, 'electron'), 'exit 0');
    const app = join(dir, 'app');
    expect(startPlan({ ELECTRON_OVERRIDE_DIST_PATH: dist }, app)).toMatchObject({ fallback: expect.stringContaining('the desktop app is not built') });
    mkdirSync(join(app, 'out', 'main'), { recursive: true });
    writeFileSync(join(app, 'out', 'main', 'index.js'), '');
    expect(startPlan({ ELECTRON_OVERRIDE_DIST_PATH: dist }, app)).toEqual({ electron: join(dist, 'electron'), app });
  });

  it('without the runtime: says so in one sentence and serves the dashboard, opening it in the browser', async () => {
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    const opened = join(dir, 'opened');
    script(join(bin, 'xdg-open'), `echo "$1" > '${opened}'`);
    const child = spawn(process.execPath, ['--import', 'tsx', START, '--port', '0'], {
      cwd: ROOT,
      env: { ...process.env, PATH: bin, ELECTRON_OVERRIDE_DIST_PATH: join(dir, 'no-runtime') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const end = Date.now() + 30_000;
    // The opener's whole line (the shell creates the file before echo writes it).
    const openerDone = (): boolean => existsSync(opened) && readFileSync(opened, 'utf8').endsWith('\n');
    while (!openerDone() && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    // SIGINT right after the opener ran, as a user's Ctrl-C may come: serve stops cleanly (status 0). It
    // used to listen for SIGINT only once the opener's spawn had been reported, so under load this
    // signal met Node's default and killed it (status null).

    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    const url = /Portwatch dashboard: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out)?.[1];
    expect(url).toBeDefined();
    // The opener gets a private redirect file (the token never shows in a process list), pointing at the URL.
    const openedUrl = readFileSync(opened, 'utf8').trim();
    expect(openedUrl).toMatch(/^file:\/\/.*\/open\.html$/);
    expect(readFileSync(new URL(openedUrl), 'utf8')).toContain(`url=${url!.replace(/&/g, '&amp;')}"`);
    const sentence = err.split('\n').filter((l) => l.startsWith("Electron's runtime"));
    expect(sentence).toEqual([
      `Electron's runtime is not available here (${join(dir, 'no-runtime', 'electron')} does not exist), so Portwatch opens the same dashboard in your browser instead (portwatch serve --open).`,
    ]);
    expect(code).toBe(0);
  });

  it('stops cleanly on a Ctrl-C that comes while the browser is being opened', async () => {
    // The stand-in opener sends SIGINT to serve the moment it starts. Before serve listened for it at
    // once, this killed serve outright (status null) about 4 times in 10; five rounds catch that.
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    script(join(bin, 'xdg-open'), 'kill -INT $PPID');
    for (let round = 0; round < 5; round++) {
      const child = spawn(process.execPath, ['--import', 'tsx', START, '--port', '0'], {
        cwd: ROOT,
        env: { ...process.env, PATH: `${bin}:/usr/bin:/bin`, ELECTRON_OVERRIDE_DIST_PATH: join(dir, 'no-runtime') },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let err = '';
      child.stderr.on('data', (d) => (err += d));
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((r) => child.once('exit', (c, s) => r([c, s])));
      clearTimeout(timer);
      expect({ round, code, signal }, err).toEqual({ round, code: 0, signal: null });
    }
  });

  const built = existsSync(join(ROOT, 'out/main/index.js'));
  it.skipIf(!built)(`with the runtime: launches Electron on the app folder and passes its exit status on${built ? '' : ' [skipped: out/main/index.js is not built; npm run build]'}`, async () => {
    const dist = join(dir, 'dist');
    mkdirSync(dist);
    const args = join(dir, 'args');
    script(join(dist, 'electron'), `printf '%s\\n' "$@" > '${args}'; exit 7`);
    // Started from another folder: the app is found by its path, not by the working directory.
    const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), START, '--hidden'], { cwd: tmpdir(), env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: dist }, stdio: 'ignore' });
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(code).toBe(7);
    expect(readFileSync(args, 'utf8').trim().split('\n')).toEqual([ROOT, '--hidden']);
  });
});
