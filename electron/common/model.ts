// The analysed picture of one moment: what `portwatch check --json` prints, what the dashboard draws,
// what /metrics exports. Pure data (JSON-safe): no Maps, no typed arrays, no Dates.
import type { RecentExhaustion } from './recent-exhaustion.js';
import type { TcpStateName } from './tcp-state.js';
import type { DiagnosisId } from './diagnosis-id.js';

/** How close the system is to running out of ephemeral ports, worst first at the end. */
export type Severity = 'ok' | 'warning' | 'critical' | 'exhausted';
/** Severity when nothing can be said (no socket source, no range). */
export type SeverityOrUnknown = Severity | 'unknown';

export const SEVERITY_ORDER: readonly SeverityOrUnknown[] = ['unknown', 'ok', 'warning', 'critical', 'exhausted'];

/** The operating system a sample was taken on (process.platform values). */
export type PlatformName = 'linux' | 'darwin' | 'win32';

/** An inclusive port range. */
export interface PortRange {
  low: number;
  high: number;
}

/** Outcome of reading one source (a file, a netlink dump, a command). */
export interface SourceStatus {
  /** Stable source id, e.g. "sockets", "port-range", "sockstat". */
  name: string;
  /** ok: read and parsed; degraded: read but partly unparseable; failed: could not read; timeout; unsupported: this platform/kernel has no such source. */
  status: 'ok' | 'degraded' | 'failed' | 'timeout' | 'unsupported';
  /** What went wrong, naming the culprit (file, command, line). */
  error?: string;
  /** Wall time spent on this source. */
  durationMs: number;
}

/** Kernel settings in effect; null where the platform or kernel does not have the setting or it could not be read. */
export interface KernelSettings {
  /** The ephemeral range (Linux ip_local_port_range, macOS portrange.first/last, Windows dynamic port range). */
  portRange: PortRange | null;
  /** Reserved/excluded ranges (Linux ip_local_reserved_ports, Windows excluded port ranges). */
  reservedPorts: PortRange[] | null;
  /** Linux ip_unprivileged_port_start: the kernel refuses a range starting below it. */
  unprivilegedPortStart: number | null;
  /** Linux tcp_tw_reuse: 0 off, 1 on, 2 loopback only. */
  twReuse: 0 | 1 | 2 | null;
  /** Linux tcp_tw_reuse_delay in ms (newer kernels only). */
  twReuseDelayMs: number | null;
  /** Linux tcp_timestamps (tw_reuse needs it non-zero). */
  timestamps: number | null;
  /** Linux tcp_fin_timeout, seconds: bounds orphaned FIN-WAIT-2, does NOT shorten TIME-WAIT. */
  finTimeoutSec: number | null;
  /** Linux tcp_max_tw_buckets. */
  maxTwBuckets: number | null;
  /** How long a closed connection holds its 4-tuple in TIME-WAIT on this platform, seconds. */
  timeWaitSec: number;
  /** Where timeWaitSec comes from, e.g. "fixed in the Linux kernel (TCP_TIMEWAIT_LEN)". */
  timeWaitSource: string;
  /** Connection tracking table fill, when nf_conntrack is loaded. */
  conntrack: { count: number; max: number } | null;
}

/** Kernel counters (cumulative since boot) that prove or rule out trouble. Null where unavailable. */
export interface KernelCounters {
  activeOpens: number | null;
  passiveOpens: number | null;
  currEstab: number | null;
  timeWaitOverflow: number | null;
  /** TcpExt TWRecycled: TIME-WAIT 4-tuples reused by tcp_tw_reuse. */
  twRecycled: number | null;
  listenOverflows: number | null;
  listenDrops: number | null;
  /** /proc/net/sockstat TCP line (tw there also counts orphaned FIN-WAIT-2: do not use as the TIME-WAIT count). */
  sockstat: { inuse: number; orphan: number; tw: number; alloc: number } | null;
  /**
   * Windows Tcpip events among the latest read from the System log: 4227 (a new connection was refused a
   * recently used 4-tuple: TIME-WAIT) and 4231 (no ephemeral port could be allocated). Null elsewhere or unread.
   */
  portAllocationFailures: { id4227: number; id4231: number; latestMs: number | null } | null;
}

