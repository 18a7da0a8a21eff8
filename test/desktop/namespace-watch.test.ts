// The desktop monitor across every network namespace: the watch follows the allNamespaces setting (on
// automatically when root in the host's namespace with the native reader; true without them says why
// not; false stops it), and, on the real kernel, the desktop's local monitor finds a namespace the kernel
// really exhausted, hands it to the dashboard (getNamespaces, the namespaces event), and the main
// process's tray and notifications name it. Turning the setting off stops it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostSample, NamespaceSample } from '../../electron/common/host-sample.js';
import type { MonitorEvent } from '../../electron/common/contract.js';
import { NamespaceWatch, type HostSamplerLike } from '../../electron/desktop/namespace-watch.js';
import { startLocalMonitor } from '../../electron/desktop/local-monitor.js';
import { createSampler } from '../../electron/node/sampler/sampler.js';
import { defaultSettings } from '../../electron/desktop/settings.js';
import { TrayModel } from '../../electron/desktop/tray-model.js';
import { NotificationController } from '../../electron/desktop/notification-controller.js';
import { trayStateWithNamespaces } from '../../electron/desktop/namespace-alerts.js';
import type { TrayState } from '../../electron/desktop/tray-state.js';
import type { NotificationDraft } from '../../electron/desktop/notification-policy.js';
import { hostReadSupport } from '../../electron/node/platform/linux/host-read.js';
import { inHostNamespace } from '../../electron/node/sampler/netns-scope.js';
import { describeNetns } from '../netns/describe-netns.js';
import { createNamespace, type Namespace, type NsProcess } from '../netns/netns.js';
import { connectHold, startServer } from '../netns/workloads.js';

const ANALYSIS = defaultSettings().analysis;

