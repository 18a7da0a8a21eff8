// Plain inputs for planner tests: Linux kernel settings, samples with diagnoses and destinations.
import type { DestinationUsage, Diagnosis, Sample } from '../../../electron/common/model.js';
import type { DiagnosisId } from '../../../electron/common/diagnosis-id.js';
import type { TuningEnvironment } from '../../../electron/common/tuning.js';
import type { PlanInput, PlanSample } from '../../../electron/node/tuning/plan-input.js';
import { linuxKernel } from '../engine/engine-fixtures.js';

/** Linux defaults (kernel 6.x), then the overrides. */
export const kernel = linuxKernel;

/** A destination with the given states. */
export function destination(states: DestinationUsage['states'], over: Partial<DestinationUsage> = {}): DestinationUsage {
  const inUse = Object.values(states).reduce((a, b) => a + (b ?? 0), 0);
  const localAddress = over.localAddress ?? '10.0.0.1';
  const remoteAddress = over.remoteAddress ?? '10.0.0.2';
  const remotePort = over.remotePort ?? 443;
  return {
    key: `|${localAddress}|${remoteAddress}|${remotePort}`,
    netns: '',
    localAddress,
    remoteAddress,
    remotePort,
    inUse,
    blocking: inUse,
    capacity: 28232,
    utilization: inUse / 28232,
    states,
    newPerSec: 400,
    sustainablePerSec: 28232 / 60,
    timeToExhaustionSec: null,
    processes: [],
    ...over,
  };
}

/** A diagnosis with just an id (the planner reads ids). */
export function diagnosis(id: DiagnosisId): Diagnosis {
  return { id, severity: 'warning', title: id, summary: id, evidence: [], recommendations: [] };
}

/** A sample under TIME-WAIT churn toward a remote destination. */
export function churnSample(over: Partial<PlanSample> = {}): PlanSample {
  const d = destination({ 'TIME-WAIT': 24000, ESTABLISHED: 100 });
  return {
    severity: 'critical',
    severityReason: 'the worst destination uses 85 % of usable ports',
    diagnoses: [diagnosis('time-wait-churn')],
    destinations: [d],
    worst: d,
    global: { distinctPortsInUse: 24100, exclusivelyHeld: 0, utilization: 0, bindBeforeConnectEvidence: false },
    rates: { newConnectionsPerSec: 400, holdSec: 60, sustainablePerDestinationPerSec: 28232 / 60, headroomPerSec: 70 },
    ...over,
  };
}

/** A calm sample. */
export function okSample(): PlanSample {
  const d = destination({ ESTABLISHED: 10 });
  return { ...churnSample(), severity: 'ok', diagnoses: [], destinations: [d], worst: d };
}

export const HOST: TuningEnvironment = { container: false, kind: null, evidence: [] };

/** A planner input on a host with default settings. */
export function input(over: Partial<PlanInput> = {}): PlanInput {
  return {
    platform: 'linux',
    kernel: kernel(),
    sample: churnSample(),
    listeningPorts: [22, 8080],
    boundPorts: [],
    environment: HOST,
    sysctlFiles: [],
    options: {},
    now: 1_800_000_000_000,
    ...over,
  };
}

/** Unused Sample fields kept out of PlanSample on purpose (compile-time check that PlanSample is a Pick). */
export type _SampleCheck = PlanSample extends Partial<Sample> ? true : never;
