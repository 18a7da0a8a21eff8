// The cost of the connect-failure tracer [goal: throughput with it ≥ 0.95 of without]. A C client
// (connect-load.c) makes connect()s as fast as one thread can in a namespace, for a fixed time, in
// interleaved rounds: without a tracer, then with each of Portwatch's two programs attached in turn
// (started before its part of the round, stopped after it, so "without" really has no probes): the
// default connect-failures.bt (the TCP state tracepoint) and syscall-failures.bt (--trace-syscalls). Three loads:
// - ok: connect/accept/close with SO_LINGER 0 to a local listener (every call succeeds): what every
//   connect() on the host pays (about 100,000 a second here);
// - exhausted: a range of 1,000 ports, every one held toward the listener, so every further connect()
//   fails with EADDRNOTAVAIL after the kernel has walked the range (__inet_hash_connect tries each port
//   and finds its 4-tuple taken), as it does in a real incident: tens of thousands of failures a second
//   (a full default range has 28,232 ports to try, 28 times as many);
// - fail: a range of 2 ports, both held: every connect() fails after trying 2 ports, the cheapest failure
//   there is (about 450,000 a second), so the tracer's fixed cost per failure is as large a share as it can
//   ever be. Not a rate a real incident reaches; reported as the bound of that cost.
// The goal is judged on the loads at tens of thousands of calls a second (ok, exhausted); the traced
// count is checked against the client's own in both failing loads.
// Each round runs its parts in mirrored order (without, default, syscalls, empty probes, then the same
// backwards), so a drift of the machine's speed within a round (this VM's CPUs slow down by 10-15 % over
// a few seconds of load) falls equally on every part; the client is pinned to the last CPU.
// Reported: calls per second (median of the rounds) and the ratio with/without (median of the rounds'
// ratios); the same per CPU second of the client (its own user + system time: the probes run inside its
// syscalls, so their cost is there, and other load on a shared machine does not move it the way it moves
// wall-clock throughput); and bpftrace's own CPU (utime + stime from /proc/<pid>/stat over the round, as
// a share of one CPU), which is reading and printing the kernel's counts once a second. The syscall
// program's row also runs the load with empty probes on the same four syscall tracepoints: the floor any
// tracer built on them pays (enabling a syscall tracepoint sends every syscall of every task through the
// tracing path), so what the program itself adds is the gap between that column and the tracer's.
// Environment: PW_BENCH_TRACER_ROUNDS (5), PW_BENCH_TRACER_SECONDS (3 per round), PW_BENCH_TRACER_LOADS
// (ok,exhausted,fail: which loads), PW_BENCH_TRACER_PROGRAM (another .bt than the shipped default, e.g. an older version
// to compare its traced / failed count).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConnectFailureTracer, tracerPreflight } from '../../electron/node/platform/linux/tracer/connect-failure-tracer.js';
import { buildConnectLoad, connectLoadUnavailable, runConnectLoad, type ConnectLoadResult } from '../netns/connect-load.js';
import { canUseNamespaces, createNamespace, type Namespace } from '../netns/netns.js';
import { stats } from './measure.js';

const envInt = (name: string, fallback: number): number => {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : fallback;
};
const ROUNDS = envInt('PW_BENCH_TRACER_ROUNDS', 5);
const SECONDS = Math.min(envInt('PW_BENCH_TRACER_SECONDS', 3), 30);
const PROGRAM = process.env.PW_BENCH_TRACER_PROGRAM;
type Mode = 'ok' | 'exhausted' | 'fail';
/** Each load: the namespace's range, how many connections the client holds first, its label. */
const MODES: Record<Mode, { range: string; hold: number; label: string }> = {
  ok: { range: '40000 40999', hold: 0, label: 'connect + close, all succeed' },
  exhausted: { range: '40000 40999', hold: 1000, label: 'connect fails (EADDRNOTAVAIL), a held 1,000-port range walked each time' },
  fail: { range: '40000 40001', hold: 2, label: 'connect fails (EADDRNOTAVAIL) at once, a held 2-port range: bound of the per-failure cost' },
};
const LOADS = (Object.keys(MODES) as Mode[]).filter((m) => (process.env.PW_BENCH_TRACER_LOADS ?? 'ok,exhausted,fail').split(',').includes(m));
/** Bound on calls per round, far above what one thread reaches in SECONDS. */
const MAX_CALLS = 5_000_000;

