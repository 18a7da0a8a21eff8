// The cost of every namespace: sampling 100 namespaces that hold N sockets in all, against sampling
// one namespace that holds the same N sockets, side by side in the same run [goal: ≤ 1.5×]. Both go
// through the host-wide path (readNamespace: a native thread enters the namespace and reads the two
// dumps (one walk), the sysctls and the counters there; then parse and one Analyzer per namespace), four
// namespaces at a time as HostSampler reads them; the owner scan and the enumeration are host-wide and
// the same for both, so they are reported apart. The sockets are ESTABLISHED loopback pairs held by one
// Python process (netns-socket-holder.py) that enters each namespace in turn.
// Two layouts: namespaces sharing the host's TCP hash tables (what most container runtimes make today),
// where every namespace's dump walks the sockets of all namespaces (sock_diag filters by namespace
// while it walks: K namespaces cost K × all sockets in the kernel), and namespaces made by a parent
// whose net.ipv4.tcp_child_ehash_entries is set (Linux 6.1+: each child gets its own established hash;
// set inside a parent namespace here, so the host's own setting is never touched).
// Environment: PW_BENCH_NETNS (100), PW_BENCH_NETNS_SOCKETS (10000, even), PW_BENCH_RUNS (15).
import { spawn, spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { Analyzer } from '../../electron/node/engine/analyzer.js';
import { loadSockDiag, netnsAddon, type NetnsAddon } from '../../electron/node/platform/linux/native/load.js';
import { readNamespace } from '../../electron/node/platform/linux/netns-read.js';
import { parseLinuxSnapshot } from '../../electron/node/platform/linux/snapshot.js';
import { HostSampler } from '../../electron/node/sampler/host-sampler.js';
import { canUseNamespaces, createNamespace, type Namespace } from '../netns/netns.js';
import { inProcess, markdownTable, sampleRounds, summarise } from './measure.js';

const envInt = (name: string, fallback: number): number => {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : fallback;
};
const COUNT = envInt('PW_BENCH_NETNS', 100);
const SOCKETS = envInt('PW_BENCH_NETNS_SOCKETS', 10_000);
const RUNS = envInt('PW_BENCH_RUNS', 15);
const HOLDER = fileURLToPath(new URL('./netns-socket-holder.py', import.meta.url));

interface Target {
  inode: number;
  paths: string[];
  analyzer: Analyzer;
}

/** Starts the holder for these namespaces; resolves with its socket count and a function that ends it. */
async function hold(paths: string[], perNs: number, createIn: string | null): Promise<{ sockets: number; end: () => void }> {
  const child = spawn('python3', [HOLDER, '--per-ns', String(perNs), ...(createIn ? ['--create-in', createIn] : []), ...paths], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('socket holder not ready within 120 s')), 120_000);
    createInterface({ input: child.stdout }).once('line', (l) => {
      clearTimeout(timer);
      resolve(l);
    });
    child.once('exit', (code) => reject(new Error(`socket holder exited with ${code}`)));
  });
  return { sockets: Number(line.split(' ')[1]), end: () => child.stdin.end() };
}

