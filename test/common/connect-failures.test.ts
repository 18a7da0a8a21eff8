// Observed connect() failures in a sample: facts that make their destination exhausted while they occur,
// quoted with the process, where it runs, the count of the last minute and the destination.
import { describe, expect, it } from 'vitest';
import { currentFailures, describeFailure, withConnectFailures, FAILURES_CURRENT_MS, type ConnectFailure } from '../../electron/common/connect-failures.js';
import { sampleSchema } from '../../electron/common/model-schema.js';
import { EpisodeTracker } from '../../electron/node/engine/episodes.js';
import { makeDestination, makeSample } from '../node/service/make-sample.js';

const NOW = 1_800_000_000_000;

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
    const s = withConnectFailures(makeSample(NOW, 10, { destinations: [other, failing], worst: other, severity: 'ok' }), [failure()], NOW);
    expect(s.severity).toBe('exhausted');
    expect(s.destinations.map((d) => d.severity)).toEqual(['ok', 'exhausted']);
    expect(s.severityReason).toContain('nginx (pid 812) in pod web-7 failed 1,204 connects to 10.0.3.7:8080 in the last minute');
    expect(s.diagnoses[0]).toMatchObject({ id: 'port-allocation-failures', severity: 'critical' });
    expect(sampleSchema.check(JSON.parse(JSON.stringify(s)), 'sample')).toBeNull();
  });

  it('leaves a destination alone when the failure came from another network namespace', () => {
    const elsewhere = makeDestination(10, 28232, { remoteAddress: '10.0.3.7', remotePort: 8080, netns: 'net:[4026531840]', severity: 'ok' });
    const s = withConnectFailures(makeSample(NOW, 10, { destinations: [elsewhere], worst: elsewhere }), [failure()], NOW);
    expect(s.destinations[0]!.severity).toBe('ok');
    expect(s.severity).toBe('exhausted');
  });

  it('keeps failures older than a minute as history: listed, but the level is the table\'s again', () => {
    const old = failure({ lastSeen: NOW - FAILURES_CURRENT_MS - 1, recentCount: 0 });
    const base = makeSample(NOW, 10, { severity: 'ok' });
    const s = withConnectFailures(base, [old], NOW);
    expect(s.severity).toBe('ok');
    expect(s.connectFailures).toHaveLength(1);
    expect(currentFailures(s.connectFailures, NOW)).toEqual([]);
  });
});

describe('episodes from observed failures', () => {
  it('start an episode at exhausted whose worst destination is where connects failed and whose cause quotes them; it ends when they stop', () => {
    const t = new EpisodeTracker(null, NOW);
    const s = withConnectFailures(makeSample(NOW, 10, { severity: 'ok' }), [failure()], NOW);
    const e = t.observe(s)!;
    expect(e).toMatchObject({ peakSeverity: 'exhausted', worstDestination: '10.0.3.7:8080', peakUtilization: 1, end: null });
    expect(e.cause).toContain('failed 1,204 connects to 10.0.3.7:8080');
    // Still failing a bit later: the same episode goes on.
    expect(t.observe(withConnectFailures(makeSample(NOW + 5_000, 10, { severity: 'ok' }), [failure({ lastSeen: NOW + 4_000 })], NOW + 5_000))).toBeNull();
    expect(t.open?.lastSeen).toBe(NOW + 5_000);
    const later = NOW + 5_000 + FAILURES_CURRENT_MS + 1_000;
    const ended = t.observe(withConnectFailures(makeSample(later, 10, { severity: 'ok' }), [failure({ lastSeen: NOW + 4_000, recentCount: 0 })], later));
    expect(ended).toMatchObject({ id: e.id, end: later });
  });
});