/** Sockets from one process. */
export interface ProcessUsage {
  pid: number;
  name: string;
  /** Sockets it owns now with a local port in the ephemeral range (outbound). */
  sockets: number;
  /** TIME-WAIT sockets attributed to it: it owned the 4-tuple while established. */
  timeWait: number;
  /** Destinations it talks to, by `remoteAddress:remotePort`, most used first (at most 5). */
  topDestinations: string[];
}

/** Use of the ephemeral range toward one destination: (netns, source IP, destination IP, destination port). */
export interface DestinationUsage {
  /** Stable key: `${netns}|${localAddress}|${remoteAddress}|${remotePort}`. */
  key: string;
  /** Network namespace identity (e.g. "net:[4026531840]"), or "" when unknown. */
  netns: string;
  localAddress: string;
  remoteAddress: string;
  remotePort: number;
  /** Sockets toward it with a local port in the range, any state but LISTEN. */
  inUse: number;
  /** Sockets that actually block a port now (TIME-WAIT that tw_reuse can reuse is not counted). */
  blocking: number;
  /** Usable capacity toward this destination. */
  capacity: number;
  /** blocking / capacity, 0..1+ */
  utilization: number;
  states: Partial<Record<TcpStateName, number>>;
  /** New connections per second toward it, when known. */
  newPerSec: number | null;
  /** What it can sustain: capacity / hold time. */
  sustainablePerSec: number;
  /** Seconds until no port is left toward it, when the trend says it will run out. */
  timeToExhaustionSec: number | null;
  /** Owning processes, most sockets first (TIME-WAIT attributed to former owners). */
  processes: { pid: number; name: string; sockets: number }[];
  /** Its level by the user's thresholds and its time to exhaustion (no hysteresis); absent in older captures. */
  severity?: Severity;
  /** What the free-port figure toward it rests on (docs/port-model.md); absent from older engines. */
  basis?: PortBasis;
}

/** What a figure about free ports rests on, and how far the kernel may differ (docs/port-model.md). */
export interface PortBasis {
  /**
   * kernel-exact: follows from the socket table by the kernel's rules; inferred: rests on evidence of how
   * connected sockets got their ports, or on TIME-WAIT reuse toward a peer that may not echo timestamps.
   */
  kind: 'kernel-exact' | 'inferred';
  /** One sentence saying what the figure rests on. */
  reason: string;
  /** Ports left by the best evidence. */
  left: number;
  /** The fewest and the most ports the kernel may still hand out, whichever way the uncertain ports were taken. */
  low: number;
  high: number;
}

/** Evidence-backed statement about what is happening, with what to do. */
export interface Diagnosis {
  /** Stable id, e.g. "time-wait-churn", "close-wait-leak", "bind-before-connect" (diagnosis-id.ts). */
  id: DiagnosisId;
  severity: 'info' | 'warning' | 'critical';
  title: string;
  /** One or two plain sentences. */
  summary: string;
  /** The numbers that support it. */
  evidence: string[];
  recommendations: Recommendation[];
}

/** One thing to do, application-level (the cure) or kernel-level (relief). */
export interface Recommendation {
  kind: 'application' | 'kernel' | 'investigate';
  text: string;
  /** For kernel recommendations: the setting and a suggested value. */
  setting?: { key: string; current: string | null; suggested: string };
}

