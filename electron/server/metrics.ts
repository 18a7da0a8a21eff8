// /metrics in the Prometheus text exposition format (0.0.4), answered from the latest sample. Label sets
// are bounded: states and severities are closed sets, destinations are the top N only, sources are the
// few the backend reads.
import type { Sample, TickSample } from '../common/model.js';
import { SEVERITY_ORDER } from '../common/model.js';
import { ALL_TCP_STATES } from '../common/tcp-state.js';

/** How many destinations get their own labelled series. */
export const METRICS_TOP_DESTINATIONS = 10;

const escapeLabel = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

class Exposition {
  private readonly lines: string[] = [];
  family(name: string, type: 'gauge' | 'counter', help: string): this {
    this.lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    return this;
  }
  value(name: string, v: number | null | undefined, labels?: Record<string, string>): this {
    if (v === null || v === undefined || !Number.isFinite(v)) return this; // unknown: no series rather than a fake 0
    const l = labels
      ? `{${Object.entries(labels)
          .map(([k, x]) => `${k}="${escapeLabel(x)}"`)
          .join(',')}}`
      : '';
    this.lines.push(`${name}${l} ${Number.isInteger(v) ? v : Number(v.toPrecision(10))}`);
    return this;
  }
  gauge(name: string, help: string, v: number | null | undefined): this {
    if (v === null || v === undefined || !Number.isFinite(v)) return this;
    return this.family(name, 'gauge', help).value(name, v);
  }
  text(): string {
    return this.lines.join('\n') + '\n';
  }
}

