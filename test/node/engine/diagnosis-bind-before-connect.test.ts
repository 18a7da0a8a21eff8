import { describe, expect, it } from 'vitest';
import { Analyzer } from '../../../electron/node/engine/analyzer.js';
import { healthyRows, outbound, S, snapshotOf } from './engine-fixtures.js';

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

  it('fires on many bound-only sockets inside the range, and stays silent on a healthy table', () => {
    const bound = Array.from({ length: 3000 }, (_, i) => ({ family: 4 as const, state: S.CLOSE, localAddr: '0.0.0.0', localPort: 33000 + i, remoteAddr: '0.0.0.0', remotePort: 0 }));
    expect(new Analyzer().analyze(snapshotOf(bound), cost).diagnoses.map((d) => d.id)).toContain('bind-before-connect');
    expect(new Analyzer().analyze(snapshotOf(healthyRows()), cost).diagnoses).toEqual([]);
  });
});
