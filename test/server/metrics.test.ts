import { describe, expect, it } from 'vitest';
import { METRICS_TOP_DESTINATIONS, METRICS_TOP_PROCESSES, PortwatchMetrics, renderMetrics } from '../../electron/server/metrics.js';
import type { Diagnosis } from '../../electron/common/model.js';
import { makeDestination, makeSample, makeTick } from '../node/service/make-sample.js';
import { parseExposition, parseFamilies } from './exposition.js';
import { Analyzer } from '../../electron/node/engine/analyzer.js';
import { linuxKernel, outbound, snapshotOf } from '../node/engine/engine-fixtures.js';

describe('renderMetrics', () => {
  const s = makeSample(1_700_000_000_000, 1234, { severity: 'warning' });

  it('exports range, capacity, states, worst use, counters, severity and sources in valid exposition format', () => {
    const m = parseExposition(renderMetrics(s, makeTick(1_700_000_000_500, 7.5), 1_700_000_002_000, { version: '9.8.7' }));
    expect(m.get('portwatch_port_range_low')).toBe(32768);
    expect(m.get('portwatch_port_range_ports')).toBe(28232);
    expect(m.get('portwatch_usable_ports')).toBe(28232);
    expect(m.get('portwatch_sockets{state="ESTABLISHED"}')).toBe(1234);
    expect(m.get('portwatch_sockets{state="TIME-WAIT"}')).toBe(0);
    expect(m.get('portwatch_worst_destination_in_use')).toBe(1234);
    expect(m.get('portwatch_worst_destination_utilization_ratio')).toBeCloseTo(1234 / 28232, 8);
    expect(m.get('portwatch_utilization_ratio')).toBeCloseTo(1234 / 28232, 8);
    expect(m.get('portwatch_connections_opened_total')).toBe(100);
    expect(m.get('portwatch_severity{level="warning"}')).toBe(1);
    expect(m.get('portwatch_severity{level="ok"}')).toBe(0);
    expect(m.get('portwatch_severity_level')).toBe(2);
    expect(m.get('portwatch_source_up{source="sockets"}')).toBe(1);
    expect(m.get('portwatch_sample_age_seconds')).toBe(2);
    expect(m.get(`portwatch_build_info{version="9.8.7",nodejs_version="${process.versions.node}",os="${process.platform}",arch="${process.arch}"}`)).toBe(1);
    expect(m.get('portwatch_process_sockets{process="client"}')).toBe(1234);
  });

  it('leaves out the socket figures of a sample without a socket table, rather than exporting 0', () => {
    const unread = makeSample(1, 0, { severity: 'unknown', socketTableRead: false, worst: null, destinations: [], destinationCount: 0, processes: [] });
    const m = parseExposition(renderMetrics(unread, null, 1));
    for (const name of ['portwatch_utilization_ratio', 'portwatch_worst_destination_in_use', 'portwatch_worst_destination_blocking_ports', 'portwatch_worst_destination_utilization_ratio', 'portwatch_destinations', 'portwatch_global_exclusively_held_ports', 'portwatch_global_utilization_ratio', 'portwatch_ports_held_by_listeners', 'portwatch_usable_ports', 'portwatch_sustainable_connections_per_second', 'portwatch_headroom_connections_per_second']) {
      expect(m.has(name), name).toBe(false);
    }
    expect([...m.keys()].filter((k) => k.startsWith('portwatch_sockets{'))).toEqual([]);
    // What was read is still there, and the severity says unknown.
    expect(m.get('portwatch_port_range_ports')).toBe(28232);
    expect(m.get('portwatch_reserved_ports')).toBe(0);
    expect(m.get('portwatch_hold_seconds')).toBe(60);
    expect(m.get('portwatch_severity_level')).toBe(0);
    // A table read with nothing in it is zero, not unknown.
    expect(parseExposition(renderMetrics(makeSample(1, 0, { worst: null, destinations: [] }), null, 1)).get('portwatch_utilization_ratio')).toBe(0);
  });

  it('leaves out what rests on the range when the range is unknown, and keeps the socket states', () => {
    const noRange = new Analyzer().analyze(snapshotOf(outbound(3, { remote: '10.0.0.2', port: 80 }), { kernel: linuxKernel({ portRange: null }) }), { wallMs: 1, cpuMs: 1 });
    const m = parseExposition(renderMetrics(noRange, null, 1));
    for (const name of ['portwatch_port_range_ports', 'portwatch_reserved_ports', 'portwatch_ports_held_by_listeners', 'portwatch_usable_ports', 'portwatch_utilization_ratio', 'portwatch_worst_destination_in_use', 'portwatch_destinations', 'portwatch_global_exclusively_held_ports', 'portwatch_global_utilization_ratio', 'portwatch_sustainable_connections_per_second', 'portwatch_headroom_connections_per_second']) {
      expect(m.has(name), name).toBe(false);
    }
    expect(m.get('portwatch_sockets{state="ESTABLISHED"}')).toBe(3);
    expect(m.get('portwatch_severity_level')).toBe(0);
  });

  it('follows the naming conventions: counters end in _total and only counters do, no rate gauges, base units', () => {
    const fams = parseFamilies(renderMetrics(s, makeTick(1, 7.5), 1));
    expect(fams.size).toBeGreaterThan(30);
    for (const [name, f] of fams) {
      expect(f.type === 'counter', `${name} is a ${f.type}`).toBe(name.endsWith('_total'));
      expect(f.help.length, `${name} has help`).toBeGreaterThan(10);
      expect(name, 'no millisecond units').not.toMatch(/_ms$|_milliseconds/);
    }
    // The observed rate is a counter for rate(); the old gauges are gone.
    expect(fams.get('portwatch_connections_opened_total')?.type).toBe('counter');
    expect(fams.has('portwatch_new_connections_per_second')).toBe(false);
    expect(fams.has('portwatch_sockets_total')).toBe(false);
  });

  it('keeps per-destination series bounded: the top N and one "other" summing the rest', () => {
    const many = Array.from({ length: 200 }, (_, i) => makeDestination(200 - i, 28232, { remoteAddress: `10.1.${i >> 8}.${i & 255}` }));
    const text = renderMetrics(makeSample(1, 1, { destinations: many, destinationCount: 200 }), null, 1);
    const series = text.split('\n').filter((l) => l.startsWith('portwatch_destination_in_use{'));
    expect(series).toHaveLength(METRICS_TOP_DESTINATIONS + 1);
    const m = parseExposition(text);
    const restSum = many.slice(METRICS_TOP_DESTINATIONS).reduce((a, d) => a + d.inUse, 0);
    expect(m.get('portwatch_destination_in_use{netns="",source="",destination="other",port=""}')).toBe(restSum);
    expect(m.get('portwatch_destinations')).toBe(200);
    // A truncated list cannot give the sum of the rest: no "other" rather than a number too low.
    const truncated = renderMetrics(makeSample(1, 1, { destinations: many, destinationCount: 500 }), null, 1);
    expect(truncated).not.toContain('destination="other",');
  });

  it('bounds process series to the top names, summing the pids of one name', () => {
    const procs = Array.from({ length: 30 }, (_, i) => ({ pid: 100 + i, name: `p${i % 15}`, sockets: i + 1, timeWait: 0, topDestinations: [] }));
    const m = parseExposition(renderMetrics(makeSample(1, 1, { processes: procs }), null, 1));
    const keys = [...m.keys()].filter((k) => k.startsWith('portwatch_process_sockets{'));
    expect(keys).toHaveLength(METRICS_TOP_PROCESSES);
    expect(m.get('portwatch_process_sockets{process="p14"}')).toBe(15 + 30);
  });

  it('escapes label values so a hostile name cannot break the format', () => {
    const s2 = makeSample(1, 1, { sources: [{ name: 'a"b\\c\nd', status: 'failed', error: 'x', durationMs: 1 }] });
    const m = parseExposition(renderMetrics(s2, null, 1));
    expect(m.get('portwatch_source_up{source="a\\"b\\\\c\\nd"}')).toBe(0);
  });

  it('leaves out what is unknown rather than exporting a zero', () => {
    const s3 = makeSample(1, 1, { timeToExhaustionSec: null, rates: { ...s.rates, headroomPerSec: null } });
    const m = parseExposition(renderMetrics(s3, null, 1));
    expect(m.has('portwatch_time_to_exhaustion_seconds')).toBe(false);
    expect(m.has('portwatch_headroom_connections_per_second')).toBe(false);
  });

  it('says only that it is not up, and which build, before the first sample', () => {
    const m = parseExposition(renderMetrics(null, null, 1));
    expect(m.get('portwatch_up')).toBe(0);
    expect([...m.keys()].filter((k) => !k.startsWith('portwatch_build_info{')).sort()).toEqual(['portwatch_exhaustion_episodes_total', 'portwatch_sample_cpu_seconds_total', 'portwatch_samples_total', 'portwatch_up']);
  });
});

