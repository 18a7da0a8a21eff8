// Gathers the planner's input on this machine: two analysed samples (so rates are known), the listening
// and bound ports from the socket table, the sysctl configuration files (Linux) or LaunchDaemons (macOS),
// the platform facts from the raw sources, and the environment. Or the same from a capture bundle.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Sample } from '../../common/model.js';
import { Analyzer } from '../engine/analyzer.js';
import { readDarwinBootFiles } from '../../helper/darwin-store.js';
import { readSysctlConfigFiles } from '../../helper/sysctl-config-files.js';
import { createBackend } from '../platform/index.js';
import { parseSnapshot } from '../platform/parse-snapshot.js';
import type { Backend, RawSnapshot, Snapshot } from '../platform/types.js';
import type { SysctlConfigFile } from '../../helper/sysctl-boot-order.js';
import type { TuningEnvironment } from '../../common/tuning.js';
import { darwinFactsFromRaw, type DarwinTuningFacts } from './darwin-facts.js';
import { detectEnvironment } from './environment.js';
import { heldPortsFromTable, type PlanInput, type PlanOptions } from './plan-input.js';
import { win32FactsFromRaw } from './win32-facts.js';
import { TuningError } from '../../common/errors/tuning-error.js';

/** How to gather. */
export interface GatherOptions {
  /** Seconds between the two samples (0: one sample, no rates). */
  intervalSec: number;
  /** Join sockets to processes (slower; not needed for a plan). */
  owners?: boolean;
  /** Treat this machine as a host even when it looks like a container. */
  assumeHost?: boolean;
  /** Root of the sysctl configuration tree (default "/"; tests use the helper's test root). */
  configRoot?: string;
  options: PlanOptions;
  /** Another machine's backend (a remote host over SSH); default: this machine's. */
  backend?: Backend;
  /** With `backend`: that machine's sysctl configuration files and environment (not read here). */
  sysctlFiles?: SysctlConfigFile[] | null;
  environment?: TuningEnvironment;
}

/** The PlanInput for this machine, and the sample it is based on. */
export async function gatherPlanInput(g: GatherOptions): Promise<{ input: PlanInput; sample: Sample; snapshot: Snapshot }> {
  const backend = g.backend ?? createBackend(process.platform, { owners: g.owners ?? false });
  const local = g.backend === undefined;
  const analyzer = new Analyzer();
  let raw: RawSnapshot | null = null;
  const once = async (): Promise<{ sample: Sample; snapshot: Snapshot }> => {
    analyzer.addTick(await backend.readTick());
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    raw = await backend.readAll();
    const snapshot = parseSnapshot(raw);
    const cpu = process.cpuUsage(cpu0);
    return { snapshot, sample: analyzer.analyze(snapshot, { wallMs: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000 }) };
  };
  let taken: Awaited<ReturnType<typeof once>>;
  try {
    taken = await once();
    if (g.intervalSec > 0) {
      await sleep(g.intervalSec * 1000);
      taken = await once();
    }
  } finally {
    await backend.close?.(); // the tick's kept-open handles; left to GC they print a warning
  }
  const { listening, bound } = heldPortsFromTable(taken.snapshot.sockets);
  const files = !local ? (g.sysctlFiles ?? null) : process.platform === 'linux' ? (await readSysctlConfigFiles(g.configRoot ?? '/')).files : null;
  const environment = g.assumeHost ? { container: false, kind: null, evidence: [] } : (g.environment ?? (local ? await detectEnvironment() : { container: false, kind: null, evidence: [] }));
  const bootFiles: DarwinTuningFacts['bootFiles'] = local && taken.snapshot.platform === 'darwin' ? await readDarwinBootFiles(g.configRoot ?? '/') : null;
  return {
    input: {
      platform: taken.snapshot.platform,
      kernel: taken.snapshot.kernel,
      sample: taken.sample,
      listeningPorts: listening,
      boundPorts: bound,
      environment,
      sysctlFiles: files,
      options: g.options,
      now: Date.now(),
      ...platformFacts(raw!, bootFiles),
    },
    sample: taken.sample,
    snapshot: taken.snapshot,
  };
}

/**
 * The PlanInput of the machine a capture bundle was taken on: its reads analysed in order (so rates are
 * known when it has two), the last one's held ports and platform facts. What a bundle does not hold is
 * unknown, never guessed: the sysctl files and LaunchDaemons (not captured) and the environment (taken
 * as a host; a container's plan would say so only when planned there).
 */
export function planInputFromReads(reads: readonly RawSnapshot[], options: PlanOptions, now = Date.now()): { input: PlanInput; sample: Sample; snapshot: Snapshot } {
  if (reads.length === 0) throw new TuningError('cannot plan from a capture bundle without reads: take the capture again with `portwatch capture`');
  const analyzer = new Analyzer();
  let last: { sample: Sample; snapshot: Snapshot } | null = null;
  for (const raw of reads) {
    const snapshot = parseSnapshot(raw);
    last = { snapshot, sample: analyzer.analyze(snapshot, { wallMs: 0, cpuMs: 0 }) };
  }
  const { snapshot, sample } = last!;
  const { listening, bound } = heldPortsFromTable(snapshot.sockets);
  return {
    input: {
      platform: snapshot.platform,
      kernel: snapshot.kernel,
      sample,
      listeningPorts: listening,
      boundPorts: bound,
      environment: { container: false, kind: null, evidence: [] },
      sysctlFiles: null,
      options,
      now,
      ...platformFacts(reads[reads.length - 1]!, null),
    },
    sample,
    snapshot,
  };
}

function platformFacts(raw: RawSnapshot, bootFiles: DarwinTuningFacts['bootFiles']): Pick<PlanInput, 'darwin' | 'win32'> {
  if (raw.platform === 'darwin') return { darwin: darwinFactsFromRaw(raw, bootFiles) };
  if (raw.platform === 'win32') return { win32: win32FactsFromRaw(raw) };
  return {};
}
