import { describe, expect, it } from 'vitest';
import type { HostSample, NamespaceIdentity, NamespaceSample } from '../../electron/common/host-sample.js';
import type { Sample, Severity } from '../../electron/common/model.js';
import { ALL_NAMESPACES, namespaceLabels, namespaceRows, scopedDestinations, scopedProcesses, scopedSample } from '../../renderer/src/state/namespace-view.js';
import { makeSample } from '../node/service/make-sample.js';
import { Analyzer } from '../../electron/node/engine/analyzer.js';
import { linuxKernel, outbound, snapshotOf } from '../node/engine/engine-fixtures.js';

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

function sampleIn(id: string, t: number, inUse: number, severity: Severity): Sample {
  const s = makeSample(t, inUse, { severity });
  s.destinations = s.destinations.map((d) => ({ ...d, netns: id, key: `${id}|${d.localAddress}|${d.remoteAddress}|${d.remotePort}` }));
  s.processes = [{ pid: 7, name: `p-${id}`, sockets: inUse, timeWait: 0, topDestinations: [] }];
  return s;
}

const POD = identity(4026532301, { pod: { uid: 'u', namespace: 'shop', name: 'checkout' }, processes: [{ pid: 7, name: 'envoy' }], processCount: 1 });
const OWN = identity(4026531840, { self: true, host: true });
const GONE = identity(4026532399, { names: ['broken'] });

function host(): HostSample {
  const ns: NamespaceSample[] = [
    { identity: POD, status: 'ok', sample: sampleIn(POD.id, T0, 90, 'critical') },
    { identity: OWN, status: 'ok', sample: sampleIn(OWN.id, T0, 10, 'ok') },
    { identity: GONE, status: 'timeout', error: 'no answer within 5000 ms', sample: null },
  ];
  return { schema: 1, time: T0, hostname: 'n', scope: 'host', namespaces: ns, vanished: 1, worst: POD.id, severity: 'critical', cost: { wallMs: 1, cpuMs: 1 } };
}

describe('the namespace view', () => {
  it('lists namespaces in the host sample\'s order with their label, severity and why one has no sample', () => {
    const rows = namespaceRows(host());
    expect(rows.map((r) => [r.label, r.severity])).toEqual([
      ['pod shop/checkout', 'critical'],
      ['host', 'ok'],
      ['netns broken', 'unknown'],
    ]);
    expect(rows[0]).toMatchObject({ processes: 'envoy (7)', own: false, sockets: host().namespaces[0]!.sample!.totalSockets });
    expect(rows[2]).toMatchObject({ status: 'timeout', error: 'no answer within 5000 ms', use: null, sockets: null });
    expect(namespaceLabels(host()).get(POD.id)).toBe('pod shop/checkout');
  });

  it('gives no socket count or use where they are unknown, and says why, rather than 0', () => {
    const h = host();
    const unread = makeSample(T0, 0, { severity: 'unknown', socketTableRead: false, totalSockets: 0, worst: null, destinations: [], destinationCount: 0 });
    const noRange = new Analyzer().analyze(snapshotOf(outbound(3, { remote: '10.0.0.2', port: 80 }), { kernel: linuxKernel({ portRange: null }) }), { wallMs: 1, cpuMs: 1 });
    h.namespaces = [
      { identity: POD, status: 'ok', sample: unread },
      { identity: OWN, status: 'ok', sample: noRange },
    ];
    const [a, b] = namespaceRows(h);
    expect(a).toMatchObject({ sockets: null, use: null, useUnknown: 'no socket table could be read (see the sources)' });
    expect(b).toMatchObject({ sockets: 3, use: null, useUnknown: 'the ephemeral port range is unknown, and outbound means a local port inside it' });
    expect(namespaceRows(host())[0]).toMatchObject({ useUnknown: null });
  });

  it('shows the monitor\'s own sample without a host sample, the worst namespace\'s for "all", the chosen one\'s otherwise', () => {
    const own = sampleIn(OWN.id, T0 + 500, 11, 'ok');
    expect(scopedSample(null, own, ALL_NAMESPACES)).toBe(own);
    expect(scopedSample(host(), own, ALL_NAMESPACES)?.severity).toBe('critical');
    expect(scopedSample(host(), own, POD.id)?.severity).toBe('critical');
    // its own namespace: the fresher reading of its own sampler
    expect(scopedSample(host(), own, OWN.id)).toBe(own);
    expect(scopedSample(host(), own, GONE.id)).toBeNull();
    expect(scopedSample(host(), own, 'net:[1]')).toBeNull();
  });

  it('"all" merges every namespace\'s destinations (fullest first, keys unique) and processes (with their namespace)', () => {
    const h = host();
    const all = scopedDestinations(h, null, ALL_NAMESPACES);
    expect(all.rows.map((d) => d.netns)).toEqual([POD.id, OWN.id]);
    expect(new Set(all.rows.map((d) => d.key)).size).toBe(2);
    const one = scopedDestinations(h, h.namespaces[1]!.sample, OWN.id);
    expect(one.rows.map((d) => d.netns)).toEqual([OWN.id]);
    expect(scopedProcesses(h, null, ALL_NAMESPACES).map((p) => [p.netns, p.pid])).toEqual([
      [POD.id, 7],
      [OWN.id, 7],
    ]);
    expect(scopedProcesses(h, h.namespaces[0]!.sample, POD.id)).toMatchObject([{ netns: POD.id, pid: 7 }]);
  });
});
