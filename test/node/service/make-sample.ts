// Builds well-formed Samples for unit tests of the service, server and renderer (the real sampler is used by
// the namespace and end-to-end tests). Every field has a plausible value; overrides replace whole fields.
import type { DestinationUsage, Sample, TickSample } from '../../../electron/common/model.js';
import { ALL_TCP_STATES, type TcpStateName } from '../../../electron/common/tcp-state.js';
import { linuxKernel } from '../engine/engine-fixtures.js';

/** All states at zero, then the given counts. */
export function stateCounts(counts: Partial<Record<TcpStateName, number>> = {}): Record<TcpStateName, number> {
  const out = Object.fromEntries(ALL_TCP_STATES.map((s) => [s, 0])) as Record<TcpStateName, number>;
  return Object.assign(out, counts);
}

/** A destination toward 10.0.0.2:80 using `inUse` of `capacity` ports. */
export function makeDestination(inUse: number, capacity = 28232, over: Partial<DestinationUsage> = {}): DestinationUsage {
  const remoteAddress = over.remoteAddress ?? '10.0.0.2';
  const remotePort = over.remotePort ?? 80;
  return {
    key: `|10.0.0.1|${remoteAddress}|${remotePort}`,
    netns: '',
    localAddress: '10.0.0.1',
    remoteAddress,
    remotePort,
    inUse,
    blocking: inUse,
    capacity,
    utilization: inUse / capacity,
    states: { ESTABLISHED: inUse },
    newPerSec: 5,
    sustainablePerSec: capacity / 60,
    timeToExhaustionSec: null,
    processes: [{ pid: 4242, name: 'client', sockets: inUse }],
    ...over,
  };
}

/** A sample at `time` with `inUse` sockets toward one destination. */
export function makeSample(time: number, inUse = 10, over: Partial<Sample> = {}): Sample {
  const worst = makeDestination(inUse);
  return {
    schema: 1,
    time,
    platform: 'linux',
    hostname: 'test-host',
    severity: 'ok',
    severityReason: 'the worst destination uses 0% of usable ports',
    kernel: linuxKernel(),
    capacity: { rangeSize: 28232, reserved: 0, heldByListeners: 0, usable: 28232 },
    states: stateCounts({ ESTABLISHED: inUse, LISTEN: 1 }),
    totalSockets: inUse + 1,
    worst,
    destinations: [worst],
    destinationCount: 1,
    global: { distinctPortsInUse: inUse, exclusivelyHeld: 0, utilization: 0, bindBeforeConnectEvidence: false },
    processes: [{ pid: 4242, name: 'client', sockets: inUse, timeWait: 0, topDestinations: ['10.0.0.2:80'] }],
    rates: { newConnectionsPerSec: 5, holdSec: 60, sustainablePerDestinationPerSec: 28232 / 60, headroomPerSec: 28232 / 60 - 5 },
    timeToExhaustionSec: null,
    diagnoses: [],
    counters: {
      activeOpens: 100,
      passiveOpens: 0,
      currEstab: inUse,
      timeWaitOverflow: 0,
      twRecycled: 0,
      listenOverflows: 0,
      listenDrops: 0,
      portAllocationFailures: null,
      sockstat: { inuse: inUse + 1, orphan: 0, tw: 0, alloc: inUse + 1 },
    },
    sources: [{ name: 'sockets', status: 'ok', durationMs: 1 }],
    cost: { wallMs: 2, cpuMs: 1 },
    ...over,
  };
}

/** A tick at `time`. */
export function makeTick(time: number, rate: number | null = 5): TickSample {
  return { time, newConnectionsPerSec: rate, sockstat: { inuse: 11, orphan: 0, tw: 0, alloc: 11 }, cost: { wallMs: 0.1, cpuMs: 0.1 } };
}

/** A stand-in sampler driven by the test: emit samples and ticks by hand. */
export class ManualSampler {
  paused = false;
  private last: Sample | null = null;
  private readonly sampleListeners = new Set<(s: Sample) => void>();
  private readonly tickListeners = new Set<(t: TickSample) => void>();
  latest(): Sample | null {
    return this.last;
  }
  onSample(l: (s: Sample) => void): () => void {
    this.sampleListeners.add(l);
    return () => this.sampleListeners.delete(l);
  }
  onTick(l: (t: TickSample) => void): () => void {
    this.tickListeners.add(l);
    return () => this.tickListeners.delete(l);
  }
  emitSample(s: Sample): void {
    this.last = s;
    for (const l of this.sampleListeners) l(s);
  }
  emitTick(t: TickSample): void {
    for (const l of this.tickListeners) l(t);
  }
  get listenerCount(): number {
    return this.sampleListeners.size + this.tickListeners.size;
  }
}
