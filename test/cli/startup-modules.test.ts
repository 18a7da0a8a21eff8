// The CLI loads only what its command needs (issue 13's start-up goal): Node's own modules loaded by the
// built CLI, read from process.moduleLoadList at exit. A one-shot `check` on Linux runs no command and no
// tracer, so child_process (with net and dgram behind it, a tenth of its start-up) must not load;
// `--version` loads no engine and no fs/promises. The speed itself is measured in `npm run bench startup`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../netns/portwatch-cli.js';

const CLI = join(REPO_ROOT, 'out/node/electron/cli/portwatch.js');
const built = existsSync(CLI);
if (!built && process.env.CI === 'true') throw new Error(`startup-modules test cannot run: ${CLI} is not built (npm run build:node)`);

/** Preloaded with -r: writes the built-in modules loaded by exit, one per line, to the file named by PW_LOADED. */
const RECORDER = `process.on('exit', () => require('node:fs').writeFileSync(process.env.PW_LOADED, process.moduleLoadList.join('\\n')));`;

/** Built-in modules loaded by `node -r recorder <argv>`, with the exit status and stderr. */
function loadedBy(argv: string[]): { status: number | null; stderr: string; modules: Set<string> } {
  const dir = mkdtempSync(join(tmpdir(), 'pw-startup-'));
  const recorder = join(dir, 'recorder.cjs');
  const out = join(dir, 'loaded.txt');
  writeFileSync(recorder, RECORDER);
  const r = spawnSync(process.execPath, ['-r', recorder, ...argv], { encoding: 'utf8', env: { ...process.env, PW_LOADED: out, NO_COLOR: '1' }, timeout: 60_000 });
  const list = existsSync(out) ? readFileSync(out, 'utf8').split('\n') : [];
  return { status: r.status, stderr: r.stderr, modules: new Set(list.map((l) => l.replace(/^NativeModule /, ''))) };
}

/**
 * What the CLI loads beyond an ES module that imports node:fs and prints a line: Node versions differ in
 * what that much loads by itself (Node 24 loads os for it), which is not the CLI's doing.
 */
function loadedByCli(args: string[]): { status: number | null; stderr: string; modules: Set<string> } {
  const dir = mkdtempSync(join(tmpdir(), 'pw-startup-base-'));
  const base = join(dir, 'base.mjs');
  writeFileSync(base, "import { readFileSync } from 'node:fs';\nprocess.stdout.write(String(typeof readFileSync) + '\\n');\n");
  const baseline = loadedBy([base]).modules;
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
    expect(r.modules.size).toBeGreaterThan(0);
    expect(r.modules.has('child_process')).toBe(false);
    expect(r.modules.has('os')).toBe(false);
    expect(r.modules.has('perf_hooks')).toBe(false);
  });
});
