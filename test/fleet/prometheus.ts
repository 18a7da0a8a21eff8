// Debian's Prometheus started by a test inside a namespace of its own: own config, own data directory in
// tmp, loopback and a random port, scrape and rule evaluation every second; and its HTTP API, queried from
// inside that namespace.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Namespace, NsProcess } from '../netns/netns.js';
import { fetchInNamespace } from '../e2e/serve-in-netns.js';

export const PROMETHEUS = '/usr/bin/prometheus';

/** Why Prometheus cannot run here, or null. */
export function prometheusUnavailable(): string | null {
  return existsSync(PROMETHEUS) ? null : `${PROMETHEUS} is missing (apt-get install -y prometheus)`;
}

/** A running Prometheus. */
export interface TestPrometheus {
  process: NsProcess;
  base: string;
  /** An instant or range query through the HTTP API; throws on an API error, naming the query. */
  query(expr: string, range?: { start: number; end: number; stepSec: number }): Promise<PromSeries[]>;
  /** Many range queries at once (one process in the namespace for all): the result of each, in order. */
  queryMany(exprs: string[], range: { start: number; end: number; stepSec: number }): Promise<PromSeries[][]>;
  /** The alerts Prometheus holds now (pending and firing). */
  alerts(): Promise<PromAlert[]>;
}

/** One series of a query result (vector or matrix). */
export interface PromSeries {
  metric: Record<string, string>;
  value?: [number, string];
  values?: [number, string][];
}

/** One alert from /api/v1/alerts. */
export interface PromAlert {
  labels: Record<string, string>;
  state: 'pending' | 'firing';
  activeAt: string;
  value: string;
}

/** Starts Prometheus in `ns` scraping `targets` (host:port) as job "portwatch", with the given rule files. */
export async function startPrometheus(ns: Namespace, targets: string[], ruleFiles: string[]): Promise<TestPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'pw-fleet-prom-'));
  const port = 20000 + Math.floor(Math.random() * 20000);
  const config = join(dir, 'prometheus.yml');
  writeFileSync(
    config,
    [
      'global:',
      '  scrape_interval: 1s',
      '  scrape_timeout: 1s',
      '  evaluation_interval: 1s',
      'rule_files:',
      ...ruleFiles.map((f) => `  - ${JSON.stringify(f)}`),
      'scrape_configs:',
      '  - job_name: portwatch',
      '    static_configs:',
      `      - targets: ${JSON.stringify(targets)}`,
      '',
    ].join('\n'),
  );
  const p = ns.spawn([PROMETHEUS, `--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=info'], { cwd: dir });
  const base = `http://127.0.0.1:${port}`;
  const api = async <T>(path: string): Promise<T> => {
    const r = await fetchInNamespace(ns, `${base}${path}`);
    const body = JSON.parse(r.body) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`Prometheus ${path}: ${body.error ?? r.status}`);
    return body.data;
  };
  const end = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetchInNamespace(ns, `${base}/-/ready`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (p.exit || Date.now() > end) throw new Error(`Prometheus did not become ready: ${p.stderr.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 300));
  }
  return {
    process: p,
    base,
    query: async (expr, range) => {
      const q = encodeURIComponent(expr);
      const data = range
        ? await api<{ result: PromSeries[] }>(`/api/v1/query_range?query=${q}&start=${range.start}&end=${range.end}&step=${range.stepSec}`)
        : await api<{ result: PromSeries[] }>(`/api/v1/query?query=${q}`);
      return data.result;
    },
    queryMany: async (exprs, range) => {
      const urls = exprs.map((e) => `${base}/api/v1/query_range?query=${encodeURIComponent(e)}&start=${range.start}&end=${range.end}&step=${range.stepSec}`);
      const script = `Promise.all(${JSON.stringify(urls)}.map((u) => fetch(u).then((r) => r.json()))).then((all) => process.stdout.write(JSON.stringify(all)), (e) => { process.stderr.write(String(e)); process.exit(1); })`;
      const r = await ns.exec([process.execPath, '-e', script], { timeoutMs: 30_000 });
      if (r.code !== 0) throw new Error(`queries in ${ns.name} failed: ${r.stderr}`);
      const bodies = JSON.parse(r.stdout) as { status: string; data: { result: PromSeries[] }; error?: string }[];
      return bodies.map((b, i) => {
        if (b.status !== 'success') throw new Error(`Prometheus query ${exprs[i]}: ${b.error ?? b.status}`);
        return b.data.result;
      });
    },
    alerts: async () => (await api<{ alerts: PromAlert[] }>('/api/v1/alerts')).alerts,
  };
}
