import { describe, expect, it } from 'vitest';
import { Analyzer } from '../../../electron/node/engine/analyzer.js';
import { healthyRows, linuxKernel, outbound, S, snapshotOf } from './engine-fixtures.js';

const cost = { wallMs: 0, cpuMs: 0 };

describe('bind-before-connect', () => {
  it('fires when sockets toward several destinations never share a port although chance says they would', () => {
    const rows = [
      ...outbound(2000, { remote: '10.0.0.2', port: 80, firstPort: 33000 }),
      ...outbound(2000, { remote: '10.0.0.3', port: 80, firstPort: 36000 }),
    ];
    const s = new Analyzer().analyze(snapshotOf(rows), cost);
    expect(s.global).toMatchObject({ bindBeforeConnectEvidence: true, distinctPortsInUse: 4000, exclusivelyHeld: 4000 });
    const d = s.diagnoses.find((x) => x.id === 'bind-before-connect')!;
    expect(d.evidence[0]).toMatch(/4,000 outbound sockets toward 2 destinations use 4,000 distinct local ports and never share one, although plain connect\(\) calls would share about 142 by chance/);
    expect(d.recommendations.map((r) => r.text).join(' ')).toMatch(/IP_BIND_ADDRESS_NO_PORT \(Linux 4\.2\+\).*IP_LOCAL_PORT_RANGE \(Linux 6\.3\+\)/);
  });

  it('stays silent for plain connects whose ports overlap across destinations', () => {
    const rows = [
      ...outbound(2000, { remote: '10.0.0.2', port: 80, firstPort: 33000 }),
      ...outbound(2000, { remote: '10.0.0.3', port: 80, firstPort: 34000 }),
    ];
    const s = new Analyzer().analyze(snapshotOf(rows), cost);
    expect(s.global.bindBeforeConnectEvidence).toBe(false);
    expect(s.diagnoses.map((d) => d.id)).not.toContain('bind-before-connect');
  });

  it('names one bound-only socket and one connected socket in the singular', () => {
    // A 10-port range: one bound-only socket and one connected socket of its process are a noticeable share.
    const kernel = linuxKernel({ portRange: { low: 40000, high: 40009 } });
    const rows = [
      { family: 4 as const, state: S.CLOSE, localAddr: '0.0.0.0', localPort: 40005, remoteAddr: '0.0.0.0', remotePort: 0, pid: 700 },
      ...outbound(1, { remote: '10.0.0.2', port: 80, firstPort: 40000, pid: 700 }),
    ];
    const d = new Analyzer().analyze(snapshotOf(rows, { kernel }), cost).diagnoses.find((x) => x.id === 'bind-before-connect')!;
    expect(d.evidence).toContain('Process 700 holds bound-only sockets, so its connected socket is counted as bound before connect() (inferred: the socket table cannot tell).');
    expect(d.evidence).toContain('1 bound-only socket (bound, not connected or listening) holds a port inside the range.');
  });

  it('fires on many bound-only sockets inside the range, and stays silent on a healthy table', () => {
    const bound = Array.from({ length: 3000 }, (_, i) => ({ family: 4 as const, state: S.CLOSE, localAddr: '0.0.0.0', localPort: 33000 + i, remoteAddr: '0.0.0.0', remotePort: 0 }));
    expect(new Analyzer().analyze(snapshotOf(bound), cost).diagnoses.map((d) => d.id)).toContain('bind-before-connect');
    expect(new Analyzer().analyze(snapshotOf(healthyRows()), cost).diagnoses).toEqual([]);
  });
});
