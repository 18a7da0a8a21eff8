// /metrics: Portwatch's metric families, answered from the latest sample. Prometheus conventions: counters
// end in _total and count since start (rate() works on them), durations are in seconds, every family has one
// fixed label set (states, severities and sources are closed sets, destinations and processes are the top N
// plus "other"), and portwatch_build_info says which build answers. Other modules add families through
// PortwatchMetrics.registry.
import type { DestinationUsage, Sample, TickSample } from '../common/model.js';
import { SEVERITY_ORDER, rangeUnknown, withOutbound, withSocketTable } from '../common/model.js';
import { ALL_TCP_STATES } from '../common/tcp-state.js';
import { MetricsRegistry, type MetricSeries } from './metrics-registry.js';
import { addConnectFailureFamilies, ConnectFailureTotals } from './connect-failure-metrics.js';

/** How many destinations get their own labelled series (the rest are summed into destination="other"). */
export const METRICS_TOP_DESTINATIONS = 10;
/** How many process names get their own labelled series. */
export const METRICS_TOP_PROCESSES = 10;
/** At most this many sources and diagnoses are exported (both are small closed sets in practice). */
const MAX_SOURCES = 50;
const MAX_DIAGNOSES = 50;

/** What portwatch_build_info reports. */
export interface BuildInfo {
  version: string;
}

/** What every family collects from: the latest sample and the state kept across samples. */
export interface MetricsContext {
  sample: Sample | null;
  tick: TickSample | null;
  now: number;
  build: BuildInfo;
  history: MetricsHistory;
}

/** The label names of the per-destination families, in order. */
export const DESTINATION_LABELS = ['netns', 'source', 'destination', 'port'] as const;

/** The labels of one destination's series. */
export function destinationLabels(d: DestinationUsage): Record<(typeof DESTINATION_LABELS)[number], string> {
  return { netns: d.netns, source: d.localAddress, destination: d.remoteAddress, port: String(d.remotePort) };
}

/** The labels of the series that sums every destination past the top N. */
export const OTHER_DESTINATION_LABELS: Record<(typeof DESTINATION_LABELS)[number], string> = { netns: '', source: '', destination: 'other', port: '' };

const DIAGNOSIS_LEVEL: Record<string, number> = { info: 1, warning: 2, critical: 3 };

/** What /metrics keeps across samples: counters since start, and ids seen so their series stay (at 0). */
export class MetricsHistory {
  samples = 0;
  sampleCpuSec = 0;
  exhaustionEpisodes = 0;
  /** Diagnosis ids seen since start (bounded), so a diagnosis that goes away drops to 0 instead of vanishing. */
  readonly diagnosisIds = new Set<string>();
  /** Sources seen since start (bounded), likewise. */
  readonly sourceNames = new Set<string>();
  private last: Sample | null = null;
  private wasExhausted = false;

  /** Takes a sample into account once (repeated calls with the same sample change nothing). */
  observe(sample: Sample | null): void {
    if (!sample || sample === this.last || (this.last && sample.time <= this.last.time)) return;
    this.last = sample;
    this.samples++;
    this.sampleCpuSec += Math.max(0, sample.cost.cpuMs) / 1000;
    const exhausted = sample.severity === 'exhausted';
    if (exhausted && !this.wasExhausted) this.exhaustionEpisodes++;
    this.wasExhausted = exhausted;
    for (const d of sample.diagnoses) if (this.diagnosisIds.size < MAX_DIAGNOSES || this.diagnosisIds.has(d.id)) this.diagnosisIds.add(d.id);
    for (const s of sample.sources) if (this.sourceNames.size < MAX_SOURCES || this.sourceNames.has(s.name)) this.sourceNames.add(s.name);
  }
}

type Ctx = MetricsContext;
const one = (value: number | null | undefined): MetricSeries[] => [{ value }];
const fromSample = (f: (s: Sample) => number | null | undefined) => (c: Ctx) => one(c.sample ? f(c.sample) : null);
/** A sample whose socket table was read: without one its socket figures are unknown, left out rather than 0. */
const withTable = (c: Ctx): Sample | null => withSocketTable(c.sample);
/** A sample whose outbound picture is known (the table and the range read): use, destinations, held ports. */
const fromOutbound = (f: (s: Sample) => number | null | undefined) => (c: Ctx) => {
  const s = withOutbound(c.sample);
  return one(s ? f(s) : null);
};

