import { describe, expect, it } from 'vitest';
import { Analyzer } from '../../../electron/node/engine/analyzer.js';
import { counterDelta } from '../../../electron/node/engine/diagnosis-kernel-counters.js';
import { counters, healthyRows, snapshotOf, T0 } from './engine-fixtures.js';

const cost = { wallMs: 0, cpuMs: 0 };

function pair(first: Parameters<typeof counters>[0], second: Parameters<typeof counters>[0]) {
  const a = new Analyzer();
  a.analyze(snapshotOf(healthyRows(), { time: T0, counters: counters(first) }), cost);
  return a.analyze(snapshotOf(healthyRows(), { time: T0 + 10_000, counters: counters(second) }), cost).diagnoses;
}

describe('kernel-counters', () => {
  it('fires when TCPTimeWaitOverflow rose since the previous sample, and says not to lower tcp_max_tw_buckets', () => {
    const [d] = pair({ timeWaitOverflow: 100 }, { timeWaitOverflow: 130 });
    expect(d!.id).toBe('kernel-counters');
    expect(d!.evidence[0]).toBe('TCPTimeWaitOverflow rose by 30 in the last 10 s: TIME-WAIT sockets were destroyed early because net.ipv4.tcp_max_tw_buckets (262,144) was reached.');
    expect(d!.recommendations.some((r) => /Do not lower net\.ipv4\.tcp_max_tw_buckets/.test(r.text))).toBe(true);
    expect(d!.recommendations.some((r) => r.setting?.key === 'net.ipv4.tcp_max_tw_buckets')).toBe(false);
  });

  it('fires when ListenOverflows rose, as a backlog problem and not ports', () => {
    const [d] = pair({ listenOverflows: 5 }, { listenOverflows: 9 });
    expect(d!.summary).toMatch(/backlog problem, not ports/);
    expect(d!.evidence).toHaveLength(1);
  });

  it('stays silent on large totals since boot that did not move, on the first sample, and after a reset', () => {
    expect(pair({ timeWaitOverflow: 1e6, listenOverflows: 1e6 }, { timeWaitOverflow: 1e6, listenOverflows: 1e6 })).toEqual([]);
    expect(new Analyzer().analyze(snapshotOf(healthyRows(), { counters: counters({ timeWaitOverflow: 1e6 }) }), cost).diagnoses).toEqual([]);
    expect(pair({ timeWaitOverflow: 500 }, { timeWaitOverflow: 3 })).toEqual([]);
    expect(counterDelta(null, 5)).toBeNull();
  });
});
