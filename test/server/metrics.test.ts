import { describe, expect, it } from 'vitest';
import { METRICS_TOP_DESTINATIONS, renderMetrics } from '../../electron/server/metrics.js';
import { makeDestination, makeSample, makeTick } from '../node/service/make-sample.js';
import { parseExposition } from './exposition.js';

describe('renderMetrics', () => {
  const s = makeSample(1_700_000_000_000, 1234, { severity: 'warning' });

  it('exports range, capacity, states, worst use, rates, severity and sources in valid exposition format', () => {
    const m = parseExposition(renderMetrics(s, makeTick(1_700_000_000_500, 7.5), 1_700_000_002_000));
    expect(m.get('portwatch_port_range_low')).toBe(32768);
    expect(m.get('portwatch_usable_ports')).toBe(28232);
    expect(m.get('portwatch_sockets{state="ESTABLISHED"}')).toBe(1234);
    expect(m.get('portwatch_sockets{state="TIME-WAIT"}')).toBe(0);
    expect(m.get('portwatch_worst_destination_in_use')).toBe(1234);
    expect(m.get('portwatch_worst_destination_utilization_ratio')).toBeCloseTo(1234 / 28232, 8);
    expect(m.get('portwatch_new_connections_per_second')).toBe(7.5);
    expect(m.get('portwatch_severity{level="warning"}')).toBe(1);
    expect(m.get('portwatch_severity{level="ok"}')).toBe(0);
    expect(m.get('portwatch_source_up{source="sockets",status="ok"}')).toBe(1);
    expect(m.get('portwatch_sample_age_seconds')).toBe(2);
  });

  it('keeps per-destination label cardinality bounded', () => {
    const many = Array.from({ length: 200 }, (_, i) => makeDestination(200 - i, 28232, { remoteAddress: `10.1.${i >> 8}.${i & 255}` }));
    const text = renderMetrics(makeSample(1, 1, { destinations: many, destinationCount: 200 }), null, 1);
    const series = text.split('\n').filter((l) => l.startsWith('portwatch_destination_in_use{'));
    expect(series).toHaveLength(METRICS_TOP_DESTINATIONS);
    expect(parseExposition(text).get('portwatch_destinations')).toBe(200);
  });

  it('escapes label values so a hostile name cannot break the format', () => {
    const s2 = makeSample(1, 1, { sources: [{ name: 'a"b\\c\nd', status: 'failed', error: 'x', durationMs: 1 }] });
    expect(() => parseExposition(renderMetrics(s2, null, 1))).not.toThrow();
  });

  it('leaves out what is unknown rather than exporting a zero', () => {
    const s3 = makeSample(1, 1, { timeToExhaustionSec: null, rates: { ...s.rates, headroomPerSec: null } });
    const m = parseExposition(renderMetrics(s3, null, 1));
    expect(m.has('portwatch_time_to_exhaustion_seconds')).toBe(false);
    expect(m.has('portwatch_headroom_connections_per_second')).toBe(false);
  });

  it('says only that it is not up before the first sample', () => {
    expect(parseExposition(renderMetrics(null, null, 1))).toEqual(new Map([['portwatch_up', 0]]));
  });
});
