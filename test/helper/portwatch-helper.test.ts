// The helper's entry point against hostile command lines: 10,000 fuzzed argument vectors run in-process and
// a few hundred as real processes inside a namespace. None is accepted and nothing is written: the bytes
// and mtimes of every file the helper could touch stay the same, and so do the namespace's live values.
// Plus: a trace of every program the helper executes (strace), which must be node itself and nothing else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { spawnSync } from 'node:child_process';
import { cp, mkdir, readFile, realpath, rm } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { HELPER_EXIT, type HelperResult } from '../../electron/common/tuning.js';
import { runHelper } from '../../electron/helper/portwatch-helper.js';
import { describeNetns } from '../netns/describe-netns.js';
import { createNamespace, type Namespace } from '../netns/netns.js';
import { createTestRoot, helperBundle, runHelperToEnd, startHelper, type TestRoot } from './helper-process.js';
import { fingerprint, readWorld } from './world.js';

const TXID = /^\d{8}T\d{6}Z-[0-9a-f]{6}$/;

/** An oracle written independently of argv.ts: the only vectors the grammar may accept. */
function grammaticallyValid(v: readonly string[]): boolean {
  if (v.length === 1) return v[0] === 'status' || v[0] === 'recover';
  if (v.length === 2 && (v[0] === 'confirm' || v[0] === 'revert')) return TXID.test(v[1]!);
  return false;
}

const VERBS = ['apply', 'revert', 'confirm', 'status', 'recover'];
const nasty = fc.constantFrom(
  '', ' ', '-', '--', '-h', '--help', '--plan', '-rf', '/', '.', '..', '/etc/shadow', '/etc/passwd', '/proc/self/environ', '/dev/zero', '/dev/stdin',
  '../../etc/passwd', 'plan.json', './plan.json', '~/plan.json', '/tmp/../etc/shadow', '/tmp/./x', '/tmp//x', '/tmp/x/', '$(id)', '`id`', ';id', '&& id', '| sh',
  'a\nb', 'a\0b', '\u202e', 'ＡＰＰＬＹ', 'Status', 'STATUS', ' status', 'status ', 'apply\t', '20261124T101500Z-A1B2C3', '20261124T101500Z-a1b2c', '20261124T101500Z-a1b2c34',
  'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_tw_recycle=1', '1024 65535', 'sh', '/bin/sh', '-c', 'write', 'exec', 'apply /tmp/p.json',
);
const word = fc.oneof(nasty, fc.string({ maxLength: 30 }), fc.string({ unit: 'grapheme', maxLength: 20 }), fc.string({ unit: 'binary', maxLength: 20 }), fc.constantFrom(...VERBS));
const txidish = fc.tuple(fc.integer({ min: 0, max: 99999999 }), fc.integer({ min: 0, max: 999999 }), fc.string({ maxLength: 7 })).map(([d, t, h]) => `${String(d).padStart(8, '0')}T${String(t).padStart(6, '0')}Z-${h}`);
const vectors: fc.Arbitrary<string[]> = fc
  .oneof(
    fc.array(word, { maxLength: 5 }),
    fc.tuple(fc.constantFrom(...VERBS), fc.array(word, { minLength: 0, maxLength: 4 })).map(([v, rest]) => [v, ...rest]),
    fc.tuple(fc.constantFrom('revert', 'confirm'), txidish).map(([v, t]) => [v, t]),
    fc.tuple(fc.constantFrom('status', 'recover'), word).map(([v, w]) => [v, w]),
    fc.tuple(fc.constantFrom('apply'), fc.oneof(nasty, fc.string({ maxLength: 40 }).map((s) => `/nonexistent/${s}`))).map(([v, p]) => [v, p]),
    fc.tuple(fc.constantFrom(...VERBS), fc.string({ maxLength: 3 }).map((s) => `-${s}`)).map(([v, o]) => [v, o]),
  )
  .filter((v) => !grammaticallyValid(v));

