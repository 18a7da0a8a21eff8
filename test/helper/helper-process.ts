// Runs the privileged helper as a real process, the way Portwatch does: one bundled JS file (as shipped),
// started with argv (no shell), inside a network namespace when one is given (`ip netns exec NS node
// helper.mjs …`, so it writes that namespace's /proc/sys), with a temporary directory standing in for
// the sysctl configuration root and for the state directory.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { HELPER_RESULT_PREFIX, parseHelperResult, type HelperPlanDocument, type HelperResult } from '../../electron/common/tuning.js';
import type { Namespace } from '../netns/netns.js';
import { writeFile } from 'node:fs/promises';

/** The helper's TypeScript entry point. */
export const HELPER_ENTRY = fileURLToPath(new URL('../../electron/helper/portwatch-helper.ts', import.meta.url));

let bundled: Promise<string> | undefined;

/** The helper bundled into one ESM file (built once per test process). */
export function helperBundle(): Promise<string> {
  bundled ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pw-helper-bundle-'));
    const out = join(dir, 'portwatch-helper.mjs');
    await build({ entryPoints: [HELPER_ENTRY], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: out, logLevel: 'silent' });
    return out;
  })();
  return bundled;
}

/**
 * Any test script bundled into one ESM file inside the repository (so that native packages such as
 * node-pty, left external, still resolve from node_modules); no tsx loader at run time.
 */
export async function bundleScript(entry: string, name: string): Promise<string> {
  const dir = fileURLToPath(new URL(`../../node_modules/.cache/pw-test-bundles/${process.pid}/`, import.meta.url));
  await mkdir(dir, { recursive: true });
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const out = join(dir, `${name}.mjs`);
  await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: out, external: ['node-pty'], logLevel: 'silent' });
  return out;
}

/** A temporary system for one test: configuration root (with etc/sysctl.d) and state directory. */
export interface TestRoot {
  dir: string;
  configRoot: string;
  stateDir: string;
  /** The drop-in's real path inside the configuration root. */
  dropIn: string;
  /** Environment that points the helper at this root. */
  env: Record<string, string>;
  /** Writes a plan file (mode 0600) and returns its path. */
  writePlan(doc: HelperPlanDocument | unknown, name?: string): Promise<string>;
  remove(): Promise<void>;
}

/** Creates a TestRoot. */
export async function createTestRoot(): Promise<TestRoot> {
  const dir = await mkdtemp(join(tmpdir(), 'pw-helper-root-'));
  const configRoot = join(dir, 'root');
  const stateDir = join(dir, 'state');
  await mkdir(join(configRoot, 'etc', 'sysctl.d'), { recursive: true });
  const plans = join(dir, 'plans');
  await mkdir(plans, { mode: 0o700 });
  let n = 0;
  return {
    dir,
    configRoot,
    stateDir,
    dropIn: join(configRoot, 'etc', 'sysctl.d', '60-portwatch.conf'),
    env: { PORTWATCH_HELPER_CONFIG_ROOT: configRoot, PORTWATCH_HELPER_STATE_DIR: stateDir },
    async writePlan(doc, name = `plan-${++n}.json`) {
      const p = join(plans, name);
      await writeFile(p, typeof doc === 'string' ? doc : JSON.stringify(doc), { mode: 0o600 });
      return p;
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** A helper process that is running or has ended. */
export interface HelperProcess {
  readonly pid: number;
  /** Everything it printed so far. */
  readonly output: string;
  /** Every result line so far, parsed. */
  readonly results: HelperResult[];
  /** Resolves with the first result (seen or to come) matching; rejects on exit or timeout. */
  waitForResult(match: (r: HelperResult) => boolean, timeoutMs: number): Promise<HelperResult>;
  /** Writes a line to its stdin. */
  type(line: string): void;
  /** Closes its stdin (as when the app that ran it goes away). */
  closeStdin(): void;
  kill(signal: NodeJS.Signals): void;
  /** Resolves when it has ended (SIGKILLs it after timeoutMs). */
  wait(timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Options for one helper run. */
export interface HelperRunOptions {
  ns?: Namespace;
  env?: Record<string, string>;
  /** Wrap the command (e.g. ['strace', '-f', '-e', 'trace=execve', '-o', FILE]). */
  wrapper?: string[];
  /** Another bundled entry point to run instead of the helper's own (see bundleScript). */
  bundle?: string;
}

/** Starts `portwatch-helper argv…` (bundled) and returns at once. */
export async function startHelper(argv: readonly string[], opts: HelperRunOptions = {}): Promise<HelperProcess> {
  const bundle = opts.bundle ?? (await helperBundle());
  const inner = [...(opts.wrapper ?? []), process.execPath, bundle, ...argv];
  const full = opts.ns ? ['ip', 'netns', 'exec', opts.ns.name, ...inner] : inner;
  const child = spawn(full[0]!, full.slice(1), {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...opts.env },
  });
  if (child.pid === undefined) throw new Error(`cannot start ${full.join(' ')}`);
  let output = '';
  const results: HelperResult[] = [];
  const waiters = new Set<() => void>();
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const onText = (d: Buffer): void => {
    output += d.toString('utf8');
    results.length = 0;
    for (const line of output.split('\n')) {
      if (!line.startsWith(HELPER_RESULT_PREFIX)) continue;
      try {
        const v = parseHelperResult(JSON.parse(line.slice(HELPER_RESULT_PREFIX.length)));
        if (v.ok) results.push(v.value);
      } catch {
        // an incomplete last line: parsed on the next chunk
      }
    }
    for (const w of [...waiters]) w();
  };
  child.stdout.on('data', onText);
  child.stderr.on('data', onText);
  child.stdin.on('error', () => {});
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => {
      exit = { code, signal };
      for (const w of [...waiters]) w();
      resolve(exit);
    });
  });
  return {
    pid: child.pid,
    get output() {
      return output;
    },
    results,
    waitForResult(match, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const r = results.find(match);
          if (r) {
            done();
            resolve(r);
          } else if (exit) {
            done();
            reject(new Error(`helper ended (${exit.code ?? exit.signal}) without the result awaited:\n${output.slice(-3000)}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no matching helper result within ${timeoutMs} ms:\n${output.slice(-3000)}`));
        }, timeoutMs);
        const done = (): void => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    type(line) {
      child.stdin.write(`${line}\n`);
    },
    closeStdin() {
      child.stdin.end();
    },
    kill(signal) {
      if (!exit) child.kill(signal);
    },
    async wait(timeoutMs = 30_000) {
      const t = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      try {
        return await exited;
      } finally {
        clearTimeout(t);
      }
    },
  };
}

/** Runs the helper to the end; stdin is closed at once unless `input` lines are given. */
export async function runHelperToEnd(
  argv: readonly string[],
  opts: HelperRunOptions & { input?: string[]; timeoutMs?: number } = {},
): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string; results: HelperResult[]; last: HelperResult | null }> {
  const p = await startHelper(argv, opts);
  for (const line of opts.input ?? []) p.type(line);
  p.closeStdin();
  const { code, signal } = await p.wait(opts.timeoutMs ?? 30_000);
  return { code, signal, output: p.output, results: [...p.results], last: p.results[p.results.length - 1] ?? null };
}
