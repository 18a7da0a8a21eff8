// Observed connect() failures in a sample: facts that make their destination exhausted while they occur,
// quoted with the process, where it runs, the count of the last minute and the destination.
import { describe, expect, it } from 'vitest';
import { currentFailures, describeFailure, netnsInode, recentFailures, withConnectFailures, FAILURES_CURRENT_MS, type ConnectFailure } from '../../electron/common/connect-failures.js';
import { sampleSchema } from '../../electron/common/model-schema.js';
import { EpisodeTracker } from '../../electron/node/engine/episodes.js';
import { makeDestination, makeSample } from '../node/service/make-sample.js';

const NOW = 1_800_000_000_000;
/** The namespace the samples below describe, where failure() happens unless told otherwise. */
const OWN = 4026532173;
const HOST = 4026531840;

function failure(over: Partial<ConnectFailure> = {}): ConnectFailure {
  return { pid: 812, name: 'nginx', netns: 4026532173, syscall: 'connect', remoteAddress: '10.0.3.7', remotePort: 8080, errno: 99, count: 5000, recentCount: 1204, place: 'pod web-7', firstSeen: NOW - 300_000, lastSeen: NOW - 2_000, ...over };
}

describe('describeFailure', () => {
  it('quotes the process, its pod, the count of the last minute and the destination', () => {
    expect(describeFailure(failure())).toBe('nginx (pid 812) in pod web-7 failed 1,204 connects to 10.0.3.7:8080 in the last minute (EADDRNOTAVAIL)');
  });

  it('falls back to the netns inode, and to the count since first seen when there is no recent count', () => {
    const { recentCount: _r, place: _p, ...old } = failure({ count: 3, remoteAddress: '::1', errno: 98 });
    expect(describeFailure(old)).toBe('nginx (pid 812) in netns 4026532173 failed 3 connects to [::1]:8080 (EADDRINUSE)');
    expect(describeFailure(failure({ recentCount: 1 }))).toContain('failed 1 connect to 10.0.3.7:8080 in the last minute');
  });
});