/** Adds Portwatch's own families to a registry. */
export function addCoreFamilies(r: MetricsRegistry<Ctx>): MetricsRegistry<Ctx> {
  const g = (name: string, help: string, collect: (c: Ctx) => Iterable<MetricSeries>, labelNames: readonly string[] = []) =>
    r.add({ name, type: 'gauge', help, labelNames, collect });
  const counter = (name: string, help: string, collect: (c: Ctx) => Iterable<MetricSeries>) => r.add({ name, type: 'counter', help, collect });

  g('portwatch_up', 'Whether a sample has been taken since the monitor started (1) or not yet (0).', (c) => one(c.sample ? 1 : 0));
  r.add({
    name: 'portwatch_build_info',
    type: 'gauge',
    help: 'Always 1; the labels say which build of Portwatch answers.',
    labelNames: ['version', 'nodejs_version', 'os', 'arch'],
    collect: (c) => [{ labels: { version: c.build.version, nodejs_version: process.versions.node, os: process.platform, arch: process.arch }, value: 1 }],
  });
  g('portwatch_sample_timestamp_seconds', 'When the latest sample read the socket table (Unix time).', fromSample((s) => s.time / 1000));
  g('portwatch_sample_age_seconds', 'Seconds since the latest sample.', (c) => one(c.sample ? Math.max(0, (c.now - c.sample.time) / 1000) : null));
  g('portwatch_sample_duration_seconds', 'Wall time the latest sample took.', fromSample((s) => s.cost.wallMs / 1000));
  counter('portwatch_samples_total', 'Samples taken since the monitor started.', (c) => one(c.history.samples));
  counter('portwatch_sample_cpu_seconds_total', 'CPU time the samples cost the monitor since it started.', (c) => one(c.history.sampleCpuSec));

  g('portwatch_port_range_low', 'Low end of the ephemeral port range.', fromSample((s) => s.kernel.portRange?.low));
  g('portwatch_port_range_high', 'High end of the ephemeral port range.', fromSample((s) => s.kernel.portRange?.high));
  g('portwatch_port_range_ports', 'Ports in the ephemeral range.', fromSample((s) => s.capacity.rangeSize));
  g('portwatch_reserved_ports', 'Reserved ports inside the range.', fromSample((s) => (rangeUnknown(s) ? null : s.capacity.reserved)));
  g('portwatch_ports_held_by_listeners', 'Ports inside the range held by listeners or bound-only sockets.', fromOutbound((s) => s.capacity.heldByListeners));
  // Usable capacity is the range less the listeners only the socket table shows: without either, left out.
  g('portwatch_usable_ports', 'Usable capacity: range minus reserved minus held ports.', fromOutbound((s) => s.capacity.usable));
  g('portwatch_time_wait_seconds', 'How long TIME-WAIT holds a 4-tuple on this platform.', fromSample((s) => s.kernel.timeWaitSec));
  g('portwatch_tcp_tw_reuse', 'tcp_tw_reuse: 0 off, 1 on, 2 loopback only.', fromSample((s) => s.kernel.twReuse));

  g('portwatch_sockets', 'TCP sockets by state (IPv4 and IPv6); sum them for all sockets.', (c) => {
    const s = withTable(c);
    return s ? ALL_TCP_STATES.map((st) => ({ labels: { state: st }, value: s.states[st] })) : [];
  }, ['state']);

  g(
    'portwatch_utilization_ratio',
    'The higher of the worst destination utilization and the global utilization: what the severity rests on (0..1).',
    fromOutbound((s) => Math.max(s.worst?.utilization ?? 0, s.global.utilization)),
  );
  g('portwatch_worst_destination_in_use', 'Sockets toward the worst destination with a local port in the range.', fromOutbound((s) => s.worst?.inUse ?? 0));
  g('portwatch_worst_destination_blocking_ports', 'Ports blocked toward the worst destination.', fromOutbound((s) => s.worst?.blocking ?? 0));
  g('portwatch_worst_destination_utilization_ratio', 'Blocked ports over usable capacity toward the worst destination (0..1).', fromOutbound((s) => s.worst?.utilization ?? 0));
  g('portwatch_destinations', 'Destinations with at least one socket from the range.', fromOutbound((s) => s.destinationCount));
  g('portwatch_global_exclusively_held_ports', 'Ports no connect() can take (listeners, bound-only, bind()-before-connect).', fromOutbound((s) => s.global.exclusivelyHeld));
  g('portwatch_global_utilization_ratio', 'Exclusively held ports over the range less reserved ports (0..1).', fromOutbound((s) => s.global.utilization));

  const top = (s: Sample) => s.destinations.slice(0, METRICS_TOP_DESTINATIONS);
  // "other" sums the destinations past the top N; only when the sample lists every destination, since a sum
  // over a truncated list would be too low.
  const rest = (s: Sample) => (s.destinations.length === s.destinationCount ? s.destinations.slice(METRICS_TOP_DESTINATIONS) : null);
  const perDestination = (name: string, help: string, v: (d: DestinationUsage) => number | null, otherSum: boolean) =>
    g(
      name,
      help,
      (c) => {
        if (!c.sample) return [];
        const series: MetricSeries[] = top(c.sample).map((d) => ({ labels: destinationLabels(d), value: v(d) }));
        const others = rest(c.sample);
        if (otherSum && others !== null && c.sample.destinationCount > METRICS_TOP_DESTINATIONS) series.push({ labels: OTHER_DESTINATION_LABELS, value: others.reduce((a, d) => a + (v(d) ?? 0), 0) });
        return series;
      },
      DESTINATION_LABELS,
    );
  perDestination('portwatch_destination_in_use', `Sockets toward one destination with a local port in the range (top ${METRICS_TOP_DESTINATIONS}, the rest as destination="other").`, (d) => d.inUse, true);
  perDestination('portwatch_destination_blocking_ports', `Ports blocked toward one destination (top ${METRICS_TOP_DESTINATIONS}, the rest as destination="other").`, (d) => d.blocking, true);
  perDestination('portwatch_destination_capacity_ports', `Usable ports toward one destination (top ${METRICS_TOP_DESTINATIONS}).`, (d) => d.capacity, false);
  perDestination('portwatch_destination_utilization_ratio', `Blocked ports over usable capacity toward one destination (top ${METRICS_TOP_DESTINATIONS}; 0..1).`, (d) => d.utilization, false);
  perDestination('portwatch_destination_time_to_exhaustion_seconds', `Seconds until one destination runs out, when its trend says it will (top ${METRICS_TOP_DESTINATIONS}).`, (d) => d.timeToExhaustionSec, false);

  g(
    'portwatch_process_sockets',
    `Outbound sockets from the range per process name (top ${METRICS_TOP_PROCESSES} names).`,
    (c) => {
      if (!c.sample) return [];
      const byName = new Map<string, number>();
      for (const p of c.sample.processes) byName.set(p.name, (byName.get(p.name) ?? 0) + p.sockets);
      return [...byName]
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .slice(0, METRICS_TOP_PROCESSES)
        .map(([name, n]) => ({ labels: { process: name }, value: n }));
    },
    ['process'],
  );

  const kernelCounter = (name: string, help: string, v: (s: Sample) => number | null) => counter(name, help, fromSample(v));
  kernelCounter('portwatch_connections_opened_total', 'Outbound TCP connections opened (Tcp ActiveOpens of the network namespace, since boot); rate() gives connects per second.', (s) => s.counters.activeOpens);
  kernelCounter('portwatch_connections_accepted_total', 'Inbound TCP connections accepted (Tcp PassiveOpens, since boot).', (s) => s.counters.passiveOpens);
  kernelCounter('portwatch_kernel_time_wait_overflow_total', 'TcpExt TCPTimeWaitOverflow since boot: closes that found no TIME-WAIT bucket.', (s) => s.counters.timeWaitOverflow);
  kernelCounter('portwatch_kernel_time_wait_recycled_total', 'TcpExt TWRecycled since boot: TIME-WAIT 4-tuples reused by tcp_tw_reuse.', (s) => s.counters.twRecycled);
  kernelCounter('portwatch_kernel_listen_overflows_total', 'TcpExt ListenOverflows since boot.', (s) => s.counters.listenOverflows);
  kernelCounter('portwatch_kernel_listen_drops_total', 'TcpExt ListenDrops since boot.', (s) => s.counters.listenDrops);

  g('portwatch_hold_seconds', 'Seconds a closed connection holds its port toward the same destination.', fromSample((s) => s.rates.holdSec));
  g('portwatch_sustainable_connections_per_second', 'Estimate: new connections per second one destination can sustain (usable ports over hold time).', fromOutbound((s) => s.rates.sustainablePerDestinationPerSec));
  g('portwatch_headroom_connections_per_second', 'Estimate: sustainable rate minus the worst destination rate.', fromOutbound((s) => s.rates.headroomPerSec));
  g('portwatch_time_to_exhaustion_seconds', 'Seconds until the soonest destination runs out, when the trend says it will.', fromSample((s) => s.timeToExhaustionSec));

  g('portwatch_severity', 'Current severity (1 for the level in force, 0 for the others).', (c) => (c.sample ? SEVERITY_ORDER.map((level) => ({ labels: { level }, value: level === c.sample!.severity ? 1 : 0 })) : []), ['level']);
  g('portwatch_severity_level', 'Severity as a number: 0 unknown, 1 ok, 2 warning, 3 critical, 4 exhausted.', fromSample((s) => SEVERITY_ORDER.indexOf(s.severity)));
  counter('portwatch_exhaustion_episodes_total', 'Times the severity entered "exhausted" since the monitor started.', (c) => one(c.history.exhaustionEpisodes));

  const sourcesSeen = (c: Ctx) => [...c.history.sourceNames].map((name) => ({ name, now: c.sample?.sources.find((s) => s.name === name) }));
  g('portwatch_source_up', 'Whether a source was read fully in the latest sample (1) or is degraded, failed, timed out, unsupported or missing (0).', (c) => sourcesSeen(c).map((s) => ({ labels: { source: s.name }, value: s.now?.status === 'ok' ? 1 : 0 })), ['source']);
  g('portwatch_source_duration_seconds', 'Time the latest sample spent reading a source.', (c) => sourcesSeen(c).map((s) => ({ labels: { source: s.name }, value: s.now ? s.now.durationMs / 1000 : null })), ['source']);
  g(
    'portwatch_diagnosis',
    'Diagnoses seen since start: 0 not in force now, 1 info, 2 warning, 3 critical.',
    (c) => [...c.history.diagnosisIds].map((id) => ({ labels: { id }, value: DIAGNOSIS_LEVEL[c.sample?.diagnoses.find((d) => d.id === id)?.severity ?? ''] ?? 0 })),
    ['id'],
  );
  addConnectFailureFamilies(r, new ConnectFailureTotals());
  return r;
}

/** /metrics for one monitor: the registry (other modules add families to it) and the state kept across samples. */
export class PortwatchMetrics {
  readonly registry = addCoreFamilies(new MetricsRegistry<MetricsContext>());
  readonly history = new MetricsHistory();
  constructor(private readonly build: BuildInfo) {}

  /** The exposition text for the latest sample and tick. */
  render(sample: Sample | null, tick: TickSample | null, now: number): string {
    this.history.observe(sample);
    return this.registry.render({ sample, tick, now, build: this.build, history: this.history });
  }
}

/** Renders the metrics of one sample with no history (tests, benchmarks). */
export function renderMetrics(sample: Sample | null, tick: TickSample | null, now: number, build: BuildInfo = { version: 'unknown' }): string {
  return new PortwatchMetrics(build).render(sample, tick, now);
}
