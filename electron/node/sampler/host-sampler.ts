// Samples every network namespace of the host: one Analyzer per namespace (each keeps its own trends,
// owner memory and hysteresis), dropped when its namespace is gone. The unit stays the single-namespace
// Sample; the HostSample wraps them worst first. With the connect-failure tracer the monitor runs, each
// namespace's sample carries the failures of the processes that ran in it (by netns inode), judged as a
// one-namespace monitor judges its own: exhausted while they occur, the failures quoted.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { compareNamespaces, hostSeverity, type HostSample, type NamespaceSample, type UnseenProcesses } from '../../common/host-sample.js';
import { DEFAULT_ANALYSIS_CONFIG, type AnalysisConfig } from '../../common/config.js';
import { Analyzer } from '../engine/analyzer.js';
import { parseLinuxSnapshot } from '../platform/linux/snapshot.js';
import { readHost, type HostReadOptions } from '../platform/linux/host-read.js';
import type { RefusedProcess } from '../platform/linux/netns-enumerate.js';
import { adviseForNamespace } from './namespace-advice.js';
import type { ConnectFailureSource } from './sampler.js';
import type { ConnectFailure } from '../../common/connect-failures.js';
import type { SourceStatus } from '../../common/model.js';

/** Options: how to read the host, and the analysis settings every namespace shares. */
export interface HostSamplerOptions extends HostReadOptions {
  analysis?: AnalysisConfig;
  /**
   * The failure tracer of the monitor this sampler runs beside (read only: its owner starts and stops it;
   * reading is a copy and never waits). Absent or null: the samples carry no traced failures.
   */
  connectFailures?: Pick<ConnectFailureSource, 'snapshot' | 'status'> | null;
}

type Listener = (host: HostSample) => void;

/** How often a long-running monitor reads every namespace (reading them all costs more than one: see the netns benchmark). */
export const HOST_SAMPLE_INTERVAL_MS = 15_000;

/** Reads and analyses every namespace; sampleOnce for one-shot use, start/stop for a loop. */
export class HostSampler {
  private readonly analyzers = new Map<number, Analyzer>();
  private readonly listeners = new Set<Listener>();
  private latestHost: HostSample | null = null;
  /** Whether this process has CAP_SYS_PTRACE (read once: a process's capabilities do not grow). */
  private canPtrace: boolean | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private inFlight: Promise<unknown> | null = null;

  constructor(private readonly opts: HostSamplerOptions = {}) {}

  /** The latest HostSample, or null before the first. */
  latest(): HostSample | null {
    return this.latestHost;
  }

  /** How many namespaces hold analysis state now (bounded by the namespaces that exist). */
  analyzerCount(): number {
    return this.analyzers.size;
  }

