// /metrics of `portwatch serve` inside a namespace agrees with `portwatch check --json` run in the same
// namespace and with ss, on sockets held steady by a workload.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeNetns } from '../netns/describe-netns.js';
import { createNamespace, type Namespace } from '../netns/netns.js';
import { connectHold, startServer } from '../netns/workloads.js';
import { checkJson } from '../netns/portwatch-cli.js';
import { ssSockets } from '../netns/ss.js';
import { fetchInNamespace, startServeInNamespace, type ServeInNs } from './serve-in-netns.js';
import { parseExposition } from '../server/exposition.js';
import { promtoolCheckMetrics, promtoolUnavailable, startExporterInNamespace } from '../fleet/exporter.js';

const RANGE = { low: 41000, high: 41099 };

describeNetns('/metrics in a namespace', () => {
  let ns: Namespace;
  let serve: ServeInNs;

  beforeAll(async () => {
    ns = await createNamespace('metrics');
    await ns.sysctl('net.ipv4.ip_local_port_range', `${RANGE.low} ${RANGE.high}`);
    await startServer(ns, ['127.0.0.1:8080', '127.0.0.1:9090']);
    serve = await startServeInNamespace(ns, 18081, ['--metrics-public']);
    expect((await connectHold(ns, '127.0.0.1:8080', 37)).connected).toBe(37);
    expect((await connectHold(ns, '127.0.0.1:9090', 12)).connected).toBe(12);
  }, 120_000);

  afterAll(async () => {
    await ns?.destroy();
  });

  it('agrees with portwatch check --json and with ss', async () => {
    const url = `http://127.0.0.1:${serve.port}/metrics`;
    const dest = (port: number) => `portwatch_destination_in_use{netns="NS",source="127.0.0.1",destination="127.0.0.1",port="${port}"}`;
    // Wait for a sample taken after the workloads settled.
    let m = new Map<string, number>();
    const end = Date.now() + 90_000; // the sampler slows down on a busy machine
    for (;;) {
      m = parseExposition((await fetchInNamespace(ns, url)).body);
      const key = [...m.keys()].find((k) => k.startsWith('portwatch_destination_in_use{') && k.includes('port="8080"'));
      if ((key && m.get(key) === 37) || Date.now() > end) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const netnsLabel = /netns="([^"]*)"/.exec([...m.keys()].find((k) => k.startsWith('portwatch_destination_in_use{'))!)![1]!;
    const check = (await checkJson(ns)).sample;
    const ss = await ssSockets(ns);
    const inRange = (p: number) => p >= RANGE.low && p <= RANGE.high;
    const ssToward = (port: number) => ss.filter((s) => s.remote === '127.0.0.1' && s.remotePort === port && inRange(s.localPort) && s.state !== 'LISTEN').length;
    const checkToward = (port: number) => check.destinations.find((d) => d.remoteAddress === '127.0.0.1' && d.remotePort === port)!.inUse;

    for (const port of [8080, 9090]) {
      const fromMetrics = m.get(dest(port).replace('NS', netnsLabel));
      expect(fromMetrics, `metrics toward :${port}`).toBe(checkToward(port));
      expect(fromMetrics, `ss toward :${port}`).toBe(ssToward(port));
    }
    expect(m.get('portwatch_worst_destination_in_use')).toBe(37);
    expect(check.worst!.inUse).toBe(37);
    expect(m.get('portwatch_worst_destination_utilization_ratio')).toBeCloseTo(check.worst!.utilization, 6);
    expect(m.get('portwatch_port_range_low')).toBe(RANGE.low);
    expect(m.get('portwatch_port_range_high')).toBe(RANGE.high);
    expect(m.get('portwatch_usable_ports')).toBe(check.capacity.usable);
    expect(m.get('portwatch_port_range_ports')).toBe(check.capacity.rangeSize);
    const ssListen = ss.filter((s) => s.state === 'LISTEN').length;
    expect(m.get('portwatch_sockets{state="LISTEN"}')).toBe(ssListen);
    expect(check.states.LISTEN).toBe(ssListen);
    expect(m.get(`portwatch_severity{level="${check.severity}"}`)).toBe(1);
    expect(m.get('portwatch_destinations')).toBeGreaterThanOrEqual(2);
    expect(m.get('portwatch_connections_opened_total')).toBeGreaterThanOrEqual(49);
  }, 180_000);

  it.skipIf(promtoolUnavailable() !== null)('passes promtool check metrics on a real scrape', async () => {
    const body = (await fetchInNamespace(ns, `http://127.0.0.1:${serve.port}/metrics`)).body;
    expect(body).toContain('portwatch_destination_in_use{');
    expect(promtoolCheckMetrics(body)).toEqual({ status: 0, output: '' });
    // The lint itself is live: the old gauge name is reported.
    expect(promtoolCheckMetrics('# HELP portwatch_sockets_total x\n# TYPE portwatch_sockets_total gauge\nportwatch_sockets_total 1\n').status).not.toBe(0);
  }, 60_000);

  it('serve --metrics-only: /metrics without a token on loopback, no dashboard, no WebSocket', async () => {
    const exporter = await startExporterInNamespace(ns, 18083);
    try {
      expect(exporter.url).toBe('http://127.0.0.1:18083/metrics');
      const r = await fetchInNamespace(ns, exporter.url);
      expect(r.status).toBe(200);
      expect(parseExposition(r.body).has('portwatch_up')).toBe(true);
      expect((await fetchInNamespace(ns, 'http://127.0.0.1:18083/index.html')).status).toBe(404);
      expect((await fetchInNamespace(ns, 'http://127.0.0.1:18083/ws')).status).toBe(404);
    } finally {
      exporter.process.kill();
    }
  }, 60_000);

  it('is refused without the token when not opened with --metrics-public', async () => {
    const guarded = await startServeInNamespace(ns, 18082);
    expect((await fetchInNamespace(ns, `http://127.0.0.1:${guarded.port}/metrics`)).status).toBe(401);
    expect((await fetchInNamespace(ns, `http://127.0.0.1:${guarded.port}/metrics`, { authorization: `Bearer ${guarded.token}` })).status).toBe(200);
    guarded.process.kill();
  }, 60_000);
});
