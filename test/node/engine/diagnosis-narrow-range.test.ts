import { describe, expect, it } from 'vitest';
import { Analyzer } from '../../../electron/node/engine/analyzer.js';
import { linuxKernel, listener, outbound, snapshotOf } from './engine-fixtures.js';

const cost = { wallMs: 0, cpuMs: 0 };
const kernel = linuxKernel({ portRange: { low: 40000, high: 40999 } });

describe('narrow-range', () => {
  it('fires when a small range is under pressure and suggests a wider one within the guard rails', () => {
    const s = new Analyzer().analyze(snapshotOf(outbound(800, { remote: '10.0.0.2', port: 80, firstPort: 40000 }), { kernel }), cost);
    const d = s.diagnoses.find((x) => x.id === 'narrow-range')!;
    expect(d.severity).toBe('warning');
    expect(d.evidence[0]).toBe('Range 40000–40999: 1,000 ports, 0 reserved, 0 held by listening or bound sockets, 1,000 usable.');
    expect(d.recommendations[0]!.setting).toEqual({ key: 'net.ipv4.ip_local_port_range', current: '40000 40999', suggested: '32768 65535' });
    expect(d.recommendations[0]!.text).toMatch(/relief, not a cure/);
  });

  it('does not extend the range down across a listening port, and reserves listeners the wider range takes in', () => {
    const rows = [listener(35000), listener(50000), ...outbound(800, { remote: '10.0.0.2', port: 80, firstPort: 40000 })];
    const d = new Analyzer().analyze(snapshotOf(rows, { kernel }), cost).diagnoses.find((x) => x.id === 'narrow-range')!;
    expect(d.recommendations[0]!.setting!.suggested).toBe('35002 65535');
    expect(d.recommendations[1]!.setting).toEqual({ key: 'net.ipv4.ip_local_reserved_ports', current: '', suggested: '50000' });
  });

  it('stays silent when the small range is not under pressure', () => {
    expect(new Analyzer().analyze(snapshotOf(outbound(100, { remote: '10.0.0.2', port: 80, firstPort: 40000 }), { kernel }), cost).diagnoses).toEqual([]);
  });
});
