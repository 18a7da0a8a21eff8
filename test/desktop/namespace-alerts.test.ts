import { describe, expect, it } from 'vitest';
import type { HostSample, NamespaceIdentity, NamespaceSample } from '../../electron/common/host-sample.js';
import type { Severity } from '../../electron/common/model.js';
import { NamespaceNotifications, namespaceHeadline, watchesAllNamespaces } from '../../electron/desktop/namespace-alerts.js';
import { defaultSettings, parseSettings } from '../../electron/desktop/settings.js';
import { makeSample } from '../node/service/make-sample.js';

const T0 = 1_700_000_000_000;
const identity = (inode: number, over: Partial<NamespaceIdentity> = {}): NamespaceIdentity => ({
  id: `net:[${inode}]`,
  inode,
  names: [],
  self: false,
  host: false,
  processes: [],
  processCount: 0,
  containers: [],
  pod: null,
  ...over,
});
const POD = identity(4026532301, { pod: { uid: 'u', namespace: 'shop', name: 'checkout-7d4f' } });
const ENVOY = identity(4026532302, { containers: [{ runtime: 'containerd', id: 'b'.repeat(64), name: 'envoy' }] });
const OWN = identity(4026531840, { self: true, host: true });

function host(t: number, levels: [NamespaceIdentity, Severity | null][]): HostSample {
  const namespaces: NamespaceSample[] = levels.map(([identity, sev]) =>
    sev === null ? { identity, status: 'refused', error: 'EPERM', sample: null } : { identity, status: 'ok', sample: makeSample(t, sev === 'ok' ? 1 : 90, { severity: sev }) },
  );
  const worst = namespaces.find((n) => n.sample)?.identity.id ?? null;
  return { schema: 1, time: t, hostname: 'node-1', scope: 'host', namespaces, vanished: 0, worst, severity: 'ok', cost: { wallMs: 1, cpuMs: 1 } };
}

const notifications = { ...defaultSettings().notifications, minIntervalSec: 10 };

describe('the desktop app across every namespace', () => {
  it('watches every namespace by default exactly when it is root in the host namespace; the setting overrides, and says why it cannot', () => {
    expect(watchesAllNamespaces(null, { canReadHost: true, inHostNamespace: true })).toEqual({ on: true, note: null });
    expect(watchesAllNamespaces(null, { canReadHost: true, inHostNamespace: false })).toEqual({ on: false, note: null });
    expect(watchesAllNamespaces(null, { canReadHost: false, inHostNamespace: true })).toEqual({ on: false, note: null });
    expect(watchesAllNamespaces(false, { canReadHost: true, inHostNamespace: true }).on).toBe(false);
    expect(watchesAllNamespaces(true, { canReadHost: true, inHostNamespace: false }).on).toBe(true);
    expect(watchesAllNamespaces(true, { canReadHost: false, inHostNamespace: true })).toMatchObject({ on: false, note: expect.stringMatching(/needs root/) });
  });

  it('keeps the setting in the settings file: automatic by default, a bad value named', () => {
    expect(defaultSettings().allNamespaces).toBeNull();
    expect(parseSettings({ allNamespaces: false }).settings.allNamespaces).toBe(false);
    const bad = parseSettings({ allNamespaces: 'yes' });
    expect(bad.settings.allNamespaces).toBeNull();
    expect(bad.problems).toEqual(['allNamespaces: expected true, false or null (automatic), got "yes"']);
  });

  it('names the worst namespace in the tray headline', () => {
    const h = host(T0, [
      [POD, 'exhausted'],
      [ENVOY, 'exhausted'],
      [OWN, 'ok'],
    ]);
    expect(namespaceHeadline(h)).toMatch(/^EXHAUSTED in pod shop\/checkout-7d4f \(and 1 more at exhausted\): /);
    expect(namespaceHeadline(host(T0, [[POD, null]]))).toBe('1 network namespaces, none could be read');
  });

  it('judges severity per namespace and names the namespace in each notification', () => {
    const n = new NamespaceNotifications();
    const first = n.observe(host(T0, [[POD, 'critical'], [ENVOY, 'ok'], [OWN, 'exhausted']]), notifications, T0, 600);
    // the pod climbed; the container is fine; the app's own namespace goes through its own policy
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ kind: 'upward', severity: 'critical', netns: POD.id, label: 'pod shop/checkout-7d4f' });
    expect(first[0]!.title).toMatch(/ in pod shop\/checkout-7d4f$/);
    expect(first[0]!.body).toMatch(/^pod shop\/checkout-7d4f \(net:\[4026532301\]\): /);
    // the same level again is not news; the container climbing is, on its own
    const second = n.observe(host(T0 + 60_000, [[POD, 'critical'], [ENVOY, 'warning']]), notifications, T0 + 60_000, 601);
    expect(second.map((x) => [x.label, x.kind])).toEqual([['container envoy', 'upward']]);
    // the pod recovers: told so, by name
    const third = n.observe(host(T0 + 120_000, [[POD, 'ok'], [ENVOY, 'warning']]), notifications, T0 + 120_000, 602);
    expect(third.map((x) => [x.label, x.kind])).toEqual([['pod shop/checkout-7d4f', 'recovery']]);
    // a namespace that is gone takes what it was told with it
    n.observe(host(T0 + 180_000, [[ENVOY, 'warning']]), notifications, T0 + 180_000, 603);
    expect(n.size()).toBe(1);
  });
});
