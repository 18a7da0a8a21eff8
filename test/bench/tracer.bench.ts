// The cost of the connect-failure tracer [goal: throughput with it ≥ 0.95 of without]. A C client
// (connect-load.c) makes connect()s as fast as one thread can in a namespace, for a fixed time, in
// interleaved rounds: without the tracer, then with Portwatch's ConnectFailureTracer attached (started
// before the round, stopped after it, so "without" really has no probes). Two loads:
// - ok: connect/accept/close with SO_LINGER 0 to a local listener (every call succeeds): what every
//   connect() on the host pays for the sys_enter/sys_exit probes;
// - fail: every connect() fails with EADDRNOTAVAIL (the range is held): the tracer's counting path, at
//   a failure rate far beyond any real incident. The traced count is checked against the client's own.
// Reported: calls per second (median of the rounds) and the ratio with/without (median of the rounds'
// ratios); the same per CPU second of the client (its own user + system time: the probes run inside its
// syscalls, so their cost is there, and other load on a shared machine does not move it the way it moves
// wall-clock throughput); and bpftrace's own CPU (utime + stime from /proc/<pid>/stat over the round, as
// a share of one CPU), which is reading and printing the kernel's counts once a second. A third column
// runs the load with empty probes on the same four syscall tracepoints: the floor any tracer built on
// them pays (enabling a syscall tracepoint sends every syscall of every task through the tracing path),
// so what the program itself adds is the gap between that column and the tracer's.
// Environment: PW_BENCH_TRACER_ROUNDS (5), PW_BENCH_TRACER_SECONDS (3 per round), PW_BENCH_TRACER_LOADS
// (ok,fail: which loads), PW_BENCH_TRACER_PROGRAM (another .bt than the shipped one, e.g. an older version
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
const LOADS = (['ok', 'fail'] as const).filter((m) => (process.env.PW_BENCH_TRACER_LOADS ?? 'ok,fail').split(',').includes(m));
/** Bound on calls per round, far above what one thread reaches in SECONDS. */
const MAX_CALLS = 5_000_000;
const HELD = 2; // the namespace's range is 2 ports: the fail load holds both

/** Runs one round of the load in the namespace (bounded by SECONDS and MAX_CALLS). */
function load(ns: Namespace, binary: string, mode: 'ok' | 'fail', port: number): Promise<ConnectLoadResult> {
  return runConnectLoad(ns, binary, { port, seconds: SECONDS, maxCalls: MAX_CALLS, mode, hold: HELD });
}

/** utime + stime of a process, in clock ticks (fields 14 and 15 of /proc/<pid>/stat, after the comm). */
function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** The same four syscall tracepoints with empty bodies: what any tracer on them costs before doing anything. */
const FLOOR = 'tracepoint:syscalls:sys_enter_connect,tracepoint:syscalls:sys_enter_bind,tracepoint:syscalls:sys_exit_connect,tracepoint:syscalls:sys_exit_bind { }';

/** Runs the load with the empty probes attached; calls per client CPU second. */
async function floorRound(ns: Namespace, binary: string, mode: 'ok' | 'fail', port: number, bpftrace: string): Promise<number> {
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
    const on = await load(ns, binary, mode, port);
    return on.calls / on.cpu;
  } finally {
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGINT');
    const t = setTimeout(() => child.kill('SIGKILL'), 5000);
    await gone;
    clearTimeout(t);
  }
}

interface Round {
  /** calls per second of wall time */
  without: number;
  with: number;
  /** calls per CPU second of the client */
  withoutPerCpu: number;
  withPerCpu: number;
  tracerCpu: number;
  /** calls per CPU second with empty probes on the same tracepoints */
  floorPerCpu: number;
  traced: number;
  failed: number;
}

