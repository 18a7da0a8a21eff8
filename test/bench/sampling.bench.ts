// How fast Portwatch reads the socket table, against ss, on a large socket set (see socket-set.ts).
//   (a) Portwatch netlink read + parse (+ its two halves a1, a2)   vs (b) `ss -tan`
//   (c) Portwatch /proc/net/tcp[6] read + parse (the fallback)     vs `ss -tan`
//   (d) Portwatch netlink + owner scan + join                      vs `ss -tanp`
//   (e) a full Portwatch sample: every source (files + netlink [+ owners]) + parse + analysis,
//       vs `ss -tan` (and vs `ss -tanp` with owners); (f) the cheap 1 Hz tick (counters only);
//   (g) the monitor's CPU share running the real Sampler at its defaults (1 Hz tick, 2 % budget).
// `ss` is spawned each time and its output drained by this process; its CPU is its own rusage.
// Every measurement runs inside the set's namespace (this file re-runs itself there with --inner), in
// chunks of at most CHUNK_MS, each after the TIME-WAIT sockets were topped up to outlast the chunk, and
// interleaved with its ss counterpart, so both see the same sockets.
// Runs: 15 for (a)/(b); 9 for the slow groups (c) and (d) (ss -tanp alone takes seconds per run on
// this set, and every 25 s of measuring costs 100,000 fresh TIME-WAIT sockets).
// Environment: PW_BENCH_GROUPS (e.g. sample,share), PW_BENCH_RUNS (all groups), PW_BENCH_ESTABLISHED (72000), PW_BENCH_TIME_WAIT (100000).
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadSockDiag } from '../../electron/node/platform/linux/native/load.js';
import { ALL_TCP_STATES_MASK, parseSocketSources, readSocketSources } from '../../electron/node/platform/linux/sockets.js';
import { parseInetDiag } from '../../electron/node/platform/parse/inet-diag.js';
import { canUseNamespaces } from '../netns/netns.js';
import { createBackend } from '../../electron/node/platform/index.js';
import { parseSnapshot } from '../../electron/node/platform/parse-snapshot.js';
import { Analyzer } from '../../electron/node/engine/analyzer.js';
import { Sampler } from '../../electron/node/sampler/sampler.js';
import { command, inProcess, markdownTable, sampleRounds, summarise, type Entry, type Measurement, type Sample } from './measure.js';
import { withSocketSet, type SocketCounts } from './socket-set.js';

const thisFile = fileURLToPath(import.meta.url);
const GROUPS = ['netlink', 'proc', 'owners', 'sample', 'share'] as const;
type Group = (typeof GROUPS)[number];
/** Longest stretch measured without topping TIME-WAIT up again. */
const CHUNK_MS = 25_000;
const DEFAULT_RUNS: Record<Group, number> = { netlink: 15, proc: 9, owners: 9, sample: 9, share: 1 };
const TIMEOUT_MS = 60_000;

const envInt = (name: string, fallback: number): number => {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : fallback;
};

/** A Portwatch read + parse that returns how many sockets it saw (and fails loudly on any problem). */
function portwatch(opts: { owners: boolean; fallback?: boolean }): () => Promise<number> {
  return async () => {
    const sources = await readSocketSources({
      owners: opts.owners,
      timeoutMs: TIMEOUT_MS,
      ...(opts.fallback ? { addon: { unavailable: 'benchmark of the fallback' } } : {}),
    });
    const bad = sources.filter((s) => s.status !== 'ok' && s.status !== 'unsupported');
    if (bad.length) throw new Error(bad.map((s) => `${s.name}: ${s.status} ${s.error ?? ''}`).join('; '));
    const { table, problems } = parseSocketSources(sources);
    if (problems.length) throw new Error(problems.join('; '));
    return table?.count ?? 0;
  };
}