/** Runs one round of the load in the namespace (bounded by SECONDS and MAX_CALLS). */
function load(ns: Namespace, binary: string, mode: Mode, port: number): Promise<ConnectLoadResult> {
  const m = MODES[mode];
  return runConnectLoad(ns, binary, { port, seconds: SECONDS, maxCalls: MAX_CALLS, mode: m.hold > 0 ? 'fail' : 'ok', hold: m.hold, cpu: availableParallelism() - 1 });
}

/** utime + stime of a process, in clock ticks (fields 14 and 15 of /proc/<pid>/stat, after the comm). */
function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** The same four syscall tracepoints with empty bodies: what any tracer on them costs before doing anything. */
const FLOOR = 'tracepoint:syscalls:sys_enter_connect,tracepoint:syscalls:sys_enter_bind,tracepoint:syscalls:sys_exit_connect,tracepoint:syscalls:sys_exit_bind { }';

/** Runs the load with the empty probes attached. */
async function floorRound(ns: Namespace, binary: string, mode: Mode, port: number, bpftrace: string): Promise<ConnectLoadResult> {
  const child = spawn(bpftrace, ['-e', FLOOR], { stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('the empty probes did not attach within 60 s')), 60_000);
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        if (d.includes('Attaching')) {
          clearTimeout(t);
          resolve();
        }
      });
      child.once('exit', () => reject(new Error('bpftrace with the empty probes ended')));
    });
    return await load(ns, binary, mode, port);
  } finally {
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGINT');
    const t = setTimeout(() => child.kill('SIGKILL'), 5000);
    await gone;
    clearTimeout(t);
  }
}

/** One part of a round (two runs, mirrored in time): what the client did, and bpftrace's CPU share. */
interface Part {
  calls: number;
  seconds: number;
  cpu: number;
  tracerCpu: number;
  traced: number;
  failed: number;
}

type Kind = 'without' | 'floor' | Program;
type Program = 'default' | 'syscalls';
const PROGRAMS: readonly Program[] = ['default', 'syscalls'];
const ORDER: readonly Kind[] = ['without', 'default', 'syscalls', 'floor'];

type Round = Record<Kind, Part>;

/** The load with one of the programs attached. */
async function traced(ns: Namespace, binary: string, mode: Mode, port: number, ticksPerSec: number, program: Program): Promise<Part> {
  const tracer = new ConnectFailureTracer(program === 'syscalls' ? { syscalls: true } : PROGRAM ? { program: PROGRAM } : {});
  tracer.start();
  try {
    if (!(await tracer.waitAttached(60_000))) throw new Error(`the tracer did not attach: ${tracer.status().error ?? ''}`);
    const pid = tracer.pid!;
    const t0 = cpuTicks(pid);
    const w0 = performance.now();
    const on = await load(ns, binary, mode, port);
    const cpu = (cpuTicks(pid) - t0) / ticksPerSec / ((performance.now() - w0) / 1000);
    // bpftrace prints each second's counts at the end of that second (later on a busy machine): count
    // once the total has stayed the same for two seconds (at most 15 s).
    const total = (): number => tracer.snapshot().filter((f) => f.pid === on.pid).reduce((n, f) => n + f.count, 0);
    let count = total();
    for (let stable = 0, waited = 0; stable < 4 && waited < 30; waited++) {
      await new Promise((r) => setTimeout(r, 500));
      const now = total();
      stable = now === count ? stable + 1 : 0;
      count = now;
    }
    return { calls: on.calls, seconds: on.seconds, cpu: on.cpu, tracerCpu: cpu, traced: count, failed: on.eaddrnotavail };
  } finally {
    await tracer.stop();
  }
}

async function part(kind: Kind, ns: Namespace, binary: string, mode: Mode, port: number, ticksPerSec: number, bpftrace: string): Promise<Part> {
  if (kind === 'default' || kind === 'syscalls') return traced(ns, binary, mode, port, ticksPerSec, kind);
  const r = kind === 'floor' ? await floorRound(ns, binary, mode, port, bpftrace) : await load(ns, binary, mode, port);
  return { calls: r.calls, seconds: r.seconds, cpu: r.cpu, tracerCpu: 0, traced: 0, failed: r.eaddrnotavail };
}

