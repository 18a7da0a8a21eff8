// Gathers the planner's input on this machine: two analysed samples (so rates are known), the listening
// and bound ports from the socket table, the sysctl configuration files, and the environment.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Sample } from '../../common/model.js';
import { Analyzer } from '../engine/analyzer.js';
import { readSysctlConfigFiles } from '../../helper/sysctl-config-files.js';
import { createBackend, parseSnapshot } from '../platform/index.js';
import type { Snapshot } from '../platform/types.js';
import { detectEnvironment } from './environment.js';
import { heldPortsFromTable, type PlanInput, type PlanOptions } from './plan-input.js';

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
}

/** The PlanInput for this machine, and the sample it is based on. */
export async function gatherPlanInput(g: GatherOptions): Promise<{ input: PlanInput; sample: Sample; snapshot: Snapshot }> {
  const backend = createBackend(process.platform, { owners: g.owners ?? false });
  const analyzer = new Analyzer();
  const once = async (): Promise<{ sample: Sample; snapshot: Snapshot }> => {
    analyzer.addTick(await backend.readTick());
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const snapshot = parseSnapshot(await backend.readAll());
    const cpu = process.cpuUsage(cpu0);
    return { snapshot, sample: analyzer.analyze(snapshot, { wallMs: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000 }) };
  };
  let taken = await once();
  if (g.intervalSec > 0) {
    await sleep(g.intervalSec * 1000);
    taken = await once();
  }
  const { listening, bound } = heldPortsFromTable(taken.snapshot.sockets);
  const files = process.platform === 'linux' ? await readSysctlConfigFiles(g.configRoot ?? '/') : null;
  const environment = g.assumeHost ? { container: false, kind: null, evidence: [] } : await detectEnvironment();
  return {
    input: {
      platform: taken.snapshot.platform,
      kernel: taken.snapshot.kernel,
      sample: taken.sample,
      listeningPorts: listening,
      boundPorts: bound,
      environment,
      sysctlFiles: files ? files.files : null,
      options: g.options,
      now: Date.now(),
    },
    sample: taken.sample,
    snapshot: taken.snapshot,
  };
}
