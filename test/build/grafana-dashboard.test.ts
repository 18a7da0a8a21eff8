// build/grafana/portwatch.json: a dashboard Grafana can import (every query on the chosen Prometheus), with
// the fleet overview, the per-host drill-down and episodes as annotations. Its queries are run against a real
// Prometheus in test/fleet/fleet.test.ts.
import { describe, expect, it } from 'vitest';
import { DASHBOARD_PATH, readRepoFile } from './deploy-files.js';
import { dashboardQueries, type Dashboard } from '../fleet/dashboard-queries.js';

const dash = JSON.parse(readRepoFile(DASHBOARD_PATH)) as Dashboard;

describe('build/grafana/portwatch.json', () => {
  it('asks for its Prometheus and host, and uses that data source everywhere', () => {
    const vars = dash.templating.list.map((v) => v.name);
    expect(vars).toEqual(['datasource', 'instance']);
    for (const p of dash.panels.filter((x) => x.type !== 'row')) {
      expect(p.datasource, p.title).toEqual({ type: 'prometheus', uid: '${datasource}' });
      expect(p.targets?.length, p.title).toBeGreaterThan(0);
    }
    expect(new Set(dash.panels.map((p) => p.id)).size).toBe(dash.panels.length);
  });

  it('has the fleet overview by worst utilization, a drill-down by destination, namespace and process, and episodes as annotations', () => {
    const q = dashboardQueries(dash);
    const byTitle = (t: string) => q.filter((x) => x.title === t).map((x) => x.expr);
    expect(byTitle('Hosts by worst utilization')[0]).toMatch(/^sort_desc\(max by \(instance\) \(portwatch_utilization_ratio/);
    expect(byTitle('Utilization by destination')[0]).toContain('portwatch_destination_utilization_ratio');
    expect(byTitle('Ports in use by network namespace')[0]).toContain('sum by (instance, netns)');
    expect(byTitle('Sockets by process')[0]).toContain('portwatch_process_sockets');
    // the kernel's own word beside the inference: failed connects (tracer) and whether the tracer runs
    expect(byTitle('Failed connects by destination (kernel)')[0]).toMatch(/^sum by \(instance, destination, port, errno\) \(\(portwatch_connect_failures_total\{instance=~"\$instance"\} unless .* offset \$__rate_interval\) or increase\(portwatch_connect_failures_total/);
    expect(byTitle('Failure tracer')[0]).toContain('portwatch_connect_tracer_up');
    const annotations = q.filter((x) => x.kind === 'annotation').map((x) => x.title);
    expect(annotations).toEqual(['Exhaustion episodes', 'Exhausted']);
    expect(dash.panels.find((p) => p.type === 'row' && p.repeat === 'instance')).toBeDefined();
  });
});
