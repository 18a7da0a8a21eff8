import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { episodeSchema } from '../../../electron/common/episode.js';
import type { HostSample, NamespaceIdentity, NamespaceSample } from '../../../electron/common/host-sample.js';
import type { Severity } from '../../../electron/common/model.js';
import { validate } from '../../../electron/common/schema.js';
import { NamespaceEpisodes } from '../../../electron/node/engine/namespace-episodes.js';
import { readEpisodes } from '../../../electron/node/history/episode-log.js';
import { HistoryStore } from '../../../electron/node/history/history-store.js';
import { PersistentState } from '../../../electron/node/history/persistent-state.js';
import { makeSample } from '../service/make-sample.js';

const T0 = 1_700_000_000_000;

function identity(inode: number, over: Partial<NamespaceIdentity> = {}): NamespaceIdentity {
  return { id: `net:[${inode}]`, inode, names: [], self: false, host: false, processes: [], processCount: 0, containers: [], pod: null, ...over };
}

const POD = identity(4026532301, { pod: { uid: 'u-1', namespace: 'shop', name: 'checkout-7d4f' } });
const CONTAINER = identity(4026532302, { containers: [{ runtime: 'containerd', id: 'a'.repeat(64), name: 'envoy' }] });
const SELF = identity(4026531840, { self: true, host: true });

function ns(id: NamespaceIdentity, t: number, severity: Severity | null): NamespaceSample {
  return severity === null
    ? { identity: id, status: 'timeout', error: 'no answer within 5000 ms', sample: null }
    : { identity: id, status: 'ok', sample: makeSample(t, 10, { severity, severityReason: `${severity} in ${id.id}` }) };
}

function host(t: number, namespaces: NamespaceSample[]): HostSample {
  return { schema: 1, time: t, hostname: 'node-1', scope: 'host', namespaces, vanished: 0, worst: null, severity: 'ok', cost: { wallMs: 1, cpuMs: 1 } };
}

describe('episodes per network namespace', () => {
  it('gives each namespace its own episode, named after its pod or container, with ids unique on the machine', () => {
    const tracker = new NamespaceEpisodes();
    const started = tracker.observe(host(T0, [ns(POD, T0, 'critical'), ns(CONTAINER, T0, 'warning'), ns(SELF, T0, 'ok')]));
    expect(started).toHaveLength(2);
    expect(started.find((e) => e.netns?.id === POD.id)).toMatchObject({ start: T0, end: null, peakSeverity: 'critical', netns: { label: 'pod shop/checkout-7d4f' } });
    expect(started.find((e) => e.netns?.id === CONTAINER.id)).toMatchObject({ peakSeverity: 'warning', netns: { label: 'container envoy' } });
    expect(new Set(started.map((e) => e.id)).size).toBe(2);
    for (const e of started) expect(validate(episodeSchema, e, 'episode').ok).toBe(true);

    // the pod recovers, the container gets worse: one ends, the other peaks higher
    const next = tracker.observe(host(T0 + 1000, [ns(POD, T0 + 1000, 'ok'), ns(CONTAINER, T0 + 1000, 'exhausted'), ns(SELF, T0 + 1000, 'ok')]));
    expect(next.find((e) => e.netns?.id === POD.id)).toMatchObject({ id: started.find((e) => e.netns?.id === POD.id)!.id, end: T0 + 1000 });
    expect(next.find((e) => e.netns?.id === CONTAINER.id)).toMatchObject({ peakSeverity: 'exhausted', end: null });
  });

  it('leaves the monitor\'s own namespace to its own tracker when asked', () => {
    const tracker = new NamespaceEpisodes([], { skipSelf: true });
    expect(tracker.observe(host(T0, [ns(SELF, T0, 'exhausted')]))).toEqual([]);
  });

  it('neither starts nor ends an episode for a namespace it could not read; ends it where last seen when the namespace is gone', () => {
    const tracker = new NamespaceEpisodes();
    const [e] = tracker.observe(host(T0, [ns(POD, T0, 'critical')]));
    expect(tracker.observe(host(T0 + 1000, [ns(POD, T0 + 1000, null)]))).toEqual([]);
    expect(tracker.openEpisodes()).toMatchObject([{ id: e!.id, lastSeen: T0 }]);
    // the pod was deleted: its namespace is gone, and so is its episode, at the last time it was seen
    expect(tracker.observe(host(T0 + 2000, []))).toMatchObject([{ id: e!.id, end: T0, netns: { id: POD.id } }]);
    expect(tracker.openEpisodes()).toEqual([]);
  });
});

describe('namespace episodes on disk', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'netns4-episodes-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('are written with their namespace, resumed after a restart, and never taken for the monitor\'s own', () => {
    let clock = T0;
    const first = new PersistentState({ dir, history: new HistoryStore(), clock: () => clock, warn: () => undefined });
    const [e] = first.observeNamespaces(host(T0, [ns(SELF, T0, 'ok'), ns(POD, T0, 'critical')]));
    expect(e).toMatchObject({ netns: { label: 'pod shop/checkout-7d4f' }, end: null });
    clock = T0 + 30_000;
    first.observeNamespaces(host(clock, [ns(SELF, clock, 'ok'), ns(POD, clock, 'critical')]));
    first.close();
    expect(readEpisodes(dir).episodes).toMatchObject([{ id: e!.id, lastSeen: T0 + 30_000, netns: { id: POD.id } }]);

    clock = T0 + 60_000;
    const second = new PersistentState({ dir, history: new HistoryStore(), clock: () => clock, warn: () => undefined });
    // the monitor's own sample is ok: the pod's open episode is not its own to end
    expect(second.observe(makeSample(clock, 10, { severity: 'ok' }))).toBeNull();
    const ended = second.observeNamespaces(host(clock, [ns(SELF, clock, 'ok'), ns(POD, clock, 'ok')]));
    expect(ended).toMatchObject([{ id: e!.id, start: T0, end: clock, netns: { id: POD.id } }]);
    second.close();
    expect(second.episodes()).toMatchObject([{ id: e!.id, end: clock }]);
  });
});
