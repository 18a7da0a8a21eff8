// portwatch_connect_failures_total counts every failed connect the tracer reported exactly once, never goes
// down, keeps its labels bounded (the first 10 destinations by name, later ones as "other") with the label
// names build/prometheus/portwatch-rules.yml expects; portwatch_connect_tracer_up follows the tracer's state.
import { describe, expect, it } from 'vitest';
import type { ConnectFailure } from '../../electron/common/connect-failures.js';
import type { SourceStatus } from '../../electron/common/model.js';
import { METRICS_TOP_FAILURE_DESTINATIONS } from '../../electron/server/connect-failure-metrics.js';
import { PortwatchMetrics } from '../../electron/server/metrics.js';
import { parseExposition, parseFamilies } from './exposition.js';
import { makeSample } from '../node/service/make-sample.js';

const T = 1_800_000_000_000;

function f(over: Partial<ConnectFailure>): ConnectFailure {
  return { pid: 100, name: 'curl', netns: 4026531840, syscall: 'connect', remoteAddress: '10.0.0.2', remotePort: 80, errno: 99, count: 1, firstSeen: T, lastSeen: T, ...over };
}

const tracer = (status: SourceStatus['status']): SourceStatus => ({ name: 'connect-tracer', status, durationMs: 0 });

function scrape(m: PortwatchMetrics, time: number, failures: ConnectFailure[] | undefined, status: SourceStatus['status'] | null = 'ok'): Map<string, number> {
  const s = makeSample(time, 10, { ...(failures ? { connectFailures: failures } : {}) });
  if (status) s.sources = [...s.sources, tracer(status)];
  return parseExposition(m.render(s, null, time));
}

const series = (errno: string, destination: string, port: string) => `portwatch_connect_failures_total{errno="${errno}",destination="${destination}",port="${port}"}`;

describe('portwatch_connect_failures_total', () => {
  it('adds what each key counted since the previous sample, once, across processes and restarts of a key', () => {
    const m = new PortwatchMetrics({ version: 't' });
    expect(scrape(m, T, []).has(series('EADDRNOTAVAIL', '10.0.0.2', '80'))).toBe(false);
    expect(scrape(m, T + 1000, [f({ count: 3 }), f({ pid: 101, count: 2 })]).get(series('EADDRNOTAVAIL', '10.0.0.2', '80'))).toBe(5);
    // The same sample again (a second scrape) adds nothing.
    const again = makeSample(T + 2000, 10, { connectFailures: [f({ count: 4 }), f({ pid: 101, count: 2 })] });
    m.render(again, null, T + 2000);
    expect(parseExposition(m.render(again, null, T + 2500)).get(series('EADDRNOTAVAIL', '10.0.0.2', '80'))).toBe(6);
    // Key 100 dropped by the tracer (kept too long without failing) and seen again with a fresh count of 2.
    expect(scrape(m, T + 3000, [f({ pid: 101, count: 2 })]).get(series('EADDRNOTAVAIL', '10.0.0.2', '80'))).toBe(6);
    const last = scrape(m, T + 4000, [f({ count: 2 }), f({ pid: 101, count: 2 }), f({ errno: 98, count: 7, remoteAddress: '::1', remotePort: 8080 })]);
    expect(last.get(series('EADDRNOTAVAIL', '10.0.0.2', '80'))).toBe(8);
    expect(last.get(series('EADDRINUSE', '::1', '8080'))).toBe(7);
  });

  it('does not count binds (the counter is about connect) and exports nothing while the tracer is absent', () => {
    const m = new PortwatchMetrics({ version: 't' });
    const text = m.render(makeSample(T, 10, { connectFailures: [f({ syscall: 'bind', count: 9 })] }), null, T);
    expect([...parseExposition(text).keys()].filter((k) => k.startsWith('portwatch_connect_failures_total'))).toEqual([]);
    const none = new PortwatchMetrics({ version: 't' }).render(makeSample(T, 10), null, T);
    expect(none).not.toMatch(/^portwatch_connect_(failures_total|tracer_up)[ {]/m);
  });

  it('names the first 10 destinations seen and adds later ones to destination="other" of their errno, so no series ever goes down', () => {
    const m = new PortwatchMetrics({ version: 't' });
    const many = Array.from({ length: 15 }, (_, i) => f({ remoteAddress: `10.0.1.${i}`, count: i + 1 }));
    const first = scrape(m, T, many);
    expect(parseFamilies(m.render(null, null, T)).get('portwatch_connect_failures_total')).toMatchObject({ type: 'counter' });
    const named = [...first.keys()].filter((k) => k.startsWith('portwatch_connect_failures_total') && !k.includes('"other"'));
    expect(named).toHaveLength(METRICS_TOP_FAILURE_DESTINATIONS);
    const other = series('EADDRNOTAVAIL', 'other', '');
    expect(first.get(other)).toBe(11 + 12 + 13 + 14 + 15);
    // A destination that was "other" now fails most: it stays in "other" (counters only go up).
    const next = scrape(m, T + 1000, many.map((x, i) => (i === 14 ? { ...x, count: x.count + 1000 } : x)));
    expect(next.get(other)).toBe(11 + 12 + 13 + 14 + 15 + 1000);
    for (const k of named) expect(next.get(k)).toBe(first.get(k));
  });
});

describe('portwatch_connect_tracer_up', () => {
  it('is 1 while the tracer runs, 0 when it is starting, failed or unsupported, and absent where there is no tracer', () => {
    const m = new PortwatchMetrics({ version: 't' });
    expect(scrape(m, T, [], 'ok').get('portwatch_connect_tracer_up')).toBe(1);
    expect(scrape(m, T + 1, [], 'failed').get('portwatch_connect_tracer_up')).toBe(0);
    expect(scrape(m, T + 2, [], 'unsupported').get('portwatch_source_up{source="connect-tracer"}')).toBe(0);
    expect(scrape(new PortwatchMetrics({ version: 't' }), T, undefined, null).has('portwatch_connect_tracer_up')).toBe(false);
  });
});
