// Runtime schemas for the shared model (model.ts), so a client can check what a transport hands it before
// drawing it. Typed against the model: a field added there fails to compile here until it is described.
// Lenient about unknown fields (a newer engine may add some); strict about the fields it knows.
import type { ConnectFailure } from './connect-failures.js';
import type {
  DestinationUsage,
  Diagnosis,
  KernelCounters,
  KernelSettings,
  PortBasis,
  PortRange,
  ProcessUsage,
  Recommendation,
  Sample,
  SourceStatus,
  TickSample,
} from './model.js';
import { ALL_TCP_STATES } from './tcp-state.js';
import { recentExhaustionSchema } from './recent-exhaustion-schema.js';
import { DIAGNOSIS_IDS } from './diagnosis-id.js';
import { arr, fullRecord, nullable, num, obj, oneOf, optional, partialRecord, str, type Schema } from './schema.js';

const lenient = { strict: false } as const;
const count = num({ min: 0, integer: true });
const nonNeg = num({ min: 0 });
const nCount = nullable(num({ min: 0 }));
const text = str({ maxLength: 10_000 });
const port = num({ min: 0, max: 65535, integer: true });

const portRange: Schema<PortRange> = obj<PortRange>({ low: port, high: port }, lenient);

const sourceStatus: Schema<SourceStatus> = obj<SourceStatus>(
  {
    name: str({ maxLength: 200 }),
    status: oneOf('ok', 'degraded', 'failed', 'timeout', 'unsupported'),
    error: optional(text),
    durationMs: nonNeg,
  },
  lenient,
);

const kernelSettings: Schema<KernelSettings> = obj<KernelSettings>(
  {
    portRange: nullable(portRange),
    reservedPorts: nullable(arr(portRange, { maxLength: 65536 })),
    unprivilegedPortStart: nullable(num({ min: 0, max: 65536, integer: true })),
    twReuse: nullable(oneOf(0, 1, 2)),
    twReuseDelayMs: nCount,
    timestamps: nullable(num({ integer: true })),
    finTimeoutSec: nCount,
    maxTwBuckets: nCount,
    timeWaitSec: nonNeg,
    timeWaitSource: text,
    conntrack: nullable(obj({ count, max: count }, lenient)),
  },
  lenient,
);

const kernelCounters: Schema<KernelCounters> = obj<KernelCounters>(
  {
    activeOpens: nCount,
    passiveOpens: nCount,
    currEstab: nCount,
    timeWaitOverflow: nCount,
    twRecycled: nCount,
    listenOverflows: nCount,
    listenDrops: nCount,
    portAllocationFailures: nullable(obj({ id4227: count, id4231: count, latestMs: nullable(num()) }, lenient)),
    sockstat: nullable(obj({ inuse: num(), orphan: num(), tw: num(), alloc: num() }, lenient)),
  },
  lenient,
);

const stateCounts = partialRecord(ALL_TCP_STATES, count);

const portBasis: Schema<PortBasis> = obj<PortBasis>(
  { kind: oneOf('kernel-exact', 'inferred'), reason: text, left: count, low: count, high: count },
  lenient,
);

const destination: Schema<DestinationUsage> = obj<DestinationUsage>(
  {
    key: str({ maxLength: 400 }),
    netns: str({ maxLength: 200 }),
    localAddress: str({ maxLength: 100 }),
    remoteAddress: str({ maxLength: 100 }),
    remotePort: port,
    inUse: count,
    blocking: count,
    capacity: nonNeg,
    utilization: nonNeg,
    states: stateCounts,
    newPerSec: nullable(num()),
    sustainablePerSec: nonNeg,
    timeToExhaustionSec: nullable(nonNeg),
    processes: arr(obj({ pid: num({ integer: true }), name: str({ maxLength: 1000 }), sockets: count }, lenient), { maxLength: 10_000 }),
    severity: optional(oneOf('ok', 'warning', 'critical', 'exhausted')),
    basis: optional(portBasis),
  },
  lenient,
);