/** One full sample as the monitor takes it: read every source, parse, analyse. */
function fullSample(owners: boolean): () => Promise<number> {
  const backend = createBackend('linux', { owners, socketTimeoutMs: TIMEOUT_MS });
  const analyzer = new Analyzer();
  return async () => {
    const snapshot = parseSnapshot(await backend.readAll());
    const bad = snapshot.sources.filter((s) => s.status !== 'ok' && s.status !== 'unsupported');
    if (bad.length) throw new Error(bad.map((s) => `${s.name}: ${s.status} ${s.error ?? ''}`).join('; '));
    return analyzer.analyze(snapshot, { wallMs: 0, cpuMs: 0 }).totalSockets;
  };
}

/** The cheap tick as the sampler takes it: read the O(1) counters, derive the rate. */
function cheapTick(): () => Promise<void> {
  const backend = createBackend('linux');
  const analyzer = new Analyzer();
  return async () => {
    analyzer.addTick(await backend.readTick());
  };
}

/** (g) Runs the real Sampler at its defaults for a while; one "sample" whose cpuMs/wallMs is the share. */
async function monitorShare(budgetMs: number): Promise<Sample[]> {
  const sampler = new Sampler();
  let full = 0;
  sampler.onSample(() => full++);
  sampler.start();
  await new Promise((r) => setTimeout(r, 3_000)); // past start-up and the first full sample
  full = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, Math.max(5_000, budgetMs - 5_000)));
  const cpu = process.cpuUsage(cpu0);
  const wallMs = performance.now() - t0;
  await sampler.stop();
  return [{ wallMs, cpuMs: (cpu.user + cpu.system) / 1000, items: full }];
}

/** The probes of one group (inside the namespace). */
async function entries(group: Group): Promise<Entry[]> {
  if (group === 'sample') {
    return [
      { label: '(e) Portwatch full sample, no owners (all sources + parse + analysis)', probe: inProcess(fullSample(false)), warmup: 2 },
      { label: '(e) ss -tan', probe: command(['ss', '-tan'], 1) },
      { label: '(e+) Portwatch full sample with owners', probe: inProcess(fullSample(true)), warmup: 1 },
      { label: '(e+) ss -tanp', probe: command(['ss', '-tanp'], 1) },
      { label: '(f) cheap tick (sockstat + snmp + rate)', probe: inProcess(cheapTick()), warmup: 5 },
    ];
  }
  const addon = loadSockDiag();
  if (group === 'proc') {
    return [
      { label: '(c) Portwatch /proc/net/tcp read+parse', probe: inProcess(portwatch({ owners: false, fallback: true })), warmup: 1 },
      { label: '(c) ss -tan', probe: command(['ss', '-tan'], 1) },
    ];
  }
  if ('unavailable' in addon) throw new Error(`sock_diag addon unavailable: ${addon.unavailable}`);
  if (group === 'owners') {
    return [
      { label: '(d) Portwatch netlink+owners read+parse+join', probe: inProcess(portwatch({ owners: true })), warmup: 1 },
      { label: '(d) ss -tanp', probe: command(['ss', '-tanp'], 1) },
    ];
  }
  const dump = (): Promise<Buffer[]> => Promise.all([addon.dumpTcp(4, ALL_TCP_STATES_MASK), addon.dumpTcp(6, ALL_TCP_STATES_MASK)]);
  const bytes = await dump();
  return [
    { label: '(a) Portwatch netlink read+parse', probe: inProcess(portwatch({ owners: false })), warmup: 2 },
    { label: '(b) ss -tan', probe: command(['ss', '-tan'], 1) },
    // where (a) spends its time: the two dumps (run in parallel on the thread pool), and the parse
    { label: '(a1) netlink dumps only', probe: inProcess(async () => void (await dump())), warmup: 1 },
    { label: '(a2) parse only (bytes of one dump)', probe: inProcess(async () => parseInetDiag(bytes).table.count), warmup: 3 },
  ];
}

/** Inside the namespace: time one chunk of a group and print the raw samples as JSON. */
async function inner(group: Group, maxRounds: number, budgetMs: number): Promise<void> {
  if (group === 'share') {
    const samples = await monitorShare(budgetMs);
    process.stdout.write(JSON.stringify([{ label: '(g) monitor at 1 Hz, default 2 % budget: CPU ms per wall ms (items = full samples)', samples }]));
    return;
  }
  const list = await entries(group);
  const samples = await sampleRounds(list, maxRounds, budgetMs);
  process.stdout.write(JSON.stringify(list.map((e, i) => ({ label: e.label, samples: samples[i]! }))));
}

