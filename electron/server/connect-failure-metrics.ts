// /metrics for the connect-failure tracer: portwatch_connect_failures_total, the connect() calls the kernel
// refused for lack of a port since the monitor started, by errno and destination; and
// portwatch_connect_tracer_up, whether the tracer runs. The labels are bounded: the first
// METRICS_TOP_FAILURE_DESTINATIONS (errno, destination, port) seen get their own series, every later one is
// added to destination="other" of its errno. First seen, not the current top N: a counter must never go down,
// and a series moving in or out of "other" would make both jump.
import { errnoName, tracerView, type ConnectFailure } from '../common/connect-failures.js';
import type { Sample } from '../common/model.js';
import type { MetricSeries, MetricsRegistry } from './metrics-registry.js';

/** Destinations (with errno and port) that get their own series; the rest count as destination="other". */
export const METRICS_TOP_FAILURE_DESTINATIONS = 10;
/** The label names of portwatch_connect_failures_total, as build/prometheus expects them. */
export const CONNECT_FAILURE_LABELS = ['errno', 'destination', 'port'] as const;
/** Tracer keys remembered between samples, at most (the tracer keeps at most 1,000). */
const MAX_KEYS = 4096;

type Labels = Record<(typeof CONNECT_FAILURE_LABELS)[number], string>;

/** Failed connects counted since start from the tracer's cumulative per-key counts in each sample. */
export class ConnectFailureTotals {
  /** Tracer key → the count it had in the previous sample. */
  private readonly lastCount = new Map<string, number>();
  private readonly series = new Map<string, { labels: Labels; value: number }>();
  private named = 0;
  private last: Sample | null = null;

  /** Adds what the tracer counted since the previous sample (the same sample twice adds nothing). */
  observe(sample: Sample | null): void {
    if (!sample?.connectFailures || sample === this.last) return;
    this.last = sample;
    const present = new Set<string>();
    for (const f of sample.connectFailures) {
      if (f.syscall !== 'connect') continue;
      const key = `${f.pid}|${f.netns}|${f.errno}|${f.remoteAddress}|${f.remotePort}`;
      present.add(key);
      const before = this.lastCount.get(key);
      // A key the tracer dropped and saw again starts from its new count.
      const added = before === undefined || f.count < before ? f.count : f.count - before;
      if (this.lastCount.size < MAX_KEYS || before !== undefined) this.lastCount.set(key, f.count);
      if (added > 0) this.add(f, added);
    }
    for (const key of this.lastCount.keys()) if (!present.has(key)) this.lastCount.delete(key);
  }

  /** The series, named destinations first in the order they were seen. */
  collect(): MetricSeries[] {
    return [...this.series.values()].map((s) => ({ labels: s.labels, value: s.value }));
  }

  private add(f: ConnectFailure, n: number): void {
    const errno = errnoName(f.errno);
    const own = `${errno}|${f.remoteAddress}|${f.remotePort}`;
    let s = this.series.get(own);
    if (!s && this.named < METRICS_TOP_FAILURE_DESTINATIONS) {
      s = { labels: { errno, destination: f.remoteAddress, port: String(f.remotePort) }, value: 0 };
      this.series.set(own, s);
      this.named++;
    }
    if (!s) {
      const other = `${errno}|other`;
      s = this.series.get(other);
      if (!s) this.series.set(other, (s = { labels: { errno, destination: 'other', port: '' }, value: 0 }));
    }
    s.value += n;
  }
}

/** Adds the tracer's families to a registry; `totals` is observed with every rendered sample. */
export function addConnectFailureFamilies<C extends { sample: Sample | null }>(r: MetricsRegistry<C>, totals: ConnectFailureTotals): void {
  r.add({
    name: 'portwatch_connect_failures_total',
    type: 'counter',
    help: `connect() calls the kernel refused for lack of a port (EADDRNOTAVAIL, EADDRINUSE) since the monitor started, as traced (Linux, root, bpftrace); the first ${METRICS_TOP_FAILURE_DESTINATIONS} destinations seen by name, later ones as destination="other".`,
    labelNames: CONNECT_FAILURE_LABELS,
    collect: (c) => {
      totals.observe(c.sample);
      return totals.collect();
    },
  });
  r.add({
    name: 'portwatch_connect_tracer_up',
    type: 'gauge',
    help: 'Whether the connect-failure tracer runs with its probes attached (1) or not (0: starting, restarting, failed, or unsupported here; portwatch_source_up{source="connect-tracer"} and the dashboard say why).',
    collect: (c) => {
      const t = tracerView(c.sample);
      return t ? [{ value: t.status === 'ok' ? 1 : 0 }] : [];
    },
  });
}