async function round(ns: Namespace, binary: string, mode: 'ok' | 'fail', port: () => number, ticksPerSec: number, bpftrace: string): Promise<Round> {
  const off = await load(ns, binary, mode, port());
  const floorPerCpu = await floorRound(ns, binary, mode, port(), bpftrace);
  const tracer = new ConnectFailureTracer(PROGRAM ? { program: PROGRAM } : {});
  tracer.start();
  try {
    if (!(await tracer.waitAttached(60_000))) throw new Error(`the tracer did not attach: ${tracer.status().error ?? ''}`);
    const pid = tracer.pid!;
    const t0 = cpuTicks(pid);
    const w0 = performance.now();
    const on = await load(ns, binary, mode, port());
    const cpu = (cpuTicks(pid) - t0) / ticksPerSec / ((performance.now() - w0) / 1000);
    // bpftrace prints each second's counts at the end of that second (later on a busy machine): count
    // once the total has stayed the same for two seconds (at most 15 s).
    const total = (): number => tracer.snapshot().filter((f) => f.pid === on.pid).reduce((n, f) => n + f.count, 0);
    let traced = total();
    for (let stable = 0, waited = 0; stable < 4 && waited < 30; waited++) {
      await new Promise((r) => setTimeout(r, 500));
      const now = total();
      stable = now === traced ? stable + 1 : 0;
      traced = now;
    }
    return { without: off.calls / off.seconds, with: on.calls / on.seconds, withoutPerCpu: off.calls / off.cpu, withPerCpu: on.calls / on.cpu, floorPerCpu, tracerCpu: cpu, traced, failed: on.eaddrnotavail };
  } finally {
    await tracer.stop();
  }
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
    await ns.sysctl('net.ipv4.ip_local_port_range', '40000 40001');
    let next = 20000;
    const port = (): number => next++; // a fresh listener port each round: nothing of the last one lingers
    console.log(`connect() throughput in a namespace without and with the tracer, ${ROUNDS} interleaved rounds of ${SECONDS} s; goal: ratio ≥ 0.95.`);
    // other work on the machine moves wall-clock throughput between rounds: say how busy it was
    const busy = (): string => `load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} CPUs`;
    console.log(`Machine at start: ${busy()}.`);
    console.log('\n| load | without (calls/s) | with tracer (calls/s) | ratio | ratio per client CPU second | empty probes, per client CPU second | bpftrace CPU (of one CPU) | traced / failed |');
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
    for (const mode of LOADS) {
      const rounds: Round[] = [];
      for (let i = 0; i < ROUNDS; i++) rounds.push(await round(ns, binary, mode, port, ticksPerSec, pre.bpftrace));
      const median = (f: (r: Round) => number): number => stats(rounds.map(f)).median;
      const ratios = (f: (r: Round) => number): string => rounds.map((r) => f(r).toFixed(2)).join(' ');
      const wall = (r: Round): number => r.with / r.without;
      const perCpu = (r: Round): number => r.withPerCpu / r.withoutPerCpu;
      const floor = (r: Round): number => r.floorPerCpu / r.withoutPerCpu;
      const cpu = stats(rounds.map((r) => r.tracerCpu));
      const traced = rounds.reduce((n, r) => n + r.traced, 0);
      const failed = rounds.reduce((n, r) => n + r.failed, 0);
      const label = mode === 'ok' ? 'connect + close, all succeed' : 'connect fails (EADDRNOTAVAIL)';
      const n = (x: number): string => Math.round(x).toLocaleString('en-US');
      console.log(
        `| ${label} | ${n(median((r) => r.without))} | ${n(median((r) => r.with))} | **${median(wall).toFixed(3)}** (${ratios(wall)}) | **${median(perCpu).toFixed(3)}** (${ratios(perCpu)}) | ${median(floor).toFixed(3)} (${ratios(floor)}) | ${(cpu.median * 100).toFixed(1)} % (max ${(cpu.max * 100).toFixed(1)} %) | ${n(traced)} / ${n(failed)} |`,
      );
    }
    console.log(`\nMachine at end: ${busy()}. The per-round ratios show the spread; a ratio per client CPU second is the steadier figure when the machine is shared.`);
  } finally {
    await ns?.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