describe('portwatch-helper against 10,000 fuzzed command lines (in-process)', () => {
  let root: TestRoot;
  let proc: string;
  beforeAll(async () => {
    root = await createTestRoot();
    // A copy of this machine's sysctl files as the proc root: what a successful run would write.
    proc = join(root.dir, 'proc');
    await mkdir(join(proc, 'sys', 'net', 'ipv4'), { recursive: true });
    for (const k of ['ip_local_port_range', 'ip_local_reserved_ports', 'tcp_tw_reuse', 'ip_unprivileged_port_start']) {
      await cp(`/proc/sys/net/ipv4/${k}`, join(proc, 'sys', 'net', 'ipv4', k));
    }
    await mkdir(root.stateDir, { recursive: true });
  });
  afterAll(async () => {
    await root?.remove();
  });

  it('accepts none of them and writes nothing', async () => {
    const env = { ...root.env, PORTWATCH_HELPER_PROC: proc };
    const before = await fingerprint(root.dir);
    const samples = fc.sample(vectors, { numRuns: 10_000, seed: 20261124 });
    expect(samples.length).toBe(10_000);
    const outcomes = new Map<string, number>();
    for (const argv of samples) {
      const lines: string[] = [];
      const results: HelperResult[] = [];
      const code = await runHelper(argv, env, {
        out: { say: (l) => lines.push(l), result: (r) => results.push(r), alive: true },
        stdin: null,
        euid: 0,
        signals: new EventEmitter(),
      });
      if (code !== HELPER_EXIT.refused || results.length !== 1 || results[0]!.outcome !== 'refused') {
        throw new Error(`accepted ${JSON.stringify(argv)} (exit ${code}): ${lines.join(' | ')}`);
      }
      // Never echo the content of a file it was pointed at.
      expect(lines.join('\n')).not.toMatch(/root:.*:0:0:|PATH=/);
      const why = results[0]!.message.replace(/".*"|\d+/g, '…').slice(0, 60);
      outcomes.set(why, (outcomes.get(why) ?? 0) + 1);
    }
    expect(await fingerprint(root.dir)).toEqual(before);
    // The vectors reach many different refusals, not just one.
    expect(outcomes.size).toBeGreaterThan(10);
  });

  it('reading a file that is not a plan never echoes its content', async () => {
    const lines: string[] = [];
    const results: HelperResult[] = [];
    for (const p of ['/etc/passwd', '/proc/self/environ', '/etc/hostname']) {
      await runHelper(['apply', p], { ...root.env, PORTWATCH_HELPER_PROC: proc }, { out: { say: (l) => lines.push(l), result: (r) => results.push(r), alive: true }, stdin: null, euid: 0, signals: new EventEmitter() });
    }
    const secret = (await readFile('/etc/passwd', 'utf8')).split('\n')[0]!;
    expect(JSON.stringify({ lines, results })).not.toContain(secret);
    expect(results.map((r) => r.outcome)).toEqual(['refused', 'refused', 'refused']);
  });
});

describeNetns('portwatch-helper as a real process', () => {
  let ns: Namespace;
  let root: TestRoot;
  beforeAll(async () => {
    await helperBundle();
    ns = await createNamespace('fuzz');
    root = await createTestRoot();
  });
  afterAll(async () => {
    await ns?.destroy();
    await root?.remove();
  });

  it('refuses 300 fuzzed command lines inside a namespace, writing nothing', async () => {
    const world = await readWorld(ns, root);
    const before = await fingerprint(root.dir);
    // execve cannot pass a NUL byte inside an argument: those vectors exist only in-process.
    const samples = fc.sample(vectors.filter((v) => v.every((a) => !a.includes('\0'))), { numRuns: 300, seed: 7 });
    const queue = [...samples];
    const failures: string[] = [];
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let argv = queue.shift(); argv; argv = queue.shift()) {
          const r = await runHelperToEnd(argv, { ns, env: root.env, timeoutMs: 20_000 });
          if (r.code !== HELPER_EXIT.refused || r.last?.outcome !== 'refused') failures.push(`${JSON.stringify(argv)} → ${r.code ?? r.signal}: ${r.output.slice(-300)}`);
        }
      }),
    );
    expect(failures).toEqual([]);
    expect(await readWorld(ns, root)).toEqual(world);
    expect(await fingerprint(root.dir)).toEqual(before);
  }, 240_000); // 300 helper processes: about 15 s on an idle machine, several times that on a shared one

  it('never executes anything but itself: strace sees one execve per run, node', async () => {
    if (spawnSync('strace', ['-V']).error) {
      if (process.env.CI === 'true') throw new Error('strace is required in CI for the no-shell trace');
      return;
    }
    const node = await realpath(process.execPath);
    const trace = join(root.dir, 'trace');
    const wrap = (name: string) => ['strace', '-f', '-qq', '-e', 'trace=execve,execveat', '-o', `${trace}.${name}`];
    const plan = await root.writePlan({
      kind: 'portwatch-helper-plan',
      schema: 1,
      settings: [
        { key: 'net.ipv4.ip_local_reserved_ports', ranges: [{ low: 40100, high: 40100 }] },
        { key: 'net.ipv4.ip_local_port_range', low: 32768, high: 65535 },
        { key: 'net.ipv4.tcp_tw_reuse', value: 1 },
      ],
      confirmTimeoutSec: 30,
    });
    const apply = await startHelper(['apply', plan], { ns, env: root.env, wrapper: wrap('apply') });
    const waiting = await apply.waitForResult((r) => r.outcome === 'awaiting-confirm', 20_000);
    apply.type('keep');
    await apply.waitForResult((r) => r.outcome === 'kept', 20_000);
    await apply.wait();
    const runs: [string, string[]][] = [
      ['status', ['status']],
      ['revert', ['revert', waiting.txid!]],
      ['recover', ['recover']],
      ['refused', ['sh', '-c', 'id']],
    ];
    for (const [name, argv] of runs) await runHelperToEnd(argv, { ns, env: root.env, wrapper: wrap(name) });
    for (const name of ['apply', ...runs.map(([n]) => n)]) {
      const lines = (await readFile(`${trace}.${name}`, 'utf8')).split('\n').filter((l) => /execve/.test(l));
      const programs = lines.map((l) => /execve(?:at)?\((?:\d+, )?"([^"]+)"/.exec(l)?.[1] ?? l);
      expect(programs.length, `${name}: ${lines.join('\n')}`).toBe(1);
      expect([node, process.execPath]).toContain(programs[0]);
    }
    await rm(trace, { force: true });
  });
});