/** The analysed state of the machine at one moment. */
export interface Sample {
  schema: 1;
  /** Epoch milliseconds when the socket table was read. */
  time: number;
  platform: PlatformName;
  hostname: string;
  severity: SeverityOrUnknown;
  /** One sentence saying why the severity is what it is. */
  severityReason: string;
  /** The utilization thresholds this sample was judged by (the user's own); absent in older captures. */
  thresholds?: { warning: number; critical: number };
  kernel: KernelSettings;
  capacity: {
    /** Ports in the range (high - low + 1), or null when the range is unknown. */
    rangeSize: number | null;
    /** Reserved ports inside the range (0 when the range is unknown: see rangeUnknown). */
    reserved: number;
    /** Ports inside the range held by listeners or bound-only sockets (0 when the range or the table is unknown). */
    heldByListeners: number;
    /** rangeSize - reserved - heldByListeners. */
    usable: number | null;
  };
  /** Sockets per state, all sockets (IPv4 and IPv6). */
  states: Record<TcpStateName, number>;
  totalSockets: number;
  /**
   * Whether a socket table was read. False when no socket source could be: states, destinations and
   * processes are then empty because nothing is known of them, not because there are none. Absent in
   * older captures and engines, which had a table whenever they had a sample: read as true.
   */
  socketTableRead?: boolean;
  /** The destination closest to exhaustion, or null when there is no outbound socket. */
  worst: DestinationUsage | null;
  /** Most used destinations, worst first (bounded). */
  destinations: DestinationUsage[];
  /** How many destinations there are in all (destinations may be truncated). */
  destinationCount: number;
  /** Ports taken from everyone: bind()-held (exclusive) ports and listeners in the range. */
  global: {
    /** Distinct local ports inside the range used by outbound sockets. */
    distinctPortsInUse: number;
    /** Ports that no connect() can take: listeners, bound-only sockets, and (when evidenced) bind()-before-connect sockets. */
    exclusivelyHeld: number;
    /** exclusivelyHeld / (rangeSize - reserved). */
    utilization: number;
    /** True when some connected sockets' ports count as taken by bind() (evidence: bound-only sockets in the same process, or never-shared ports). */
    bindBeforeConnectEvidence: boolean;
  };
  /** Ports left toward a destination nothing talks to yet, and what that rests on; absent from older engines. */
  newDestination?: PortBasis;
  processes: ProcessUsage[];
  rates: {
    /** New outbound connections per second overall (ActiveOpens delta), when known. */
    newConnectionsPerSec: number | null;
    /** Seconds a closed connection holds its port toward the same destination, after tw_reuse. */
    holdSec: number;
    /** Usable ports / holdSec: the most new connections per second one destination can sustain. */
    sustainablePerDestinationPerSec: number | null;
    /** sustainable - the worst destination's rate. */
    headroomPerSec: number | null;
  };
  /** Seconds until the first listed destination runs out (the soonest, not always the worst now), when the trend or the rate says one will. */
  timeToExhaustionSec: number | null;
  /** The fullest moment within the last TIME-WAIT length, from TIME-WAIT timers (bursts between samples); null when none. */
  recentExhaustion?: RecentExhaustion | null;
  diagnoses: Diagnosis[];
  /** connect()/bind() calls the kernel refused for lack of a port, as traced (Linux with bpftrace, root); absent when not traced. */
  connectFailures?: import('./connect-failures.js').ConnectFailure[];
  counters: KernelCounters;
  sources: SourceStatus[];
  /** What producing this sample cost the monitor. */
  cost: { wallMs: number; cpuMs: number };
}

/** Whether a sample's sockets are unknown (no socket table read); older samples without the field had one. */
export function socketsUnknown(s: Pick<Sample, 'socketTableRead'>): boolean {
  return s.socketTableRead === false;
}

/** The sample when its socket table was read, else null: the figures that rest on the table are then unknown. */
export function withSocketTable(s: Sample | null | undefined): Sample | null {
  return s && !socketsUnknown(s) ? s : null;
}

/** Whether a sample's ephemeral range is unknown (unreadable or invalid): capacity and what is in it are then unknown. */
export function rangeUnknown(s: Pick<Sample, 'capacity'>): boolean {
  return s.capacity.rangeSize === null;
}

/**
 * Why a sample's outbound picture (destinations and their processes, use, held ports, time to exhaustion,
 * headroom) is unknown, or null when it is known. It needs the socket table and the range both, since an
 * outbound socket is one whose local port is inside the range. A clause: "Unknown: " + it reads as a sentence.
 */
export function outboundUnknownReason(s: Pick<Sample, 'socketTableRead' | 'capacity'>): string | null {
  if (socketsUnknown(s)) return 'no socket table could be read (see the sources)';
  if (rangeUnknown(s)) return 'the ephemeral port range is unknown, and outbound means a local port inside it';
  return null;
}

/** The sample when its outbound picture is known (socket table and range read), else null. */
export function withOutbound(s: Sample | null | undefined): Sample | null {
  return s && outboundUnknownReason(s) === null ? s : null;
}

/** The cheap 1 Hz reading between full samples (O(1) kernel counters only). */
export interface TickSample {
  time: number;
  /** Outbound connects per second since the previous tick (ActiveOpens delta), null on the first tick or when unreadable. */
  newConnectionsPerSec: number | null;
  /** /proc/net/sockstat TCP line, when readable. */
  sockstat: KernelCounters['sockstat'];
  cost: { wallMs: number; cpuMs: number };
}