/** One round: every part twice, in ORDER and then backwards; each part's two runs summed. */
async function round(ns: Namespace, binary: string, mode: Mode, port: () => number, ticksPerSec: number, bpftrace: string): Promise<Round> {
  const parts = {} as Round;
  for (const kind of [...ORDER, ...[...ORDER].reverse()]) {
    const p = await part(kind, ns, binary, mode, port(), ticksPerSec, bpftrace);
    const had = parts[kind];
    parts[kind] = had ? { calls: had.calls + p.calls, seconds: had.seconds + p.seconds, cpu: had.cpu + p.cpu, tracerCpu: (had.tracerCpu + p.tracerCpu) / 2, traced: had.traced + p.traced, failed: had.failed + p.failed } : p;
  }
  return parts;
}

async function main(): Promise<void> {
  const support = canUseNamespaces();
  const pre = tracerPreflight();
  const noCc = connectLoadUnavailable();
  if (!support.ok || 'error' in pre || noCc !== null) {
    console.log(`skipped: ${!support.ok ? support.reason : 'error' in pre ? `${pre.error} (fix: ${pre.fix})` : noCc}`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'pw-tracer-bench-'));
  let ns: Namespace | null = null;
  try {
    const binary = buildConnectLoad(dir);
    const ticksPerSec = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
    ns = await createNamespace('tracerbench');
    let next = 20000;
    const port = (): number => next++; // a fresh listener port each round: nothing of the last one lingers
    console.log(`connect() throughput in a namespace without and with the tracer, ${ROUNDS} interleaved rounds of ${SECONDS} s; goal: ratio ≥ 0.95 for the loads at tens of thousands of calls a second (all succeed; an exhausted range).`);
    // other work on the machine moves wall-clock throughput between rounds: say how busy it was
    const busy = (): string => `load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} CPUs`;
    console.log(`Machine at start: ${busy()}.`);
    console.log('\n| load | program | without (calls/s) | with tracer (calls/s) | ratio | ratio per client CPU second | empty syscall probes, per client CPU second | bpftrace CPU (of one CPU) | traced / failed |');
    console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|');
    for (const mode of LOADS) {
      await ns.sysctl('net.ipv4.ip_local_port_range', MODES[mode].range);
      const rounds: Round[] = [];
      for (let i = 0; i < ROUNDS; i++) rounds.push(await round(ns, binary, mode, port, ticksPerSec, pre.bpftrace));
      const median = (f: (r: Round) => number): number => stats(rounds.map(f)).median;
      const ratios = (f: (r: Round) => number): string => rounds.map((r) => f(r).toFixed(2)).join(' ');
      const n = (x: number): string => Math.round(x).toLocaleString('en-US');
      const label = MODES[mode].label;
      for (const p of PROGRAMS) {
        const wall = (r: Round): number => r[p].calls / r[p].seconds / (r.without.calls / r.without.seconds);
        const perCpu = (r: Round): number => r[p].calls / r[p].cpu / (r.without.calls / r.without.cpu);
        const floor = (r: Round): number => r.floor.calls / r.floor.cpu / (r.without.calls / r.without.cpu);
        const cpu = stats(rounds.map((r) => r[p].tracerCpu));
        const tracedCount = rounds.reduce((k, r) => k + r[p].traced, 0);
        const failed = rounds.reduce((k, r) => k + r[p].failed, 0);
        const name = p === 'default' ? 'default (connect-failures.bt)' : '--trace-syscalls (syscall-failures.bt)';
        const floorCell = p === 'syscalls' ? `${median(floor).toFixed(3)} (${ratios(floor)})` : '–';
        console.log(
          `| ${label} | ${name} | ${n(median((r) => r.without.calls / r.without.seconds))} | ${n(median((r) => r[p].calls / r[p].seconds))} | **${median(wall).toFixed(3)}** (${ratios(wall)}) | **${median(perCpu).toFixed(3)}** (${ratios(perCpu)}) | ${floorCell} | ${(cpu.median * 100).toFixed(1)} % (max ${(cpu.max * 100).toFixed(1)} %) | ${n(tracedCount)} / ${n(failed)} |`,
        );
      }
    }
    console.log(`\nMachine at end: ${busy()}. The per-round ratios show the spread; a ratio per client CPU second is the steadier figure when the machine is shared.`);
  } finally {
    await ns?.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
