// The PromQL of a Grafana dashboard (panel targets and annotation queries), with Grafana's variables
// replaced by what Grafana would send, so the queries can be run against a real Prometheus.

/** The parts of a Grafana dashboard JSON the tests read. */
export interface Dashboard {
  templating: { list: { name: string }[] };
  annotations: { list: { name: string; expr?: string; datasource?: { type?: string } }[] };
  panels: { id: number; type: string; title: string; repeat?: string; datasource?: unknown; targets?: { expr: string; refId: string; instant?: boolean }[] }[];
}

/** One query of the dashboard. */
export interface DashboardQuery {
  kind: 'panel' | 'annotation';
  title: string;
  expr: string;
}

/** Every PromQL query of the dashboard. */
export function dashboardQueries(d: Dashboard): DashboardQuery[] {
  const out: DashboardQuery[] = [];
  for (const p of d.panels) for (const t of p.targets ?? []) out.push({ kind: 'panel', title: p.title, expr: t.expr });
  for (const a of d.annotations.list) if (a.expr && a.datasource?.type === 'prometheus') out.push({ kind: 'annotation', title: a.name, expr: a.expr });
  return out;
}

/** The query as Grafana sends it: $instance as the "All" regex (or one host), intervals as given. */
export function substituteVariables(expr: string, v: { instance: string; interval: string; rateInterval: string }): string {
  return expr.replaceAll('$__rate_interval', v.rateInterval).replaceAll('$__interval', v.interval).replaceAll('$instance', v.instance);
}