describe('PortwatchMetrics across samples', () => {
  const diag = (id: Diagnosis['id'], severity: Diagnosis['severity']): Diagnosis => ({ id, severity, title: id, summary: '', evidence: [], recommendations: [] });

  it('counts samples, CPU and exhaustion episodes (entering exhausted, not staying there)', () => {
    const pm = new PortwatchMetrics({ version: 'v' });
    const levels = ['ok', 'exhausted', 'exhausted', 'critical', 'exhausted', 'ok'] as const;
    let text = '';
    levels.forEach((severity, i) => (text = pm.render(makeSample(1000 * (i + 1), 1, { severity, cost: { wallMs: 3, cpuMs: 250 } }), null, 10_000)));
    text = pm.render(makeSample(6000, 1, { severity: 'ok' }), null, 10_000); // the same time again: not a new sample
    const m = parseExposition(text);
    expect(m.get('portwatch_exhaustion_episodes_total')).toBe(2);
    expect(m.get('portwatch_samples_total')).toBe(6);
    expect(m.get('portwatch_sample_cpu_seconds_total')).toBe(1.5);
  });

  it('keeps one series per diagnosis and per source with a state, rather than series that come and go', () => {
    const pm = new PortwatchMetrics({ version: 'v' });
    pm.render(makeSample(1, 1, { diagnoses: [diag('time-wait-churn', 'critical')], sources: [{ name: 'sockets', status: 'ok', durationMs: 1 }, { name: 'netns', status: 'ok', durationMs: 1 }] }), null, 1);
    const later = parseExposition(pm.render(makeSample(2, 1, { diagnoses: [], sources: [{ name: 'sockets', status: 'failed', error: 'x', durationMs: 1 }] }), null, 2));
    expect(later.get('portwatch_diagnosis{id="time-wait-churn"}')).toBe(0);
    expect(later.get('portwatch_source_up{source="sockets"}')).toBe(0);
    expect(later.get('portwatch_source_up{source="netns"}')).toBe(0);
    expect([...later.keys()].some((k) => k.includes('status='))).toBe(false);
  });

  it('lets other modules add a family that renders with the core ones', () => {
    const pm = new PortwatchMetrics({ version: 'v' });
    pm.registry.add({ name: 'portwatch_test_events_total', type: 'counter', help: 'Events a test counted.', labelNames: ['kind'], collect: () => [{ labels: { kind: 'a' }, value: 3 }] });
    expect(parseExposition(pm.render(makeSample(1), null, 1)).get('portwatch_test_events_total{kind="a"}')).toBe(3);
  });
});
