// The CLI loads only what its command needs (issue 13's start-up goal): Node's own modules loaded by the
// built CLI, read from process.moduleLoadList at exit. A one-shot `check` on Linux runs no command and no
// tracer, so child_process (with net and dgram behind it, about 5 ms of its start-up) must not load;
// `--version` loads none of the engine's built-ins; and of the CLI's own modules, read through a module
// hook, a check loads only its own platform's readers and parsers. The speed itself is measured in
// `npm run bench startup`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../netns/portwatch-cli.js';

const CLI = join(REPO_ROOT, 'out/node/electron/cli/portwatch.js');
const built = existsSync(CLI);
if (!built && process.env.CI === 'true') throw new Error(`startup-modules test cannot run: ${CLI} is not built (npm run build:node)`);

/** Preloaded with -r: writes the built-in modules loaded by exit, one per line, to the file named by PW_LOADED. */
const RECORDER = `process.on('exit', () => require('node:fs').writeFileSync(process.env.PW_LOADED, process.moduleLoadList.join('\\n')));`;

interface Loaded {
  status: number | null;
  stderr: string;
  modules: Set<string>;
  /** How many modules the recorder wrote in all: 0 means it did not run. */
  recorded: number;
}

/** Built-in modules loaded by `node -r recorder <argv>`, with the exit status and stderr. */
function loadedBy(argv: string[]): Loaded {
  const dir = mkdtempSync(join(tmpdir(), 'pw-startup-'));
  try {
    const recorder = join(dir, 'recorder.cjs');
    const out = join(dir, 'loaded.txt');
    writeFileSync(recorder, RECORDER);
    const r = spawnSync(process.execPath, ['-r', recorder, ...argv], { encoding: 'utf8', env: { ...process.env, PW_LOADED: out, NO_COLOR: '1' }, timeout: 60_000 });
    const modules = new Set((existsSync(out) ? readFileSync(out, 'utf8').split('\n') : []).map((l) => l.replace(/^NativeModule /, '')));
    return { status: r.status, stderr: r.stderr, modules, recorded: modules.size };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

let baselineModules: Set<string> | undefined;

/**
 * What the CLI loads beyond an ES module that imports node:fs and prints a line: Node versions differ in
 * what that much loads by itself (Node 24 loads os for it), which is not the CLI's doing.
 */
function loadedByCli(args: string[]): Loaded {
  if (!baselineModules) {
    const dir = mkdtempSync(join(tmpdir(), 'pw-startup-base-'));
    try {
      const base = join(dir, 'base.mjs');
      writeFileSync(base, "import { readFileSync } from 'node:fs';\nprocess.stdout.write(String(typeof readFileSync) + '\\n');\n");
      baselineModules = loadedBy([base]).modules;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const baseline = baselineModules;
  const r = loadedBy([CLI, ...args]);
  return { ...r, modules: new Set([...r.modules].filter((m) => !baseline.has(m))) };
}

/** Registered with --import: records every file module the CLI loads, one URL per line, in PW_ESM_LOADED. */
const ESM_HOOKS = `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  if (url.startsWith('file:')) appendFileSync(process.env.PW_ESM_LOADED, url + '\\n');
  return next(url, context);
}`;

/** The project's own modules `node <argv>` loads (paths under out/node/electron/), with the exit status and stderr. */
function projectModulesLoadedBy(argv: string[]): Loaded {
  const dir = mkdtempSync(join(tmpdir(), 'pw-startup-esm-'));
  try {
    const hooks = join(dir, 'hooks.mjs');
    const register = join(dir, 'register.mjs');
    const out = join(dir, 'loaded.txt');
    writeFileSync(hooks, ESM_HOOKS);
    writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
    const r = spawnSync(process.execPath, ['--import', pathToFileURL(register).href, ...argv], { encoding: 'utf8', env: { ...process.env, PW_ESM_LOADED: out, NO_COLOR: '1' }, timeout: 60_000 });
    const urls = existsSync(out) ? readFileSync(out, 'utf8').split('\n').filter(Boolean) : [];
    const root = pathToFileURL(join(REPO_ROOT, 'out/node/electron')).href + '/';
    const modules = new Set(urls.filter((u) => u.startsWith(root)).map((u) => u.slice(root.length)));
    return { status: r.status, stderr: r.stderr, modules, recorded: urls.length };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.skipIf(!built || process.platform !== 'linux')('what the built CLI loads', () => {
  it("a one-shot check loads Linux's readers and parsers only, not macOS's or Windows'", () => {
    const r = projectModulesLoadedBy([CLI, 'check', '--interval', '0', '--no-owners', '--netns', 'self']);
    expect(r.status, r.stderr).not.toBe(3);
    expect(r.modules.has('cli/check.js'), `the hook saw the CLI's modules: ${[...r.modules].join(' ')}`).toBe(true);
    expect(r.modules.has('node/platform/linux/backend.js')).toBe(true);
    expect(r.modules.has('node/platform/linux/snapshot.js')).toBe(true);
    expect([...r.modules].filter((m) => /darwin|win32/.test(m))).toEqual([]);
  });

  it('a one-shot check loads no child_process', () => {
    const r = loadedByCli(['check', '--interval', '0', '--no-owners', '--netns', 'self']);
    expect(r.status, r.stderr).not.toBe(3);
    expect(r.modules.has('fs/promises'), 'the recorder saw the sample being read').toBe(true);
    expect(r.modules.has('child_process')).toBe(false);
    expect(r.modules.has('dgram')).toBe(false);
  });

  it('--version loads none of what sampling and commands need', () => {
    const r = loadedByCli(['--version']);
    expect(r.status).toBe(0);
    expect(r.recorded, 'the recorder ran').toBeGreaterThan(0);
    expect(r.modules.has('child_process')).toBe(false);
    expect(r.modules.has('os')).toBe(false);
    expect(r.modules.has('perf_hooks')).toBe(false);
  });
});
