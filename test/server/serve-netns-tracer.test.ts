// Host-wide, each namespace's reading carries the failures traced in it, on the real kernel: `portwatch serve
// --netns host` runs as root in the host's namespace (its tracer host-wide), a client in a pod-like
// namespace with a 2-port range makes exactly 7 connects fail; that namespace's sample — what the
// dashboard's Diagnoses panel shows when it is chosen — becomes exhausted and quotes the failures as a
// one-namespace monitor does ("node (pid N) in netns NAME failed 7 connects to A:P in the last minute
// (EADDRNOTAVAIL)"), while an idle namespace stays ok with no failures, and no namespace carries another's.
// The desktop monitor watching every namespace does the same.
import { statSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { PortwatchClient } from '../../renderer/src/api/client.js';
import { WebSocketTransport } from '../../renderer/src/api/ws-transport.js';
import { tracerPreflight } from '../../electron/node/platform/linux/tracer/connect-failure-tracer.js';
import { hostReadSupport } from '../../electron/node/platform/linux/host-read.js';
import { runServe } from '../../electron/server/serve.js';
import { startLocalMonitor } from '../../electron/desktop/local-monitor.js';
import { defaultSettings } from '../../electron/desktop/settings.js';
import type { HostSample, NamespaceSample } from '../../electron/common/host-sample.js';
import type { Sample } from '../../electron/common/model.js';
import { describeNetns } from '../netns/describe-netns.js';
import { createNamespace, type Namespace } from '../netns/netns.js';
import { notAvailable, runFailingClient, type FailingClientResult } from '../netns/failing-client.js';
import { capture, until } from './serve-io.js';
import { NODE_COMM } from '../netns/node-comm.js';

const canRun = !('error' in tracerPreflight()) && hostReadSupport().ok;
const FAILS = 7;
const HELD = 2;
// A destination no other test uses: the tracer is host-wide and the machine may be shared.
const DEST = '127.0.0.78';

describeNetns('host-wide: each namespace carries the connect failures traced in it (real kernel)', () => {
  // One failing namespace per test (what a client leaves, TIME-WAIT, stays a minute), one idle namespace.
  const failing: Namespace[] = [];
  let idle: Namespace;
  let idleInode: number;
  const inode = (ns: Namespace): number => statSync(`/run/netns/${ns.name}`).ino;

  beforeAll(async () => {
    if (!canRun) return;
    for (const label of ['hwfailserve', 'hwfaildesk']) {
      const ns = await createNamespace(label);
      await ns.sysctl('net.ipv4.ip_local_port_range', '40000 40001');
      failing.push(ns);
    }
    idle = await createNamespace('hwidle');
    await idle.sysctl('net.ipv4.ip_local_port_range', '45000 45999');
    idleInode = inode(idle);
  });
  afterAll(async () => {
    for (const ns of failing) await ns.destroy();
    await idle?.destroy();
  });

  const find = (h: HostSample | null, inode: number): NamespaceSample | undefined => h?.namespaces.find((n) => n.identity.inode === inode);

  /** Makes exactly FAILS connects toward DEST:port fail in the failing namespace. */
  async function fail(pod: Namespace, port: number): Promise<FailingClientResult> {
    const client = await runFailingClient(pod, { port, total: HELD + FAILS, host: DEST, lingerMs: 3000 });
    expect(client.netns).toBe(inode(pod));
    expect(client.results.slice(0, HELD)).toEqual(['ok', 'ok']);
    expect(notAvailable(client)).toBe(FAILS);
    return client;
  }

  /** Both namespaces read, the failing one's reading with the tracer attached. */
  function bothReadTraced(host: HostSample | null, pod: Namespace): boolean {
    return find(host, inode(pod))?.sample?.sources.some((x) => x.name === 'connect-tracer' && x.status === 'ok') === true && find(host, idleInode)?.sample != null;
  }

  /** Before any failure: both namespaces read, neither exhausted, no failures (the tracer is among their sources). */
  function checkBefore(host: HostSample, pod: Namespace): void {
    for (const n of [inode(pod), idleInode]) {
      const s = find(host, n)!.sample!;
      expect(s.severity).toBe('ok');
      expect(s.connectFailures).toEqual([]);
      expect(s.sources.find((x) => x.name === 'connect-tracer')?.status).toBe('ok');
    }
  }

  /** The failing namespace's sample says so, as a one-namespace monitor would; the idle one does not; none carries another's. */
  function checkAfter(host: HostSample, pod: Namespace, client: FailingClientResult, port: number): void {
    const failingInode = inode(pod);
    const quote = `${NODE_COMM} (pid ${client.pid}) in netns ${pod.name} failed ${FAILS} connects to ${DEST}:${port} in the last minute (EADDRNOTAVAIL)`;
    const s: Sample = find(host, failingInode)!.sample!;
    expect(s.severity).toBe('exhausted');
    expect(s.severityReason).toContain(quote);
    expect(s.diagnoses[0]).toMatchObject({ id: 'port-allocation-failures', severity: 'critical' });
    expect(s.diagnoses[0]!.summary).toContain(quote);
    const mine = s.connectFailures!.filter((f) => f.pid === client.pid);
    expect(mine.map(({ firstSeen: _f, lastSeen: _l, ...f }) => f)).toEqual([
      { pid: client.pid, name: NODE_COMM, netns: failingInode, syscall: 'connect', remoteAddress: DEST, remotePort: port, errno: 99, count: FAILS, recentCount: FAILS, place: `netns ${pod.name}` },
    ]);
    const quiet = find(host, idleInode)!.sample!;
    expect(quiet.severity).toBe('ok');
    expect(quiet.connectFailures).toEqual([]);
    expect(quiet.diagnoses.map((d) => d.id)).not.toContain('port-allocation-failures');
    for (const n of host.namespaces) for (const f of n.sample?.connectFailures ?? []) expect(f.netns).toBe(n.identity.inode);
  }

  /** The namespace's sample once it carries the client's failures with their place (named in the background). */
  const carries = (h: HostSample | null, pod: Namespace, client: FailingClientResult): boolean => find(h, inode(pod))?.sample?.connectFailures?.some((f) => f.pid === client.pid && f.place !== undefined) === true;

  it.runIf(canRun)('serve --netns host: the failing namespace is exhausted and quotes its failures; an idle one does not', async () => {
    const ns = failing[0]!;
    const out = capture();
    const ac = new AbortController();
    const done = runServe(['--port', '0', '--netns', 'host'], { stdout: out.stream, stderr: capture().stream }, ac.signal);
    let client: PortwatchClient | null = null;
    try {
      const url = await until('the dashboard URL', () => /Portwatch dashboard: http:\/\/127\.0\.0\.1:(\d+)\/\?token=([\w-]+)/.exec(out.text()) ?? undefined, 30_000);
      const transport = new WebSocketTransport({ url: `ws://127.0.0.1:${url[1]}/ws?token=${url[2]}`, WebSocketImpl: WebSocket as unknown as typeof globalThis.WebSocket });
      const c = (client = new PortwatchClient(transport));
      await new Promise<void>((resolve) => c.onState((s) => s === 'open' && resolve()));
      await until('the tracer attached', async () => ((await c.getSnapshot()).sample?.sources.some((x) => x.name === 'connect-tracer' && x.status === 'ok') ? true : undefined), 90_000);
      // a host-wide reading taken with the tracer attached, before anything failed
      const before = await until('both namespaces read with the tracer', async () => {
        const h = await c.getNamespaces();
        return bothReadTraced(h, ns) ? h! : undefined;
      }, 90_000);
      checkBefore(before, ns);

      const port = 47655;
      const failed = await fail(ns, port);
      const after = await until('the failing namespace with its failures', async () => {
        const h = await c.getNamespaces();
        return carries(h, ns, failed) ? h! : undefined;
      }, 90_000);
      checkAfter(after, ns, failed, port);
      // and an episode of that namespace, naming it, whose cause quotes the failures
      const episodes = (await c.getEpisodes({})).filter((e) => e.netns?.id === `net:[${inode(ns)}]`);
      expect(episodes.some((e) => e.peakSeverity === 'exhausted' && e.netns?.label === `netns ${ns.name}` && e.cause.includes(`${NODE_COMM} (pid ${failed.pid}) in `) && e.cause.includes(`failed ${FAILS} connects to ${DEST}:${port} in the last minute (EADDRNOTAVAIL)`))).toBe(true);
    } finally {
      client?.close();
      ac.abort();
      expect(await done).toBe(0);
    }
  }, 300_000);

  it.runIf(canRun)('the desktop monitor watching every namespace: the same', async () => {
    const ns = failing[1]!;
    const monitor = startLocalMonitor({ config: { cpuBudget: 0.05, analysis: defaultSettings().analysis, allNamespaces: true }, version: 'test', tuning: null, namespaces: { intervalMs: 1000 } });
    const host = async (): Promise<HostSample | null> => {
      const r = await monitor.endpoint.handle({ id: 1, method: 'getNamespaces', params: {} });
      return r.ok ? (r.result as HostSample | null) : null;
    };
    try {
      const before = await until('both namespaces read with the tracer attached', async () => {
        const h = await host();
        return bothReadTraced(h, ns) ? h! : undefined;
      }, 120_000);
      checkBefore(before, ns);
      const port = 47656;
      const failed = await fail(ns, port);
      const after = await until('the failing namespace with its failures', async () => {
        const h = await host();
        return carries(h, ns, failed) ? h! : undefined;
      }, 90_000);
      checkAfter(after, ns, failed, port);
    } finally {
      await monitor.close();
    }
  }, 300_000);
});
