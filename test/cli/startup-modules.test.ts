// The CLI loads only what its command needs (issue 13's start-up goal): Node's own modules loaded by the
// built CLI, read from process.moduleLoadList at exit. A one-shot `check` on Linux runs no command and no
// tracer, so child_process (with net and dgram behind it, about 5 ms of its start-up) must not load;
// `--version` loads none of the engine's built-ins. The speed itself is measured in `npm run bench startup`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

describe.skipIf(!built || process.platform !== 'linux')('what the built CLI loads', () => {
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
