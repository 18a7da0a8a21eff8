// Measuring for benchmarks: wall and CPU time of in-process work and of spawned commands, repeated,
// summarised as median and p90, printed as a markdown table. No assertions: benchmarks report.
//
//   const m = await measure('parse', async () => parse(bytes).table.count, 15);
//   const [ours, ss] = await compare([{ label: 'ours', probe: inProcess(read), warmup: 2 }, { label: 'ss -tan', probe: command(['ss', '-tan'], 1) }], 15);
import { spawn } from 'node:child_process';

/** One timed run; `items` is what the run counted (e.g. sockets), when it counts anything. */
export interface Sample {
  wallMs: number;
  cpuMs: number;
  items?: number;
}

/** Something that can be timed once. */
export type Probe = () => Promise<Sample>;

/** Summary of repeated values. */
export interface Stats {
  median: number;
  p90: number;
  min: number;
  max: number;
}

/** The result of timing one probe `runs` times. */
export interface Measurement {
  label: string;
  runs: number;
  wallMs: Stats;
  cpuMs: Stats;
  /** What the runs counted, when they count. */
  items: Stats | null;
}

/** Median, p90 (nearest rank), min and max. */
export function stats(values: readonly number[]): Stats {
  const v = [...values].sort((a, b) => a - b);
  if (v.length === 0) return { median: NaN, p90: NaN, min: NaN, max: NaN };
  const rank = (p: number): number => v[Math.min(v.length - 1, Math.max(0, Math.ceil(p * v.length) - 1))]!;
  const mid = Math.floor(v.length / 2);
  const median = v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
  return { median, p90: rank(0.9), min: v[0]!, max: v[v.length - 1]! };
}

/**
 * Times work done in this process: wall clock, and CPU as process.cpuUsage() (user + system of every
 * thread, so work on the libuv thread pool counts). fn may return a count (items).
 */
export function inProcess(fn: () => Promise<number | void>): Probe {
  return async () => {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const items = await fn();
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000, ...(typeof items === 'number' ? { items } : {}) };
  };
}

// bash times the command from inside (so bash's own start-up is not charged to it) and reports the
// command's CPU from getrusage(RUSAGE_CHILDREN) via `times`, which Node cannot give for a child.
const TIMER = 's=$EPOCHREALTIME; "$@"; rc=$?; e=$EPOCHREALTIME; times >&2; echo "pw-wall $s $e $rc" >&2';

/**
 * Times a command (argv, no shell interpretation of it): wall from fork to exit, CPU (user + system)
 * of the command alone; its output is drained by this process as it comes, counting lines (minus
 * `headerLines`) as items.
 */
export function command(argv: readonly string[], headerLines = 0): Probe {
  return () =>
    new Promise<Sample>((resolve, reject) => {
      const child = spawn('bash', ['-c', TIMER, 'bash', ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
      let lines = 0;
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => {
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
      });
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('error', reject);
      child.on('close', () => {
        const wall = /pw-wall (\d+\.\d+) (\d+\.\d+) (\d+)/.exec(stderr);
        // `times`: line 1 is the shell, line 2 its children: "0m0.123s 0m0.045s"
        const times = [...stderr.matchAll(/(\d+)m(\d+\.\d+)s (\d+)m(\d+\.\d+)s/g)];
        if (!wall || times.length < 2 || wall[3] !== '0') {
          reject(new Error(`${argv.join(' ')} failed or could not be timed: ${stderr.trim().slice(-500)}`));
          return;
        }
        const t = times[1]!;
        const seconds = (m: string, s: string): number => Number(m) * 60 + Number(s);
        resolve({
          wallMs: (Number(wall[2]) - Number(wall[1])) * 1000,
          cpuMs: (seconds(t[1]!, t[2]!) + seconds(t[3]!, t[4]!)) * 1000,
          items: lines - headerLines,
        });
      });
    });
}

/** Summarises the samples of one probe. */
export function summarise(label: string, samples: readonly Sample[]): Measurement {
  const items = samples.filter((s) => s.items !== undefined).map((s) => s.items!);
  return {
    label,
    runs: samples.length,
    wallMs: stats(samples.map((s) => s.wallMs)),
    cpuMs: stats(samples.map((s) => s.cpuMs)),
    items: items.length ? stats(items) : null,
  };
}

/** A probe with a label, and how many untimed runs warm it up (JIT, caches) before timing. */
export interface Entry {
  label: string;
  probe: Probe;
  warmup?: number;
}

/**
 * Warms every entry up, then times them in interleaved rounds (a, b, a, b, …) so that a slow drift of
 * the machine or of the socket set affects all alike. Stops after `maxRounds`, or before a round that
 * would end past `budgetMs` (judged by the longest round so far; at least one round is always run).
 * Returns the samples per entry.
 */
export async function sampleRounds(entries: readonly Entry[], maxRounds: number, budgetMs = Infinity): Promise<Sample[][]> {
  for (const e of entries) for (let i = 0; i < (e.warmup ?? 0); i++) await e.probe();
  const samples = entries.map(() => [] as Sample[]);
  const started = performance.now();
  let longest = 0;
  for (let round = 0; round < maxRounds; round++) {
    const t0 = performance.now();
    if (round > 0 && t0 - started + longest > budgetMs) break;
    for (let i = 0; i < entries.length; i++) samples[i]!.push(await entries[i]!.probe());
    longest = Math.max(longest, performance.now() - t0);
  }
  return samples;
}

/** Times several probes `runs` times each, interleaved (see sampleRounds). */
export async function compare(entries: readonly Entry[], runs: number): Promise<Measurement[]> {
  const samples = await sampleRounds(entries, runs);
  return entries.map((e, i) => summarise(e.label, samples[i]!));
}

/** Times in-process work `runs` times after `warmup` untimed runs. */
export async function measure(label: string, fn: () => Promise<number | void>, runs: number, warmup = 1): Promise<Measurement> {
  return (await compare([{ label, probe: inProcess(fn), warmup }], runs))[0]!;
}

const fmt = (n: number): string => (Number.isFinite(n) ? (n >= 100 ? n.toFixed(0) : n.toFixed(1)) : '–');
const ratio = (a: number, b: number): string => (b > 0 && Number.isFinite(a) ? (a / b).toFixed(2) : '–');

/**
 * A markdown table of measurements; `baselines` maps a label to the label it is compared with
 * (ratio columns = this / baseline, medians).
 */
export function markdownTable(rows: readonly Measurement[], baselines: ReadonlyMap<string, string> = new Map()): string {
  const byLabel = new Map(rows.map((r) => [r.label, r]));
  const out = [
    '| measurement | runs | wall median ms | wall p90 ms | CPU median ms | CPU p90 ms | sockets seen | wall ratio | CPU ratio |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    const base = byLabel.get(baselines.get(r.label) ?? '');
    const items = r.items ? (r.items.min === r.items.max ? `${r.items.min}` : `${r.items.min}–${r.items.max}`) : '';
    out.push(
      `| ${r.label} | ${r.runs} | ${fmt(r.wallMs.median)} | ${fmt(r.wallMs.p90)} | ${fmt(r.cpuMs.median)} | ${fmt(r.cpuMs.p90)} | ${items} | ` +
        `${base ? `${ratio(r.wallMs.median, base.wallMs.median)} (vs ${base.label})` : ''} | ${base ? ratio(r.cpuMs.median, base.cpuMs.median) : ''} |`,
    );
  }
  return out.join('\n');
}