async function outer(): Promise<void> {
  const support = canUseNamespaces();
  if (!support.ok) {
    console.log(`sampling.bench: skipped (${support.reason})`);
    return;
  }
  const runsOverride = envInt('PW_BENCH_RUNS', 0);
  const established = envInt('PW_BENCH_ESTABLISHED', 72_000);
  const timeWait = envInt('PW_BENCH_TIME_WAIT', 100_000);
  const results: Measurement[] = [];
  const seen: string[] = [];
  await withSocketSet(
    async (set) => {
      // PW_BENCH_GROUPS=sample,share limits a run to some groups (all by default).
      const only = process.env.PW_BENCH_GROUPS?.split(',');
      for (const group of GROUPS.filter((g) => !only || only.includes(g))) {
        const runs = runsOverride || DEFAULT_RUNS[group];
        const byLabel = new Map<string, Sample[]>();
        const counts: SocketCounts[] = [];
        // bounded: every chunk times at least one round
        for (let done = 0, chunk = 0; done < runs && chunk < runs; chunk++) {
          // the chunk, plus the inner process start and its warm-up runs
          counts.push(await set.refresh(CHUNK_MS + 5_000));
          const args = ['--inner', group, '--rounds', String(runs - done), '--budget-ms', String(CHUNK_MS)];
          const out = JSON.parse(await set.runScript(thisFile, args, { timeoutMs: 5 * 60_000 })) as { label: string; samples: Sample[] }[];
          for (const { label, samples } of out) byLabel.set(label, [...(byLabel.get(label) ?? []), ...samples]);
          done += out[0]!.samples.length;
        }
        for (const [label, samples] of byLabel) results.push(summarise(label, samples));
        const range = (state: string): string => {
          const v = counts.map((c) => c[state] ?? 0);
          return Math.min(...v) === Math.max(...v) ? `${v[0]}` : `${Math.min(...v)}–${Math.max(...v)}`;
        };
        seen.push(`- ${group}: ${counts.length} chunk(s); before each: ESTAB ${range('ESTAB')}, TIME-WAIT ${range('TIME-WAIT')}, LISTEN ${range('LISTEN')}`);
      }
    },
    { established, timeWait },
  );
  const baselines = new Map([
    ['(a) Portwatch netlink read+parse', '(b) ss -tan'],
    ['(c) Portwatch /proc/net/tcp read+parse', '(c) ss -tan'],
    ['(d) Portwatch netlink+owners read+parse+join', '(d) ss -tanp'],
    ['(e) Portwatch full sample, no owners (all sources + parse + analysis)', '(e) ss -tan'],
    ['(e+) Portwatch full sample with owners', '(e+) ss -tanp'],
  ]);
  console.log('\n## Socket table read: Portwatch vs ss (ratios of medians, Portwatch / ss)\n');
  console.log(seen.join('\n'));
  console.log('');
  console.log(markdownTable(results, baselines));
  const share = results.find((r) => r.label.startsWith('(g)'));
  if (share) {
    const pct = (100 * share.cpuMs.median) / share.wallMs.median;
    console.log(`\n(g) The monitor's own CPU at its defaults: ${pct.toFixed(2)} % of one core over ${(share.wallMs.median / 1000).toFixed(0)} s (goal: within the 2 % budget).`);
  }
  console.log('');
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain && process.argv.includes('--inner')) {
  const arg = (name: string): string => process.argv[process.argv.indexOf(name) + 1] ?? '';
  const group = arg('--inner') as Group;
  const rounds = Number(arg('--rounds'));
  const budget = Number(arg('--budget-ms'));
  if (!GROUPS.includes(group) || !(rounds >= 1 && rounds <= 1000) || !(budget > 0)) throw new Error(`usage: --inner ${GROUPS.join('|')} --rounds N --budget-ms MS`);
  await inner(group, rounds, budget);
} else {
  await outer();
}
