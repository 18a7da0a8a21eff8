// /metrics for every network namespace of the host (serve with --netns host): one series per namespace
// for the worst METRICS_TOP_NAMESPACES (worst first, as HostSample orders them) labelled netns, pod,
// namespace and container, and the rest folded into netns="other" (sockets summed, the worst
// utilisation and level kept), so the label cardinality stays bounded however many pods a node runs.
import { SEVERITY_ORDER, withOutbound, withSocketTable } from '../common/model.js';
import type { HostSample, NamespaceSample } from '../common/host-sample.js';
import type { MetricSeries, MetricsRegistry } from './metrics-registry.js';

/** Namespaces with series of their own; the rest are one "other" series. */
export const METRICS_TOP_NAMESPACES = 20;

/** The label names of the per-namespace families. */
export const NAMESPACE_LABELS = ['netns', 'pod', 'namespace', 'container'] as const;
type Labels = Record<(typeof NAMESPACE_LABELS)[number], string>;

const OTHER: Labels = { netns: 'other', pod: '', namespace: '', container: '' };

/** The labels of one namespace's series ("host" for the host's own). */
export function namespaceLabels(n: NamespaceSample): Labels {
  const id = n.identity;
  const c = id.containers[0];
  return {
    netns: id.host ? 'host' : id.id,
    pod: id.pod?.name ?? id.pod?.uid ?? '',
    namespace: id.pod?.namespace ?? '',
    container: c ? (c.name ?? c.id.slice(0, 12)) : '',
  };
}

/** The namespace's sample when its socket table was read: without one, its socket figures are unknown, not 0. */
const withTable = (n: NamespaceSample) => withSocketTable(n.sample);
// Use needs the range too: without it no socket is known to be outbound.
const utilizationOf = (n: NamespaceSample): number | null => {
  const s = withOutbound(n.sample);
  return s ? Math.max(s.worst?.utilization ?? 0, s.global.utilization) : null;
};
const levelOf = (n: NamespaceSample): number => SEVERITY_ORDER.indexOf(n.sample?.severity ?? 'unknown');

/** Series for the top namespaces plus the "other" aggregate (omitted when nothing is folded). */
function perNamespace(host: HostSample | null, value: (n: NamespaceSample) => number | null, fold: (values: number[]) => number, count: number): MetricSeries[] {
  if (!host) return [];
  const top = host.namespaces.slice(0, count).map((n) => ({ labels: namespaceLabels(n), value: value(n) }));
  const rest = host.namespaces.slice(count).map(value).filter((v): v is number => v !== null && Number.isFinite(v));
  return rest.length ? [...top, { labels: OTHER, value: fold(rest) }] : top;
}

const sum = (v: number[]): number => v.reduce((a, b) => a + b, 0);
const max = (v: number[]): number => Math.max(...v);

/** Adds the per-namespace families to a registry; `latest` gives the newest HostSample (null before the first). */
export function addNamespaceFamilies<C>(r: MetricsRegistry<C>, latest: () => HostSample | null, top = METRICS_TOP_NAMESPACES): MetricsRegistry<C> {
  const g = (name: string, help: string, value: (n: NamespaceSample) => number | null, fold: (v: number[]) => number) =>
    r.add({ name, type: 'gauge', help, labelNames: NAMESPACE_LABELS, collect: () => perNamespace(latest(), value, fold, top) });
  r.add({ name: 'portwatch_netns_namespaces', type: 'gauge', help: 'Network namespaces on the host in the latest host-wide sample.', collect: () => [{ value: latest()?.namespaces.length ?? null }] });
  // Said, not left out: a namespace only these processes hold is missing from the series above.
  r.add({ name: 'portwatch_netns_unseen_processes', type: 'gauge', help: 'Processes whose network namespace the latest host-wide sample could not see (the kernel refused: no CAP_SYS_PTRACE).', collect: () => [{ value: latest() ? (latest()!.unseen?.processes ?? 0) : null }] });
  g('portwatch_netns_level', 'Severity of the namespace: 0 unknown, 1 ok, 2 warning, 3 critical, 4 exhausted.', levelOf, max);
  g('portwatch_netns_utilization_ratio', 'Use of the namespace\'s ephemeral range toward its worst destination (or globally held), 0..1.', utilizationOf, max);
  g('portwatch_netns_sockets', 'TCP sockets in the namespace.', (n) => withTable(n)?.totalSockets ?? null, sum);
  g('portwatch_netns_port_range_ports', 'Ports in the namespace\'s ephemeral range.', (n) => n.sample?.capacity.rangeSize ?? null, max);
  return r;
}
