import { describe, expect, it } from 'vitest';
import type { HostSample, NamespaceIdentity, NamespaceSample } from '../../electron/common/host-sample.js';
import { MetricsRegistry } from '../../electron/server/metrics-registry.js';
import { addNamespaceFamilies } from '../../electron/server/netns-metrics.js';
import { makeSample } from '../node/service/make-sample.js';
import { parseExposition } from './exposition.js';
import { Analyzer } from '../../electron/node/engine/analyzer.js';
import { linuxKernel, outbound, snapshotOf } from '../node/engine/engine-fixtures.js';

const T0 = 1_700_000_000_000;
const identity = (inode: number, names: string[]): NamespaceIdentity => ({
  id: `net:[${inode}]`, inode, names, self: false, host: false, processes: [], processCount: 0, containers: [], pod: null,
});

describe('per-namespace metrics', () => {
  it('leave out the socket figures of a namespace whose socket table could not be read, and keep what was read', () => {
    const read: NamespaceSample = { identity: identity(4026532301, ['read']), status: 'ok', sample: makeSample(T0, 5) };
    const unread: NamespaceSample = {
      identity: identity(4026532302, ['unread']),
      status: 'ok',
      sample: makeSample(T0, 0, { severity: 'unknown', socketTableRead: false, totalSockets: 0, worst: null, destinations: [], destinationCount: 0 }),
    };
    const host: HostSample = { schema: 1, time: T0, hostname: 'n', scope: 'host', namespaces: [read, unread], vanished: 0, worst: read.identity.id, severity: 'ok', cost: { wallMs: 1, cpuMs: 1 } };
    const m = parseExposition(addNamespaceFamilies(new MetricsRegistry<null>(), () => host).render(null));
    const series = (family: string, netns: string) => [...m].filter(([k]) => k.startsWith(`${family}{netns="${netns}"`)).map(([, v]) => v);
    expect(series('portwatch_netns_sockets', 'net:[4026532301]')).toEqual([6]);
    expect(series('portwatch_netns_utilization_ratio', 'net:[4026532301]')[0]).toBeCloseTo(5 / 28232, 12);
    expect(series('portwatch_netns_sockets', 'net:[4026532302]')).toEqual([]);
    expect(series('portwatch_netns_utilization_ratio', 'net:[4026532302]')).toEqual([]);
    expect(series('portwatch_netns_level', 'net:[4026532302]')).toEqual([0]);
    expect(series('portwatch_netns_port_range_ports', 'net:[4026532302]')).toEqual([28232]);
  });

  it('leave out the use of a namespace whose range is unknown, and keep its socket count', () => {
    const sample = new Analyzer().analyze(snapshotOf(outbound(3, { remote: '10.0.0.2', port: 80 }), { kernel: linuxKernel({ portRange: null }) }), { wallMs: 1, cpuMs: 1 });
    const noRange: NamespaceSample = { identity: identity(4026532303, ['no-range']), status: 'ok', sample };
    const host: HostSample = { schema: 1, time: T0, hostname: 'n', scope: 'host', namespaces: [noRange], vanished: 0, worst: noRange.identity.id, severity: 'unknown', cost: { wallMs: 1, cpuMs: 1 } };
    const m = parseExposition(addNamespaceFamilies(new MetricsRegistry<null>(), () => host).render(null));
    const series = (family: string) => [...m].filter(([k]) => k.startsWith(`${family}{netns="net:[4026532303]"`)).map(([, v]) => v);
    expect(series('portwatch_netns_sockets')).toEqual([3]);
    expect(series('portwatch_netns_utilization_ratio')).toEqual([]);
    expect(series('portwatch_netns_port_range_ports')).toEqual([]);
  });
});
