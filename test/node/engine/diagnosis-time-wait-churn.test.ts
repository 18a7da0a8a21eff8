import { describe, expect, it } from 'vitest';
import { Analyzer } from '../../../electron/node/engine/analyzer.js';
import { healthyRows, linuxKernel, outbound, S, snapshotOf } from './engine-fixtures.js';

const cost = { wallMs: 0, cpuMs: 0 };
const churn = (remote: string, local = '10.0.0.1') => [
  ...outbound(5000, { local, remote, port: 80, firstPort: 33000, state: S.TIME_WAIT, ageMs: (i) => (i * 11) % 60_000 }),
  ...outbound(50, { local, remote, port: 80, firstPort: 39000, pid: 321 }),
];

describe('time-wait-churn', () => {
  it('fires when TIME-WAIT dominates a destination, cure first, then relief', () => {
    const s = new Analyzer().analyze(snapshotOf(churn('10.0.0.2'), { processNames: new Map([[321, 'php-fpm']]) }), cost);
    const d = s.diagnoses.find((x) => x.id === 'time-wait-churn')!;
    expect(d).toBeDefined();
    expect(d.severity).toBe('info'); // 5,050 of 28,232: no severity yet, but worth fixing
    expect(d.evidence[0]).toMatch(/^10\.0\.0\.1 → 10\.0\.0\.2:80: 5,000 of 5,050 sockets in TIME-WAIT; 5,050 of 28,232 usable ports blocked/);
    const kinds = d.recommendations.map((r) => r.kind);
    expect(kinds[0]).toBe('application');
    expect(d.recommendations[0]!.text).toMatch(/keep-alive/);
    expect(kinds.indexOf('kernel')).toBeGreaterThan(kinds.lastIndexOf('application'));
    const settings = Object.fromEntries(d.recommendations.filter((r) => r.setting).map((r) => [r.setting!.key, r.setting!.suggested]));
    expect(settings).toEqual({ 'net.ipv4.ip_local_port_range': '32768 65535', 'net.ipv4.tcp_tw_reuse': '1' });
    expect(d.recommendations.find((r) => r.setting?.key === 'net.ipv4.tcp_tw_reuse')!.text).toMatch(/tcp_tw_reuse_delay = 1000 ms/);
    expect(d.recommendations.some((r) => /does not shorten TIME-WAIT/.test(r.text))).toBe(true);
  });

  it('says reuse waits about 1 s when the kernel has no tcp_tw_reuse_delay, and asks for timestamps when they are off', () => {
    const s = new Analyzer().analyze(snapshotOf(churn('10.0.0.2'), { kernel: linuxKernel({ twReuseDelayMs: null, timestamps: 0 }) }), cost);
    const recs = s.diagnoses.find((x) => x.id === 'time-wait-churn')!.recommendations;
    expect(recs.find((r) => r.setting?.key === 'net.ipv4.tcp_tw_reuse')!.text).toMatch(/no tcp_tw_reuse_delay.*about 1 s/);
    expect(recs.find((r) => r.setting?.key === 'net.ipv4.tcp_timestamps')!.setting!.suggested).toBe('1');
  });

  it('suggests neither tcp_tw_reuse nor more ports for loopback destinations the default reuse already covers', () => {
    const s = new Analyzer().analyze(snapshotOf(churn('127.0.0.1', '127.0.0.1')), cost);
    const d = s.diagnoses.find((x) => x.id === 'time-wait-churn')!;
    expect(d.recommendations.some((r) => r.setting?.key === 'net.ipv4.tcp_tw_reuse')).toBe(false);
    expect(d.recommendations.some((r) => r.setting?.key === 'net.ipv4.ip_local_port_range')).toBe(false);
    // Only the 50 open ones and the 91 TIME-WAIT younger than the 1 s reuse delay block a port.
    expect(d.evidence[0]).toMatch(/141 of 28,232 usable ports blocked \(0\.5 %\).*\(TIME-WAIT reuse applies\)/);
  });

  it('is critical when the destination is nearly exhausted', () => {
    const kernel = linuxKernel({ portRange: { low: 40000, high: 40999 } });
    const rows = outbound(950, { remote: '10.0.0.2', port: 80, firstPort: 40000, state: S.TIME_WAIT, ageMs: 30_000 });
    const d = new Analyzer().analyze(snapshotOf(rows, { kernel }), cost).diagnoses.find((x) => x.id === 'time-wait-churn')!;
    expect(d.severity).toBe('critical');
  });

  it('stays silent on a healthy table and on TIME-WAIT that is plentiful but harmless in share', () => {
    expect(new Analyzer().analyze(snapshotOf(healthyRows()), cost).diagnoses).toEqual([]);
    const mostlyOpen = [...outbound(3000, { remote: '10.0.0.2', port: 80, firstPort: 33000 }), ...outbound(100, { remote: '10.0.0.2', port: 80, firstPort: 38000, state: S.TIME_WAIT })];
    expect(new Analyzer().analyze(snapshotOf(mostlyOpen), cost).diagnoses.map((d) => d.id)).not.toContain('time-wait-churn');
  });
});
