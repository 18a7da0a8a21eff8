// A fake macOS for the helper's store: a command runner that records every argv and answers
// `/usr/sbin/sysctl -n key` and `/usr/sbin/sysctl -w key=value` the way macOS does (captured layout:
// test/fixtures/darwin/sysctl-*.txt), with a kernel that clamps portrange values into [1024, 65535] and
// does not check first ≤ last. The values may live in a JSON file so that a killed helper process and the
// next one see the same "kernel". This runner is the only fake: everything else is the real helper.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HelperRunner, RunResult } from '../../electron/helper/command-runner.js';

/** The kernel values of the fake Mac. */
export type MacValues = Record<string, number>;

/** What the fake Mac lets a test change. */
export interface FakeMacOptions {
  values?: MacValues;
  /** Keep the values in this JSON file (for helper processes that are killed). */
  stateFile?: string;
  /** The value the kernel keeps when `value` is written (default: the real clamp of portrange into [1024, 65535]). */
  clamp?: (key: string, value: number) => number;
  /** Makes the write of `key=value` fail (exit status 1, sysctl's message on stderr). */
  failWrite?: (key: string, value: number) => boolean;
}

/** test/fixtures (a bundled copy of this file is told where they are). */
export const FIXTURES_DIR = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** The values of a Mac as the captured `sysctl -a | grep portrange` and `sysctl net.inet.tcp.msl` show them. */
export function capturedMacValues(fixtures = FIXTURES_DIR): MacValues {
  const text = ['sysctl-portrange.txt', 'sysctl-msl.txt'].map((f) => readFileSync(join(fixtures, 'darwin', f), 'utf8')).join('\n');
  const out: MacValues = {};
  for (const m of text.matchAll(/^([a-z.]+): (\d+)$/gm)) out[m[1]!] = Number(m[2]);
  return out;
}

const realClamp = (key: string, v: number): number => (/portrange\.(first|last|hifirst|hilast)$/.test(key) ? Math.min(65535, Math.max(1024, v)) : v);

/** A fake Mac: its runner, the argv it was given, and its values. */
export function createFakeMac(opts: FakeMacOptions = {}) {
  let values: MacValues = { ...(opts.values ?? (opts.stateFile && existsSync(opts.stateFile) ? {} : capturedMacValues())) };
  const calls: string[][] = [];
  const load = (): void => {
    if (opts.stateFile) {
      try {
        values = JSON.parse(readFileSync(opts.stateFile, 'utf8')) as MacValues;
      } catch {
        // first use: the file does not exist yet
      }
    }
  };
  const save = (): void => {
    if (opts.stateFile) writeFileSync(opts.stateFile, JSON.stringify(values));
  };
  if (opts.stateFile) {
    load();
    save();
  }
  const answer = (stdout: string, stderr = '', exitCode: number | null = 0): RunResult => ({ stdout: Buffer.from(stdout), stderr: Buffer.from(stderr), exitCode });
  const runner: HelperRunner = async (file, args) => {
    calls.push([file, ...args]);
    load();
    if (file !== '/usr/sbin/sysctl') throw Object.assign(new Error(`spawn ${file} ENOENT`), { code: 'ENOENT' });
    if (args[0] === '-n' && args.length === 2) {
      const v = values[args[1]!];
      return v === undefined ? answer('', `sysctl: unknown oid '${args[1]}'\n`, 1) : answer(`${v}\n`);
    }
    if (args[0] === '-w' && args.length >= 2) {
      let out = '';
      for (const a of args.slice(1)) {
        const m = /^([a-z.]+)=(\d+)$/.exec(a);
        if (!m || values[m[1]!] === undefined) return answer(out, `sysctl: unknown oid '${a.split('=')[0]}'\n`, 1);
        const key = m[1]!;
        const wanted = Number(m[2]);
        if (opts.failWrite?.(key, wanted)) return answer(out, `sysctl: ${key}=${wanted}: Operation not permitted\n`, 1);
        const old = values[key]!;
        values[key] = (opts.clamp ?? realClamp)(key, wanted);
        save();
        out += `${key}: ${old} -> ${values[key]}\n`;
      }
      return answer(out);
    }
    return answer('', 'usage: sysctl [-bdehiNnoqx] name[=value] ...\n', 1);
  };
  return {
    runner,
    calls,
    get values(): MacValues {
      load();
      return { ...values };
    },
  };
}