const recommendation: Schema<Recommendation> = obj<Recommendation>(
  {
    kind: oneOf('application', 'kernel', 'investigate'),
    text,
    setting: optional(obj({ key: str({ maxLength: 200 }), current: nullable(text), suggested: text }, lenient)),
  },
  lenient,
);

const diagnosis: Schema<Diagnosis> = obj<Diagnosis>(
  {
    id: oneOf(...DIAGNOSIS_IDS),
    severity: oneOf('info', 'warning', 'critical'),
    title: text,
    summary: text,
    evidence: arr(text, { maxLength: 1000 }),
    recommendations: arr(recommendation, { maxLength: 1000 }),
  },
  lenient,
);

const processUsage: Schema<ProcessUsage> = obj<ProcessUsage>(
  {
    pid: num({ integer: true }),
    name: str({ maxLength: 1000 }),
    sockets: count,
    timeWait: count,
    topDestinations: arr(str({ maxLength: 400 }), { maxLength: 100 }),
  },
  lenient,
);

const cost = obj({ wallMs: nonNeg, cpuMs: nonNeg }, lenient);

/** Checks a full analysed sample as the engine emits it. */
/** One traced connect()/bind() failure (common/connect-failures.ts). */
const connectFailure: Schema<ConnectFailure> = obj<ConnectFailure>(
  {
    pid: num({ integer: true, min: 0 }),
    name: str({ maxLength: 64 }),
    netns: num({ integer: true, min: 0 }),
    syscall: oneOf('connect', 'bind'),
    remoteAddress: str({ maxLength: 64 }),
    remotePort: num({ integer: true, min: 0, max: 65535 }),
    errno: oneOf(98, 99),
    count: num({ integer: true, min: 0 }),
    recentCount: optional(num({ integer: true, min: 0 })),
    place: optional(str({ maxLength: 300 })),
    firstSeen: num({ min: 0 }),
    lastSeen: num({ min: 0 }),
    elsewhere: optional(oneOf(true)),
  },
  { strict: false },
);

export const sampleSchema: Schema<Sample> = obj<Sample>(
  {
    schema: oneOf(1),
    time: nonNeg,
    platform: oneOf('linux', 'darwin', 'win32'),
    hostname: str({ maxLength: 1000 }),
    severity: oneOf('unknown', 'ok', 'warning', 'critical', 'exhausted'),
    severityReason: text,
    thresholds: optional(obj({ warning: nonNeg, critical: nonNeg }, lenient)),
    kernel: kernelSettings,
    capacity: obj(
      { rangeSize: nullable(count), reserved: count, heldByListeners: count, usable: nullable(num()) },
      lenient,
    ),
    states: fullRecord(ALL_TCP_STATES, count),
    totalSockets: count,
    socketTableRead: optional(oneOf(true, false)),
    worst: nullable(destination),
    destinations: arr(destination, { maxLength: 10_000 }),
    destinationCount: count,
    global: obj(
      { distinctPortsInUse: count, exclusivelyHeld: count, utilization: nonNeg, bindBeforeConnectEvidence: oneOf(true, false) },
      lenient,
    ),
    newDestination: optional(portBasis),
    processes: arr(processUsage, { maxLength: 10_000 }),
    rates: obj(
      {
        newConnectionsPerSec: nullable(num()),
        holdSec: nonNeg,
        sustainablePerDestinationPerSec: nullable(num()),
        headroomPerSec: nullable(num()),
      },
      lenient,
    ),
    timeToExhaustionSec: nullable(nonNeg),
    recentExhaustion: optional(nullable(recentExhaustionSchema)),
    diagnoses: arr(diagnosis, { maxLength: 1000 }),
    connectFailures: optional(arr(connectFailure, { maxLength: 1000 })),
    counters: kernelCounters,
    sources: arr(sourceStatus, { maxLength: 1000 }),
    cost,
  },
  lenient,
);

/** Checks a cheap 1 Hz tick. */
export const tickSampleSchema: Schema<TickSample> = obj<TickSample>(
  {
    time: nonNeg,
    newConnectionsPerSec: nullable(num()),
    sockstat: nullable(obj({ inuse: num(), orphan: num(), tw: num(), alloc: num() }, lenient)),
    cost,
  },
  lenient,
);
