// `portwatch serve` keeps the connect-failure tracer running, on the real kernel: serve runs in the host
// namespace as root, a client in a pod-like namespace with a 2-port range makes exactly 7 connects fail,
// and /metrics counts exactly 7 (promtool check metrics clean). The monitor judges its own namespace only:
// the pod's failures are quoted as a warning diagnosis and start no episode here, and the host's severity
// does not rest on them (serve-netns-tracer.test.ts: --netns host judges the pod by them). bpftrace killed → back with its probes; serve stopped → no bpftrace process, none of the eBPF
// programs it loaded left in the kernel, tracefs as before. The desktop monitor does the same.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tracerPreflight } from '../../electron/node/platform/linux/tracer/connect-failure-tracer.js';
import { runServe } from '../../electron/server/serve.js';
import { startLocalMonitor } from '../../electron/desktop/local-monitor.js';
import { defaultSettings } from '../../electron/desktop/settings.js';
import { readEpisodes } from '../../electron/node/history/episode-log.js';
import { describeNetns } from '../netns/describe-netns.js';
import { createNamespace, type Namespace } from '../netns/netns.js';
import { bpfProgramIds, bpfProgramState, tracefsState } from '../netns/tracer-leftovers.js';
import { bpftraceChildren } from '../netns/bpftrace-child.js';
import { parseExposition } from './exposition.js';
import { promtoolCheckMetrics, promtoolUnavailable } from '../fleet/exporter.js';
import type { Sample } from '../../electron/common/model.js';
import { capture, until } from './serve-io.js';

const canTrace = !('error' in tracerPreflight());
const FAILS = 7;
// A destination no other test uses, so a host-wide tracer shared with other runs cannot blur the count.
const DEST = '127.0.0.77';
const PORT = 47654;

// Listens on DEST:PORT, holds 2 connects (the whole 2-port range), makes FAILS more fail, prints what it saw,
// and stays a few seconds so its namespace can be named.
const CLIENT = `
const net = require('net'); const fs = require('fs');
const connect = () => new Promise((r) => { const s = net.connect(${PORT}, '${DEST}'); s.on('connect', () => r('ok')); s.on('error', (e) => r(e.code)); });
net.createServer(() => {}).listen(${PORT}, '${DEST}', async () => {
  const out = { pid: process.pid, netns: Number(/\\[(\\d+)\\]/.exec(fs.readlinkSync('/proc/self/ns/net'))[1]), results: [] };
  for (let i = 0; i < ${FAILS} + 2; i++) out.results.push(await connect());
  process.stdout.write(JSON.stringify(out) + '\\n');
  setTimeout(() => process.exit(0), 4000);
});`;

