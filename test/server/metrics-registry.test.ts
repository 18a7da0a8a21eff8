import { describe, expect, it } from 'vitest';
import { MetricsRegistry, checkFamily, isMetricDefinitionError } from '../../electron/server/metrics-registry.js';
import { parseExposition } from './exposition.js';

const family = (name: string, type: 'gauge' | 'counter', labelNames: string[] = []) => ({ name, type, help: 'Some help.', labelNames, collect: () => [] });

describe('MetricsRegistry', () => {
  it('refuses names that break the conventions, naming the family and the rule', () => {
    const cases: [ReturnType<typeof family>, string][] = [
      [family('x_events', 'counter'), 'a counter must end in _total'],
      [family('x_sockets_total', 'gauge'), 'only counters end in _total'],
      [family('x_latency_ms', 'gauge'), 'base units'],
      [family('x_duration_milliseconds', 'gauge'), 'base units'],
      [family('x_requests_count', 'gauge'), 'reserved'],
      [family('x-y', 'gauge'), 'not a valid metric name'],
      [family('x_y', 'gauge', ['__name']), 'invalid label name'],
      [family('x_y', 'gauge', ['a', 'a']), 'declared twice'],
    ];
    for (const [f, why] of cases) {
      let err: unknown;
      try {
        checkFamily(f);
      } catch (e) {
        err = e;
      }
      expect(isMetricDefinitionError(err), f.name).toBe(true);
      expect((err as Error).message).toContain(f.name);
      expect((err as Error).message).toContain(why);
    }
    const r = new MetricsRegistry<null>().add(family('x_y', 'gauge'));
    expect(() => r.add(family('x_y', 'gauge'))).toThrow('already registered');
  });

  it('renders only series with exactly the declared labels, once each, and survives a failing collector', () => {
    const r = new MetricsRegistry<null>()
      .add({ name: 'a_ports', type: 'gauge', help: 'A.', labelNames: ['k'], collect: () => [{ labels: { k: '1' }, value: 1 }, { labels: { k: '1' }, value: 2 }, { labels: { k: '2', extra: 'x' }, value: 3 }, { labels: {}, value: 4 }, { labels: { k: '3' }, value: NaN }] })
      .add({ name: 'b_ports', type: 'gauge', help: 'B.', collect: () => { throw new Error('boom'); } })
      .add({ name: 'c_ports', type: 'gauge', help: 'C.', collect: () => [{ value: null }] })
      .add({ name: 'd_total', type: 'counter', help: 'D.', collect: () => [{ value: 0.1 + 0.2 }] });
    const text = r.render(null);
    expect(parseExposition(text)).toEqual(new Map([['a_ports{k="1"}', 1], ['d_total', 0.3]]));
    expect(text).not.toContain('b_ports');
    expect(text).not.toContain('c_ports');
  });
});