/** A HostSampler stand-in that records its life. */
class FakeHostSampler implements HostSamplerLike {
  static made: FakeHostSampler[] = [];
  started = false;
  stopped = false;
  listeners = new Set<(h: HostSample) => void>();
  constructor(readonly analysis: unknown) {
    FakeHostSampler.made.push(this);
  }
  onSample(l: (h: HostSample) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
  start(): void {
    this.started = true;
  }
  async stop(): Promise<void> {
    this.stopped = true;
  }
}

function watchWith(access: { canReadHost: boolean; inHostNamespace: boolean }, seen: { observed: number; cleared: number }): NamespaceWatch {
  return new NamespaceWatch({
    observe: () => seen.observed++,
    cleared: () => seen.cleared++,
    access: async () => access,
    createSampler: (a) => new FakeHostSampler(a),
  });
}

describe('the all-namespaces setting', () => {
  it('automatic: on as root in the host namespace with the reader, off elsewhere, without a note', async () => {
    FakeHostSampler.made = [];
    const seen = { observed: 0, cleared: 0 };
    const onHost = watchWith({ canReadHost: true, inHostNamespace: true }, seen);
    await onHost.follow(null, ANALYSIS);
    expect(onHost.running).toBe(true);
    expect(onHost.note).toBeNull();
    expect(FakeHostSampler.made[0]!.started).toBe(true);
    const inPod = watchWith({ canReadHost: true, inHostNamespace: false }, seen);
    await inPod.follow(undefined, ANALYSIS);
    expect(inPod.running).toBe(false);
    expect(inPod.note).toBeNull();
    await onHost.close();
    expect(FakeHostSampler.made[0]!.stopped).toBe(true);
    expect(seen.cleared).toBe(1);
  });

  it('true without root or the reader: this namespace only, and the note says why', async () => {
    const seen = { observed: 0, cleared: 0 };
    const w = watchWith({ canReadHost: false, inHostNamespace: true }, seen);
    await w.follow(true, ANALYSIS);
    expect(w.running).toBe(false);
    expect(w.note).toMatch(/needs root and the native reader/);
  });

  it('false stops a running watch and clears what was shown; new thresholds restart it; applies run in order', async () => {
    FakeHostSampler.made = [];
    const seen = { observed: 0, cleared: 0 };
    const w = watchWith({ canReadHost: true, inHostNamespace: true }, seen);
    // Three changes at once: applied one after the other, so the last one wins.
    void w.follow(null, ANALYSIS);
    void w.follow(false, ANALYSIS);
    await w.follow(true, ANALYSIS);
    expect(w.running).toBe(true);
    expect(FakeHostSampler.made.map((s) => [s.started, s.stopped])).toEqual([
      [true, true],
      [true, false],
    ]);
    expect(seen.cleared).toBe(1);
    // The same settings again: the running sampler (and what its analyzers remember) stays.
    await w.follow(true, ANALYSIS);
    expect(FakeHostSampler.made).toHaveLength(2);
    // New thresholds: the per-namespace analyzers take them only when made, so a new sampler.
    await w.follow(true, { ...ANALYSIS, thresholds: { warning: 0.5, critical: 0.8 } });
    expect(FakeHostSampler.made).toHaveLength(3);
    expect(FakeHostSampler.made[1]!.stopped).toBe(true);
    await w.follow(false, ANALYSIS);
    expect(w.running).toBe(false);
    await w.close();
    await w.follow(true, ANALYSIS); // after close: nothing starts
    expect(w.running).toBe(false);
  });
});

describe('the tray with every namespace', () => {
  const base: TrayState = { icon: 'ok', severity: 'ok', tooltip: 'Portwatch — ok', statusLine: 'OK', episodeLine: null };
  const host = (severity: 'ok' | 'critical', self: boolean, time = 1_000): HostSample =>
    ({
      schema: 1,
      time,
      hostname: 'node1',
      scope: 'host',
      vanished: 0,
      worst: 'net:1',
      severity,
      namespaces: [
        {
          identity: { id: 'net:1', inode: 1, host: false, self, names: ['web'], processes: [], containers: [], pod: { namespace: 'shop', name: 'checkout-7d4f', uid: 'u' } },
          sample: { severity, worst: null, global: { utilization: 0.9 } },
        } as unknown as NamespaceSample,
      ],
    }) as unknown as HostSample;

  it('a worse namespace leads and is named; a paused tray, a stale reading or the own namespace change nothing', () => {
    expect(trayStateWithNamespaces(base, null, 1_000)).toBe(base);
    expect(trayStateWithNamespaces(base, host('ok', false), 1_000)).toBe(base);
    expect(trayStateWithNamespaces(base, host('critical', true), 1_000)).toBe(base);
    expect(trayStateWithNamespaces({ ...base, icon: 'paused', severity: 'unknown' }, host('critical', false), 1_000).icon).toBe('paused');
    expect(trayStateWithNamespaces(base, host('critical', false, 1_000), 1_000 + 4 * 60_000)).toBe(base);
    const s = trayStateWithNamespaces(base, host('critical', false), 1_000);
    expect(s.icon).toBe('critical');
    expect(s.tooltip).toMatch(/^Portwatch — critical in pod shop\/checkout-7d4f\n/);
    expect(s.statusLine).toMatch(/^CRITICAL in pod shop\/checkout-7d4f/);
  });
});

describeNetns('the desktop monitor across every namespace, on the real kernel', () => {
  let pod: Namespace;
  let server: NsProcess;
  let client: NsProcess;
  const canWatch = hostReadSupport().ok;

  beforeAll(async () => {
    pod = await createNamespace('dwpod');
    await pod.sysctl('net.ipv4.ip_local_port_range', '40000 40009');
    server = await startServer(pod, ['127.0.0.1:8080']);
    const held = await connectHold(pod, '127.0.0.1:8080', 12);
    // The kernel's own answer: 10 ports, then EADDRNOTAVAIL.
    expect(held.connected).toBe(10);
    expect(held.codes.EADDRNOTAVAIL).toBe(2);
    client = held.process;
  }, 60_000);

  afterAll(async () => {
    client?.kill('SIGKILL');
    server?.kill('SIGKILL');
    await pod?.destroy();
  });

  it.runIf(canWatch)('finds the exhausted namespace, shows it to the dashboard, the tray and notifications name it; false stops it', async () => {
    expect(await inHostNamespace()).toBe(true); // the automatic setting is on only here
    const monitor = startLocalMonitor({
      config: { cpuBudget: 0.05, analysis: ANALYSIS, allNamespaces: null },
      version: 'test',
      tuning: null,
      // The monitor's own sampler without the tracer (not what this test is about).
      createSampler: (c) => createSampler({ cpuBudget: c.cpuBudget, analysis: c.analysis }),
      namespaces: { intervalMs: 500 },
    });
    const events: HostSample[] = [];
    const unsubscribe = monitor.endpoint.subscribe((e: MonitorEvent) => {
      if (e.event === 'namespaces') events.push(e.data);
    });
    try {
      const ours = (h: HostSample | null): NamespaceSample | undefined => h?.namespaces.find((n) => n.identity.names.includes(pod.name));
      let host: HostSample | null = null;
      for (let i = 0; i < 200 && ours(host)?.sample?.severity !== 'exhausted'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        const r = await monitor.endpoint.handle({ id: i, method: 'getNamespaces', params: {} });
        host = r.ok ? (r.result as HostSample | null) : null;
      }
      const ns = ours(host)!;
      expect(ns.sample!.severity).toBe('exhausted');
      expect(ns.sample!.worst!.key).toMatch(/\|127\.0\.0\.1\|8080$/);
      expect(events.some((h) => ours(h)?.sample?.severity === 'exhausted')).toBe(true);

      // The main process's side, fed the same reading: the tray leads with it and names it; a notification names it.
      const tray = new TrayModel({ attribution: { kind: 'full', why: 'root' }, tuning: { available: true }, clock: () => host!.time });
      tray.namespaces(host);
      const view = tray.view(false, defaultSettings());
      expect(view.state.icon).toBe('exhausted');
      expect(view.state.tooltip).toContain(`in netns ${pod.name}`);
      const shown: Pick<NotificationDraft, 'title' | 'body'>[] = [];
      const notes = new NotificationController((d) => shown.push(d), () => host!.time, () => 12 * 60);
      notes.observeNamespaces(host!, defaultSettings().notifications);
      expect(shown.some((d) => d.title.endsWith(`in netns ${pod.name}`) && d.body.includes(ns.identity.id))).toBe(true);

      // Turned off: no more readings of the other namespaces, and the dashboard is told none.
      monitor.configure({ cpuBudget: 0.05, analysis: ANALYSIS, allNamespaces: false });
      let after: unknown = 'not asked';
      for (let i = 0; i < 50 && after !== null; i++) {
        await new Promise((r) => setTimeout(r, 100));
        const r = await monitor.endpoint.handle({ id: 1000 + i, method: 'getNamespaces', params: {} });
        after = r.ok ? r.result : 'failed';
      }
      expect(after).toBeNull();
      const count = events.length;
      await new Promise((r) => setTimeout(r, 1_500)); // three intervals of the host sampler
      expect(events.length).toBe(count);
    } finally {
      unsubscribe();
      await monitor.close();
    }
  }, 60_000);
});