describeNetns('serve and the desktop monitor keep the connect-failure tracer running', () => {
  let ns: Namespace;
  const before = tracefsState();
  beforeAll(async () => {
    ns = await createNamespace('tracerlive4');
    await ns.sysctl('net.ipv4.ip_local_port_range', '40000 40001');
  });
  afterAll(async () => {
    await ns?.destroy();
  });

  it.runIf(canTrace)('serve: failures in a pod-like namespace reach /metrics exactly and are quoted, not judged, in the host\'s namespace; a killed bpftrace comes back; stop leaves nothing behind', async () => {
    const out = capture();
    const ac = new AbortController();
    const done = runServe(['--metrics-only', '--port', '0', '--netns', 'self'], { stdout: out.stream, stderr: capture().stream }, ac.signal);
    try {
      const url = await until('the exporter URL', () => /http:\/\/127\.0\.0\.1:\d+\/metrics/.exec(out.text())?.[0], 30_000);
      const scrape = async () => {
        const text = await (await fetch(url)).text();
        return { text, m: parseExposition(text) };
      };
      const counted = `portwatch_connect_failures_total{errno="EADDRNOTAVAIL",destination="${DEST}",port="${PORT}"}`;
      await until('the tracer attached', async () => ((await scrape()).m.get('portwatch_connect_tracer_up') === 1 ? true : undefined), 90_000);
      const [first] = await until('our bpftrace', () => (bpftraceChildren(process.pid).length === 1 ? bpftraceChildren(process.pid) : undefined), 5_000);
      const programs = bpfProgramIds(first!);
      expect(programs.length).toBeGreaterThanOrEqual(2); // connect-failures.bt: the tracepoint and the interval
      // The check can fail: while bpftrace runs, the kernel has its programs.
      expect(Object.values(bpfProgramState(programs))).toEqual(programs.map(() => 'loaded'));

      const r = await ns.execOrThrow([process.execPath, '-e', CLIENT], { timeoutMs: 30_000 });
      const client = JSON.parse(r.stdout) as { pid: number; netns: number; results: string[] };
      const failedAt = Date.now();
      expect(client.results).toEqual(['ok', 'ok', ...Array(FAILS).fill('EADDRNOTAVAIL')]);

      const seen = await until('the failures in /metrics', async () => {
        const s = await scrape();
        return s.m.get(counted) === FAILS ? s : undefined;
      }, 90_000);
      // Another namespace's ports ran out, not this one's: quoted as a warning, never this namespace's exhaustion.
      const elsewhere = await until('the warning that quotes them', async () => {
        const s = await scrape();
        return s.m.get('portwatch_diagnosis{id="port-allocation-failures-elsewhere"}') === 2 ? s : undefined;
      }, 30_000);
      expect(elsewhere.m.get('portwatch_severity_level')).toBeLessThan(4);
      expect(seen.m.get('portwatch_connect_tracer_up')).toBe(1);
      if (promtoolUnavailable() === null) expect(promtoolCheckMetrics(seen.text)).toEqual({ status: 0, output: '' });
      // Nothing more arrives for them: exactly FAILS.
      await new Promise((res) => setTimeout(res, 2500));
      expect((await scrape()).m.get(counted)).toBe(FAILS);

      // Killed: restarted with backoff, probes attached again.
      process.kill(first!, 'SIGKILL');
      await until('the tracer down', async () => ((await scrape()).m.get('portwatch_connect_tracer_up') === 0 ? true : undefined), 60_000);
      const [second] = await until('a new bpftrace', () => (bpftraceChildren(process.pid).some((p) => p !== first) ? bpftraceChildren(process.pid) : undefined), 60_000);
      expect(second).not.toBe(first);
      await until('the tracer up again', async () => ((await scrape()).m.get('portwatch_connect_tracer_up') === 1 ? true : undefined), 90_000);
      const programs2 = bpfProgramIds(second!);

      ac.abort();
      expect(await done).toBe(0);
      expect(bpftraceChildren(process.pid)).toEqual([]);
      expect([first!, second!].filter(existsPid)).toEqual([]);
      expect(Object.values(bpfProgramState([...programs, ...programs2]))).toEqual([...programs, ...programs2].map(() => 'gone'));
      expect(tracefsState()).toEqual(before);

      // No episode of this namespace names the pod's destination (before this change one did, exhausted).
      const episodes = readEpisodes(process.env.PORTWATCH_STATE_DIR!).episodes.filter((e) => e.end === null || e.end >= failedAt);
      expect(episodes.filter((e) => e.worstDestination === `${DEST}:${PORT}` || e.cause.includes(`${DEST}:${PORT}`))).toEqual([]);
    } finally {
      ac.abort();
      await done;
    }
  }, 300_000);

  it.runIf(canTrace)('the desktop monitor: the sample carries the tracer as a source, and closing it stops bpftrace', async () => {
    const monitor = startLocalMonitor({ config: { cpuBudget: 0.02, analysis: defaultSettings().analysis }, version: 'test', tuning: null });
    try {
      const [pid] = await until('our bpftrace', () => (bpftraceChildren(process.pid).length === 1 ? bpftraceChildren(process.pid) : undefined), 30_000);
      const sample = await until('a sample with the tracer attached', async () => {
        const r = await monitor.endpoint.handle({ id: 1, method: 'getSnapshot', params: {} });
        const s = r.ok ? (r.result as { sample: Sample | null }).sample : null;
        return s?.sources.some((x) => x.name === 'connect-tracer' && x.status === 'ok') ? s : undefined;
      }, 120_000);
      expect(sample.connectFailures).toBeDefined();
      await monitor.close();
      expect(bpftraceChildren(process.pid)).toEqual([]);
      expect(existsPid(pid!)).toBe(false);
    } finally {
      await monitor.close();
    }
  }, 200_000);
});

function existsPid(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