describe('withConnectFailures', () => {
  it('makes the destination that failed exhausted, with the failure quoted, while the rest keeps its own level', () => {
    const failing = makeDestination(10, 28232, { remoteAddress: '10.0.3.7', remotePort: 8080, netns: 'net:[4026532173]', severity: 'ok' });
    const other = makeDestination(20, 28232, { remoteAddress: '10.0.0.9', remotePort: 80, severity: 'ok' });
    const s = withConnectFailures(makeSample(NOW, 10, { destinations: [other, failing], worst: other, severity: 'ok' }), [failure()], NOW, OWN);
    expect(s.severity).toBe('exhausted');
    expect(s.destinations.map((d) => d.severity)).toEqual(['ok', 'exhausted']);
    expect(s.severityReason).toContain('nginx (pid 812) in pod web-7 failed 1,204 connects to 10.0.3.7:8080 in the last minute');
    expect(s.diagnoses[0]).toMatchObject({ id: 'port-allocation-failures', severity: 'critical' });
    expect(sampleSchema.check(JSON.parse(JSON.stringify(s)), 'sample')).toBeNull();
  });

  it('judges only its own namespace: a pod that ran out of its own ports is listed and quoted as a warning, never this namespace\'s exhaustion', () => {
    const same = makeDestination(10, 28232, { remoteAddress: '10.0.3.7', remotePort: 8080, netns: `net:[${HOST}]`, severity: 'ok' });
    const s = withConnectFailures(makeSample(NOW, 10, { destinations: [same], worst: same, severity: 'ok', severityReason: 'Plenty of ports.' }), [failure()], NOW, HOST);
    expect(s.severity).toBe('ok');
    expect(s.severityReason).toBe('Plenty of ports.');
    expect(s.destinations[0]!.severity).toBe('ok');
    expect(s.connectFailures).toEqual([{ ...failure(), elsewhere: true }]);
    expect(currentFailures(s.connectFailures, NOW)).toEqual([]);
    expect(recentFailures(s.connectFailures, NOW)).toHaveLength(1);
    expect(s.diagnoses.map((d) => [d.id, d.severity])).toEqual([['port-allocation-failures-elsewhere', 'warning']]);
    expect(s.diagnoses[0]!.summary).toBe('nginx (pid 812) in pod web-7 failed 1,204 connects to 10.0.3.7:8080 in the last minute (EADDRNOTAVAIL). That namespace has ports of its own: this one\'s severity does not rest on them.');
    expect(s.diagnoses[0]!.recommendations[0]!.text).toContain('portwatch check --netns host');
    expect(new EpisodeTracker(null, NOW).observe(s)).toBeNull();
    expect(sampleSchema.check(JSON.parse(JSON.stringify(s)), 'sample')).toBeNull();
  });

  it('judges its own failures and lists the others beside them', () => {
    const { place: _p, ...unnamed } = failure({ netns: HOST, pid: 40, name: 'haproxy', recentCount: 9 });
    const mine: ConnectFailure = unnamed;
    const s = withConnectFailures(makeSample(NOW, 10, { severity: 'ok' }), [failure(), mine], NOW, HOST);
    expect(s.severity).toBe('exhausted');
    expect(s.severityReason).toContain('haproxy (pid 40) in netns 4026531840 failed 9 connects');
    expect(s.severityReason).not.toContain('nginx');
    expect(s.diagnoses.map((d) => d.id)).toEqual(['port-allocation-failures', 'port-allocation-failures-elsewhere']);
    expect(currentFailures(s.connectFailures, NOW).map((f) => f.pid)).toEqual([40]);
    // Judged again with the other namespace as its own, the mark goes: nothing sticks from an earlier judgement.
    expect(withConnectFailures(makeSample(NOW, 10), s.connectFailures!, NOW, OWN).connectFailures!.find((f) => f.pid === 812)).not.toHaveProperty('elsewhere');
  });

  it('judges nothing when the reading could not name its own namespace: which failures are its own would be a guess', () => {
    const s = withConnectFailures(makeSample(NOW, 10, { severity: 'ok' }), [failure()], NOW, null);
    expect(s.severity).toBe('ok');
    expect(s.diagnoses[0]).toMatchObject({ id: 'port-allocation-failures-elsewhere', title: expect.stringContaining('cannot place') });
    expect(netnsInode('net:[4026531840]')).toBe(HOST);
    expect(netnsInode('')).toBeNull();
    expect(netnsInode('net:[12x]')).toBeNull();
  });

  it('keeps failures older than a minute as history: listed, but the level is the table\'s again', () => {
    const old = failure({ lastSeen: NOW - FAILURES_CURRENT_MS - 1, recentCount: 0 });
    const base = makeSample(NOW, 10, { severity: 'ok' });
    const s = withConnectFailures(base, [old], NOW, OWN);
    expect(s.severity).toBe('ok');
    expect(s.connectFailures).toHaveLength(1);
    expect(currentFailures(s.connectFailures, NOW)).toEqual([]);
  });
});

describe('episodes from observed failures', () => {
  it('start an episode at exhausted whose worst destination is where connects failed and whose cause quotes them; it ends when they stop', () => {
    const t = new EpisodeTracker(null, NOW);
    const s = withConnectFailures(makeSample(NOW, 10, { severity: 'ok' }), [failure()], NOW, OWN);
    const e = t.observe(s)!;
    expect(e).toMatchObject({ peakSeverity: 'exhausted', worstDestination: '10.0.3.7:8080', peakUtilization: 1, end: null });
    expect(e.cause).toContain('failed 1,204 connects to 10.0.3.7:8080');
    // Still failing a bit later: the same episode goes on.
    expect(t.observe(withConnectFailures(makeSample(NOW + 5_000, 10, { severity: 'ok' }), [failure({ lastSeen: NOW + 4_000 })], NOW + 5_000, OWN))).toBeNull();
    expect(t.open?.lastSeen).toBe(NOW + 5_000);
    const later = NOW + 5_000 + FAILURES_CURRENT_MS + 1_000;
    const ended = t.observe(withConnectFailures(makeSample(later, 10, { severity: 'ok' }), [failure({ lastSeen: NOW + 4_000, recentCount: 0 })], later, OWN));
    expect(ended).toMatchObject({ id: e.id, end: later });
  });
});