/** Reads, parses and analyses every target, four at a time; returns the sockets seen. */
async function sampleTargets(addon: NetnsAddon, targets: readonly Target[]): Promise<number> {
  let next = 0;
  let sockets = 0;
  const worker = async (): Promise<void> => {
    while (next < targets.length) {
      const t = targets[next++]!;
      const raw = await readNamespace(addon, t.inode, t.paths, 10_000, null);
      const sample = t.analyzer.analyze(parseLinuxSnapshot(raw), { wallMs: 0, cpuMs: 0 });
      sockets += sample.totalSockets;
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return sockets;
}

async function main(): Promise<void> {
  const support = canUseNamespaces();
  const addon = netnsAddon(loadSockDiag());
  const python = spawnSync('python3', ['-c', 'import ctypes'], { timeout: 10_000 });
  if (!support.ok || !addon || python.status !== 0) {
    console.log(`skipped: ${!support.ok ? support.reason : !addon ? 'the sock_diag addon has no readNetns' : 'python3 (with ctypes) is needed to hold the sockets'}`);
    return;
  }
  const perNs = Math.max(1, Math.round(SOCKETS / 2 / COUNT));
  console.log(`Sampling ${COUNT} namespaces vs 1, the same ${SOCKETS} sockets (ESTABLISHED loopback pairs plus one listener per namespace); goal ≤ 1.5×.`);
  await layout(addon, perNs, null);
  await layout(addon, perNs, 4096);
}

let kid = 0;
/** Measures one layout: shared hash tables (childEhash null) or namespaces made inside a parent with tcp_child_ehash_entries. */
async function layout(addon: NetnsAddon, perNs: number, childEhash: number | null): Promise<void> {
  const made: Namespace[] = [];
  const kids: string[] = [];
  const holders: (() => void)[] = [];
  let parent: Namespace | null = null;
  const make = async (label: string): Promise<string> => {
    if (!parent) {
      const ns = await createNamespace(label);
      made.push(ns);
      return ns.name;
    }
    // the holder creates it from inside the parent, so the parent's tcp_child_ehash_entries applies
    const name = `pw-benchkid-${process.pid}-${++kid}`;
    kids.push(name);
    return name;
  };
  try {
    if (childEhash !== null) {
      parent = await createNamespace('benchparent');
      made.push(parent);
      const ok = await parent.exec(['sysctl', '-qw', `net.ipv4.tcp_child_ehash_entries=${childEhash}`]);
      if (ok.code !== 0) {
        console.log(`\nPer-namespace hash tables: skipped (this kernel has no net.ipv4.tcp_child_ehash_entries: ${ok.stderr.trim()})`);
        return;
      }
    }
    const manyPaths: string[] = [];
    for (let i = 0; i < COUNT; i++) manyPaths.push(`/run/netns/${await make('benchmany')}`);
    const onePath = `/run/netns/${await make('benchone')}`;
    const createIn = parent ? `/run/netns/${parent.name}` : null;
    const heldMany = await hold(manyPaths, perNs, createIn);
    holders.push(heldMany.end);
    const heldOne = await hold([onePath], perNs * COUNT, createIn);
    holders.push(heldOne.end);
    const target = (path: string): Target => ({ inode: statSync(path).ino, paths: [path], analyzer: new Analyzer() });
    const manyTargets = manyPaths.map(target);
    const oneTarget = [target(onePath)];
    const labels = {
      one: `1 namespace, ${heldOne.sockets} sockets`,
      many: `${COUNT} namespaces, ${heldMany.sockets} sockets in all`,
      host: 'HostSampler.sampleOnce: every namespace of this host, enumeration included, no owners',
      hostOwners: 'HostSampler.sampleOnce with the owner scan',
    };
    const host = new HostSampler({ owners: false });
    const hostWithOwners = new HostSampler();
    const entries = [
      { label: labels.one, probe: inProcess(() => sampleTargets(addon, oneTarget)), warmup: 2 },
      { label: labels.many, probe: inProcess(() => sampleTargets(addon, manyTargets)), warmup: 2 },
      ...(childEhash === null
        ? [
            { label: labels.host, probe: inProcess(async () => (await host.sampleOnce()).namespaces.reduce((n, x) => n + (x.sample?.totalSockets ?? 0), 0)), warmup: 1 },
            { label: labels.hostOwners, probe: inProcess(async () => (await hostWithOwners.sampleOnce()).namespaces.reduce((n, x) => n + (x.sample?.totalSockets ?? 0), 0)), warmup: 1 },
          ]
        : []),
    ];
    const samples = await sampleRounds(entries, RUNS);
    const rows = entries.map((e, i) => summarise(e.label, samples[i]!));
    console.log(
      childEhash === null
        ? '\nNamespaces sharing the host\'s TCP hash tables (the usual case):'
        : `\nNamespaces with their own TCP hash tables (made where net.ipv4.tcp_child_ehash_entries = ${childEhash}):`,
    );
    console.log(markdownTable(rows, new Map([[labels.many, labels.one]])));
  } finally {
    for (const end of holders) end();
    for (const name of kids.reverse()) spawnSync('ip', ['netns', 'del', name], { timeout: 10_000 });
    await Promise.all(made.reverse().map((n) => n.destroy()));
  }
}

await main();