  /** Calls listener with every HostSample; returns the unsubscribe function. */
  onSample(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Samples every `intervalMs` (never two at once) until stop(). */
  start(intervalMs: number): void {
    if (this.running) return;
    this.running = true;
    const loop = (): void => {
      const run = this.sampleOnce().then(
        (h) => {
          for (const l of this.listeners) {
            try {
              l(h);
            } catch (err) {
              process.emitWarning(`Portwatch listener failed: ${err instanceof Error ? err.message : String(err)}`);
            }
          }
        },
        (err: unknown) => process.emitWarning(`Portwatch host sample failed: ${err instanceof Error ? err.message : String(err)}`),
      );
      this.inFlight = run;
      void run.finally(() => {
        if (this.running) this.timer = setTimeout(loop, intervalMs);
      });
    };
    loop();
  }

  /** Stops the loop and waits for a sample in flight. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.inFlight?.catch(() => undefined);
  }

  /** Reads and analyses every namespace once. */
  async sampleOnce(): Promise<HostSample> {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const read = await readHost(this.opts);
    const traced = this.tracedByNetns();
    const seen = new Set<number>();
    const namespaces: NamespaceSample[] = [];
    let vanished = 0;
    for (const ns of read.namespaces) {
      if (ns.status === 'vanished') {
        vanished++;
        continue;
      }
      seen.add(ns.identity.inode);
      if (!ns.raw) {
        namespaces.push({ identity: ns.identity, status: ns.status, ...(ns.error ? { error: ns.error } : {}), sample: null });
        continue;
      }
      let analyzer = this.analyzers.get(ns.identity.inode);
      if (!analyzer) this.analyzers.set(ns.identity.inode, (analyzer = new Analyzer(this.opts.analysis ?? DEFAULT_ANALYSIS_CONFIG)));
      const n0 = performance.now();
      const c0 = process.cpuUsage();
      const snapshot = parseLinuxSnapshot(ns.raw);
      const c1 = process.cpuUsage(c0);
      const own = traced ? { failures: traced.byNetns.get(ns.identity.inode) ?? [], status: traced.status } : undefined;
      const sample = analyzer.analyze(snapshot, { wallMs: performance.now() - n0, cpuMs: (c1.user + c1.system) / 1000 }, own);
      sample.diagnoses = adviseForNamespace(sample.diagnoses, ns.identity);
      namespaces.push({ identity: ns.identity, status: 'ok', sample });
    }
    // A namespace that is gone takes its analysis state with it (inodes are reused by the kernel).
    for (const inode of this.analyzers.keys()) if (!seen.has(inode)) this.analyzers.delete(inode);
    namespaces.sort(compareNamespaces);
    const worst = namespaces.find((n) => n.sample) ?? null;
    const cpu = process.cpuUsage(cpu0);
    const host: HostSample = {
      schema: 1,
      time: read.time,
      hostname: hostname(),
      scope: 'host',
      namespaces,
      vanished,
      ...(read.refused.length > 0 ? { unseen: unseenProcesses(read.refused, (this.canPtrace ??= hasPtraceCapability())) } : {}),
      worst: worst?.identity.id ?? null,
      severity: hostSeverity(namespaces),
      cost: { wallMs: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000 },
    };
    this.latestHost = host;
    return host;
  }

  /** What the tracer holds now, by the network namespace (inode) the failing process ran in; null without a tracer. */
  private tracedByNetns(): { byNetns: Map<number, ConnectFailure[]>; status: SourceStatus } | null {
    const source = this.opts.connectFailures;
    if (!source) return null;
    const byNetns = new Map<number, ConnectFailure[]>();
    for (const f of source.snapshot()) {
      const list = byNetns.get(f.netns);
      if (list) list.push(f);
      else byNetns.set(f.netns, [f]);
    }
    return { byNetns, status: source.status() };
  }
}

/**
 * What a reading says of the processes whose namespace it could not see. `canPtrace`: whether this
 * process has CAP_SYS_PTRACE (without it, the kernel shows only processes whose capabilities are a
 * subset of its own; with it, a refusal comes from above: a sandbox, a user namespace Portwatch is in).
 */
export function unseenProcesses(refused: readonly RefusedProcess[], canPtrace: boolean): UnseenProcesses {
  const errnos = [...new Set(refused.map((r) => r.errno))];
  const code = errnos.map((e) => (e === 13 ? 'EACCES' : e === 1 ? 'EPERM' : `errno ${e}`)).join(', ');
  // One process is "it", several are "they".
  const one = refused.length === 1;
  const [their, they, hold] = one ? ['its', 'it is', 'it holds'] : ['their', 'they are', 'they hold'];
  const missing = `a namespace only ${hold} is missing from this reading`;
  return {
    processes: refused.length,
    examples: refused.slice(0, 3).map((r) => `${r.name} (pid ${r.pid})`),
    why: canPtrace
      ? `the kernel would not show ${their} network namespace (${code}) although Portwatch has CAP_SYS_PTRACE: ${they} outside what this process may inspect (a sandbox or a user namespace above it); ${missing}.`
      : `the kernel would not show ${their} network namespace (${code}: Portwatch runs without CAP_SYS_PTRACE, so it sees only processes with no more privilege than its own); ${missing}. Run Portwatch as root with CAP_SYS_PTRACE (in a container: add it to the security context) to see ${one ? 'it' : 'them'}.`,
  };
}

/** Whether this process has CAP_SYS_PTRACE in its effective set (Linux; false when it cannot tell). */
export function hasPtraceCapability(status = '/proc/self/status'): boolean {
  try {
    const eff = /^CapEff:\s*([0-9a-f]+)$/m.exec(readFileSync(status, 'utf8'))?.[1];
    return eff !== undefined && (BigInt(`0x${eff}`) & (1n << 19n)) !== 0n;
  } catch {
    return false;
  }
}