/** Renders the metrics of the latest sample and tick (sample null: only the up metric). */
export function renderMetrics(sample: Sample | null, tick: TickSample | null, now: number): string {
  const e = new Exposition();
  e.gauge('portwatch_up', 'Whether a sample has been taken since the monitor started (1) or not yet (0).', sample ? 1 : 0);
  if (!sample) return e.text();
  e.gauge('portwatch_sample_timestamp_seconds', 'When the latest sample read the socket table (Unix time).', sample.time / 1000);
  e.gauge('portwatch_sample_age_seconds', 'Seconds since the latest sample.', Math.max(0, (now - sample.time) / 1000));
  const k = sample.kernel;
  e.gauge('portwatch_port_range_low', 'Low end of the ephemeral port range.', k.portRange?.low);
  e.gauge('portwatch_port_range_high', 'High end of the ephemeral port range.', k.portRange?.high);
  e.gauge('portwatch_port_range_size', 'Ports in the ephemeral range.', sample.capacity.rangeSize);
  e.gauge('portwatch_reserved_ports', 'Reserved ports inside the range.', sample.capacity.reserved);
  e.gauge('portwatch_ports_held_by_listeners', 'Ports inside the range held by listeners or bound-only sockets.', sample.capacity.heldByListeners);
  e.gauge('portwatch_usable_ports', 'Usable capacity: range minus reserved minus held ports.', sample.capacity.usable);
  e.gauge('portwatch_time_wait_seconds', 'How long TIME-WAIT holds a 4-tuple on this platform.', k.timeWaitSec);
  e.gauge('portwatch_tcp_tw_reuse', 'tcp_tw_reuse: 0 off, 1 on, 2 loopback only.', k.twReuse);

  e.family('portwatch_sockets', 'gauge', 'TCP sockets by state (IPv4 and IPv6).');
  for (const s of ALL_TCP_STATES) e.value('portwatch_sockets', sample.states[s], { state: s });
  e.gauge('portwatch_sockets_total', 'All TCP sockets.', sample.totalSockets);

  const w = sample.worst;
  e.gauge('portwatch_worst_destination_in_use', 'Sockets toward the worst destination with a local port in the range.', w ? w.inUse : 0);
  e.gauge('portwatch_worst_destination_blocking', 'Ports blocked toward the worst destination.', w ? w.blocking : 0);
  e.gauge('portwatch_worst_destination_utilization_ratio', 'Blocked ports over usable capacity toward the worst destination.', w ? w.utilization : 0);
  e.gauge('portwatch_destinations', 'Destinations with at least one socket from the range.', sample.destinationCount);
  e.gauge('portwatch_global_exclusively_held_ports', 'Ports no connect() can take (listeners, bound-only, bind()-before-connect).', sample.global.exclusivelyHeld);
  e.gauge('portwatch_global_utilization_ratio', 'Exclusively held ports over the range less reserved ports.', sample.global.utilization);

  const top = sample.destinations.slice(0, METRICS_TOP_DESTINATIONS);
  if (top.length > 0) {
    const labels = (d: (typeof top)[number]) => ({ netns: d.netns, source: d.localAddress, destination: d.remoteAddress, port: String(d.remotePort) });
    e.family('portwatch_destination_in_use', 'gauge', `Sockets toward one destination (top ${METRICS_TOP_DESTINATIONS} only).`);
    for (const d of top) e.value('portwatch_destination_in_use', d.inUse, labels(d));
    e.family('portwatch_destination_utilization_ratio', 'gauge', `Blocked ports over usable capacity toward one destination (top ${METRICS_TOP_DESTINATIONS} only).`);
    for (const d of top) e.value('portwatch_destination_utilization_ratio', d.utilization, labels(d));
    e.family('portwatch_destination_new_connections_per_second', 'gauge', 'New connections per second toward one destination.');
    for (const d of top) e.value('portwatch_destination_new_connections_per_second', d.newPerSec, labels(d));
  }

  const r = sample.rates;
  e.gauge('portwatch_new_connections_per_second', 'Outbound connects per second (ActiveOpens delta).', tick?.newConnectionsPerSec ?? r.newConnectionsPerSec);
  e.gauge('portwatch_hold_seconds', 'Seconds a closed connection holds its port toward the same destination.', r.holdSec);
  e.gauge('portwatch_sustainable_connections_per_second', 'New connections per second one destination can sustain.', r.sustainablePerDestinationPerSec);
  e.gauge('portwatch_headroom_connections_per_second', 'Sustainable rate minus the worst destination rate.', r.headroomPerSec);
  e.gauge('portwatch_time_to_exhaustion_seconds', 'Seconds until the worst destination runs out, when the trend says it will.', sample.timeToExhaustionSec);

  e.family('portwatch_severity', 'gauge', 'Current severity (1 for the level in force).');
  for (const level of SEVERITY_ORDER) e.value('portwatch_severity', level === sample.severity ? 1 : 0, { level });
  e.gauge('portwatch_severity_level', 'Severity as a number: 0 unknown, 1 ok, 2 warning, 3 critical, 4 exhausted.', SEVERITY_ORDER.indexOf(sample.severity));

  e.family('portwatch_source_up', 'gauge', 'Whether a source was read fully (1) or is degraded, failed, timed out or unsupported (0).');
  for (const s of sample.sources.slice(0, 50)) e.value('portwatch_source_up', s.status === 'ok' ? 1 : 0, { source: s.name, status: s.status });
  e.family('portwatch_source_duration_seconds', 'gauge', 'Time spent reading a source.');
  for (const s of sample.sources.slice(0, 50)) e.value('portwatch_source_duration_seconds', s.durationMs / 1000, { source: s.name });

  if (sample.diagnoses.length > 0) {
    e.family('portwatch_diagnosis', 'gauge', 'Diagnoses in force (1 per diagnosis).');
    for (const d of sample.diagnoses.slice(0, 50)) e.value('portwatch_diagnosis', 1, { id: d.id, severity: d.severity });
  }
  const c = sample.counters;
  e.family('portwatch_kernel_active_opens_total', 'counter', 'Tcp ActiveOpens since boot.').value('portwatch_kernel_active_opens_total', c.activeOpens);
  e.family('portwatch_kernel_time_wait_overflow_total', 'counter', 'TcpExt TCPTimeWaitOverflow since boot.').value('portwatch_kernel_time_wait_overflow_total', c.timeWaitOverflow);
  e.family('portwatch_kernel_listen_overflows_total', 'counter', 'TcpExt ListenOverflows since boot.').value('portwatch_kernel_listen_overflows_total', c.listenOverflows);
  e.gauge('portwatch_sample_cpu_seconds', 'CPU time the latest sample cost the monitor.', sample.cost.cpuMs / 1000);
  return e.text();
}
