import { describe, expect, it } from 'vitest';
import { DEFAULT_ANALYSIS_CONFIG } from '../../../electron/common/config.js';
import { SocketTableBuilder } from '../../../electron/node/platform/socket-table.js';
import { Analyzer } from '../../../electron/node/engine/analyzer.js';
import { counters, linuxKernel, listener, outbound, S, snapshotOf, T0 } from './engine-fixtures.js';

const cost = { wallMs: 1, cpuMs: 1 };
const tenPorts = linuxKernel({ portRange: { low: 40000, high: 40009 } });

describe('Analyzer: per-destination exhaustion', () => {
  it('reports a destination with all 10 ports of a 10-port range in use as exhausted while another destination stays free', () => {
    const rows = outbound(10, { local: '10.0.0.1', remote: '10.0.0.2', port: 80, firstPort: 40000 });
    const s = new Analyzer().analyze(snapshotOf(rows, { kernel: tenPorts }), cost);
    expect(s.capacity).toEqual({ rangeSize: 10, reserved: 0, heldByListeners: 0, usable: 10 });
    expect(s.worst).toMatchObject({ remoteAddress: '10.0.0.2', remotePort: 80, inUse: 10, blocking: 10, capacity: 10, utilization: 1 });
    expect(s.severity).toBe('exhausted');
    expect(s.severityReason).toBe('10.0.0.1 → 10.0.0.2:80: 10 of 10 usable ports in use (100 %).');
    // B (10.0.0.3:80) has no socket: it is not listed, and its full capacity is left.
    expect(s.destinations.map((d) => d.remoteAddress)).toEqual(['10.0.0.2']);
  });

  it('counts the same local ports toward two destinations separately (the limit is per destination)', () => {
    const rows = [
      ...outbound(10, { remote: '10.0.0.2', port: 80, firstPort: 40000 }),
      ...outbound(4, { remote: '10.0.0.3', port: 80, firstPort: 40000 }),
    ];
    const s = new Analyzer().analyze(snapshotOf(rows, { kernel: tenPorts }), cost);
    expect(s.destinations.map((d) => [d.remoteAddress, d.blocking, d.utilization])).toEqual([
      ['10.0.0.2', 10, 1],
      ['10.0.0.3', 4, 0.4],
    ]);
    expect(s.global.distinctPortsInUse).toBe(10);
    expect(s.global.bindBeforeConnectEvidence).toBe(false);
  });

  it('uses the usable capacity after reserved ports and listeners inside the range', () => {
    const kernel = linuxKernel({ portRange: { low: 40000, high: 40099 }, reservedPorts: [{ low: 40010, high: 40019 }, { low: 40015, high: 40024 }] });
    const rows = [listener(40050), listener(40050, '::'), listener(8080), ...outbound(30, { remote: '10.0.0.2', port: 443, firstPort: 40060 })];
    const s = new Analyzer().analyze(snapshotOf(rows, { kernel }), cost);
    expect(s.capacity).toEqual({ rangeSize: 100, reserved: 15, heldByListeners: 1, usable: 84 });
    expect(s.worst?.capacity).toBe(84);
    expect(s.worst?.utilization).toBeCloseTo(30 / 84);
  });
});

describe('Analyzer: TIME-WAIT reuse', () => {
  it('does not count TIME-WAIT older than the reuse delay toward 127.0.0.1 as blocking with the default tw_reuse=2, but does toward 10.0.0.2', () => {
    const rows = [
      ...outbound(10, { local: '127.0.0.1', remote: '127.0.0.1', port: 8080, firstPort: 40000, state: S.TIME_WAIT, ageMs: 5000 }),
      ...outbound(10, { local: '10.0.0.1', remote: '10.0.0.2', port: 8080, firstPort: 40000, state: S.TIME_WAIT, ageMs: 5000 }),
    ];
    const s = new Analyzer().analyze(snapshotOf(rows, { kernel: tenPorts }), cost);
    const lo = s.destinations.find((d) => d.remoteAddress === '127.0.0.1')!;
    const remote = s.destinations.find((d) => d.remoteAddress === '10.0.0.2')!;
    expect([lo.inUse, lo.blocking, lo.sustainablePerSec]).toEqual([10, 0, 10]);
    expect([remote.inUse, remote.blocking]).toEqual([10, 10]);
    expect(remote.sustainablePerSec).toBeCloseTo(10 / 60);
    expect(s.worst?.remoteAddress).toBe('10.0.0.2');
    expect(s.rates.holdSec).toBe(60);
  });

  it('still counts TIME-WAIT younger than tcp_tw_reuse_delay as blocking, and all of it when timestamps are off', () => {
    const young = outbound(10, { local: '127.0.0.1', remote: '127.0.0.1', port: 8080, firstPort: 40000, state: S.TIME_WAIT, ageMs: (i) => (i < 4 ? 50 : 5000) });
    const a = new Analyzer().analyze(snapshotOf(young, { kernel: linuxKernel({ portRange: { low: 40000, high: 40009 }, twReuseDelayMs: 100 }) }), cost);
    expect(a.worst?.blocking).toBe(4);
    expect(a.rates.holdSec).toBeCloseTo(0.1);
    expect(a.rates.sustainablePerDestinationPerSec).toBeCloseTo(100);
    const b = new Analyzer().analyze(snapshotOf(young, { kernel: linuxKernel({ portRange: { low: 40000, high: 40009 }, timestamps: 0 }) }), cost);
    expect(b.worst?.blocking).toBe(10);
    expect(b.rates.holdSec).toBe(60);
  });

  it('reuses toward any destination with tw_reuse=1, after 1 s when the kernel has no tcp_tw_reuse_delay', () => {
    const rows = outbound(10, { remote: '10.0.0.2', port: 80, firstPort: 40000, state: S.TIME_WAIT, ageMs: (i) => (i < 3 ? 500 : 1500) });
    const s = new Analyzer().analyze(snapshotOf(rows, { kernel: linuxKernel({ portRange: { low: 40000, high: 40009 }, twReuse: 1, twReuseDelayMs: null }) }), cost);
    expect(s.worst?.blocking).toBe(3);
    expect(s.rates.holdSec).toBe(1);
  });
});

describe('Analyzer: what is outbound', () => {
  it('does not count accepted incoming connections, which share their listener port inside the range', () => {
    const rows = [
      listener(40005),
      ...Array.from({ length: 50 }, (_, i) => ({ family: 4 as const, state: S.ESTABLISHED, localAddr: '10.0.0.1', localPort: 40005, remoteAddr: '10.9.0.1', remotePort: 50000 + i })),
      ...outbound(3, { remote: '10.0.0.2', port: 80, firstPort: 40000 }),
    ];
    const s = new Analyzer().analyze(snapshotOf(rows, { kernel: tenPorts }), cost);
    expect(s.destinationCount).toBe(1);
    expect(s.worst).toMatchObject({ remoteAddress: '10.0.0.2', inUse: 3 });
    expect(s.capacity.heldByListeners).toBe(1);
    expect(s.totalSockets).toBe(54);
    expect(s.states.ESTABLISHED).toBe(53);
    expect(s.states.LISTEN).toBe(1);
  });

  it('ignores sockets whose local port is outside the range', () => {
    const rows = outbound(20, { remote: '10.0.0.2', port: 80, firstPort: 20000 });
    const s = new Analyzer().analyze(snapshotOf(rows, { kernel: tenPorts }), cost);
    expect(s.worst).toBeNull();
    expect(s.severity).toBe('ok');
    expect(s.severityReason).toMatch(/^No outbound connection uses the ephemeral range \(10 usable ports\)\.$/);
  });
});

describe('Analyzer: unknown', () => {
  it('says unknown, with the reason, when the range cannot be read', () => {
    const s = new Analyzer().analyze(snapshotOf(outbound(3, { remote: '10.0.0.2', port: 80 }), { kernel: linuxKernel({ portRange: null }) }), cost);
    expect(s.severity).toBe('unknown');
    expect(s.severityReason).toMatch(/range could not be read/);
    expect(s.capacity.rangeSize).toBeNull();
    expect(s.capacity.usable).toBeNull();
    expect(s.totalSockets).toBe(3);
  });

  it('says unknown when the range is invalid and when no socket source could be read', () => {
    const bad = new Analyzer().analyze(snapshotOf([], { kernel: linuxKernel({ portRange: { low: 5000, high: 4000 } }) }), cost);
    expect(bad.severity).toBe('unknown');
    expect(bad.severityReason).toMatch(/5000–4000/);
    const none = new Analyzer().analyze(snapshotOf(null), cost);
    expect(none.severity).toBe('unknown');
    expect(none.severityReason).toMatch(/No socket source/);
    expect(none.capacity.rangeSize).toBe(28232);
    // Empty because unknown, and said so: a table read with no socket in it is another thing.
    expect(none.socketTableRead).toBe(false);
    expect(bad.socketTableRead).toBe(true);
    // The sustainable rate is a ceiling then (listeners unknown); the headroom, which subtracts the worst
    // destination's rate, is unknown, where with a table read and no destination it is the whole rate.
    expect(none.rates.sustainablePerDestinationPerSec).toBeCloseTo(28232 / 60, 6);
    expect(none.rates.headroomPerSec).toBeNull();
    const empty = new Analyzer().analyze(snapshotOf([]), cost);
    expect(empty.rates.headroomPerSec).toBeCloseTo(28232 / 60, 6);
  });
});

describe('Analyzer: time to exhaustion', () => {
  it('predicts exhaustion from a rising trend of blocking sockets and raises the severity', () => {
    const a = new Analyzer();
    const kernel = linuxKernel({ portRange: { low: 40000, high: 40999 } });
    let last;
    // 100 more ESTABLISHED every 10 s: 1000 usable ports, 10 per second.
    for (let k = 0; k < 6; k++) {
      last = a.analyze(snapshotOf(outbound(100 + 100 * k, { remote: '10.0.0.2', port: 5432, firstPort: 40000 }), { kernel, time: T0 + k * 10_000 }), cost);
    }
    expect(last!.worst?.blocking).toBe(600);
    expect(last!.worst?.timeToExhaustionSec).toBeCloseTo(40, 5);
    expect(last!.timeToExhaustionSec).toBeCloseTo(40, 5);
    expect(last!.severity).toBe('critical'); // 60 % alone is ok; 40 s < ttlCriticalSec
    expect(last!.severityReason).toMatch(/runs out in about 40 s/);
  });

  it('predicts exhaustion from a rate above what the destination sustains', () => {
    const a = new Analyzer();
    const kernel = linuxKernel({ portRange: { low: 40000, high: 40599 } }); // 600 ports, 10/s sustainable
    // 200 TIME-WAIT sockets closed within the last 10 s: 20/s new connections.
    const first = outbound(200, { remote: '10.0.0.2', port: 80, firstPort: 40000, state: S.TIME_WAIT, ageMs: (i) => 100 + i * 45 });
    a.analyze(snapshotOf([], { kernel, time: T0 }), cost);
    const s = a.analyze(snapshotOf(first, { kernel, time: T0 + 10_000 }), cost);
    expect(s.worst?.newPerSec).toBeCloseTo(20);
    expect(s.worst?.sustainablePerSec).toBeCloseTo(10);
    // net = 20 - 200/60 per second; free = 400 ports.
    expect(s.worst?.timeToExhaustionSec).toBeCloseTo(400 / (20 - 200 / 60), 5);
    expect(s.rates.headroomPerSec).toBeCloseTo(-10);
  });

  it('predicts nothing for a flat destination and reports 0 when it is already exhausted', () => {
    const a = new Analyzer();
    const kernel = linuxKernel({ portRange: { low: 40000, high: 40999 } });
    let s;
    for (let k = 0; k < 6; k++) s = a.analyze(snapshotOf(outbound(300, { remote: '10.0.0.2', port: 80 }), { kernel, time: T0 + k * 10_000 }), cost);
    expect(s!.worst?.timeToExhaustionSec).toBeNull();
    const full = new Analyzer().analyze(snapshotOf(outbound(10, { remote: '10.0.0.2', port: 80, firstPort: 40000 }), { kernel: tenPorts }), cost);
    expect(full.timeToExhaustionSec).toBe(0);
  });
});

describe('Analyzer: hysteresis', () => {
  it('does not flap when utilization hovers around the warning threshold', () => {
    const a = new Analyzer();
    const kernel = linuxKernel({ portRange: { low: 40000, high: 40099 } });
    const levels = [70, 69, 71, 68, 70, 67, 69].map((n, k) => a.analyze(snapshotOf(outbound(n, { remote: '10.0.0.2', port: 80, firstPort: 40000 }), { kernel, time: T0 + k * 5000 }), cost).severity);
    expect(levels).toEqual(['warning', 'warning', 'warning', 'warning', 'warning', 'warning', 'warning']);
  });

  it('goes up at once and down only after recoverSamples samples below the lowered threshold', () => {
    const a = new Analyzer();
    const kernel = linuxKernel({ portRange: { low: 40000, high: 40099 } });
    const seq = [10, 95, 50, 50, 50, 50].map((n, k) => a.analyze(snapshotOf(outbound(n, { remote: '10.0.0.2', port: 80, firstPort: 40000 }), { kernel, time: T0 + k * 5000 }), cost));
    expect(seq.map((s) => s.severity)).toEqual(['ok', 'critical', 'critical', 'critical', 'ok', 'ok']);
    expect(seq[2]!.severityReason).toMatch(/staying critical until 3 samples in a row are below 85 %/);
  });
});

describe('Analyzer: owners', () => {
  it('attributes TIME-WAIT to the process that owned the 4-tuple while it was open, across samples', () => {
    const a = new Analyzer();
    const names = new Map([[4242, 'curl']]);
    a.analyze(snapshotOf(outbound(5, { remote: '10.0.0.2', port: 80, pid: 4242 }), { time: T0, processNames: names }), cost);
    // The connections closed: now TIME-WAIT, no pid, and the process is gone from the name list.
    const s = a.analyze(snapshotOf(outbound(5, { remote: '10.0.0.2', port: 80, state: S.TIME_WAIT, ageMs: 2000 }), { time: T0 + 5000 }), cost);
    expect(s.processes).toEqual([{ pid: 4242, name: 'curl', sockets: 0, timeWait: 5, topDestinations: ['10.0.0.2:80'] }]);
    expect(s.worst?.processes).toEqual([{ pid: 4242, name: 'curl', sockets: 5 }]);
  });

  it('leaves TIME-WAIT unattributed when no owner was ever seen', () => {
    const s = new Analyzer().analyze(snapshotOf(outbound(5, { remote: '10.0.0.2', port: 80, state: S.TIME_WAIT })), cost);
    expect(s.processes).toEqual([]);
    expect(s.worst?.processes).toEqual([]);
  });
});

describe('Analyzer: rates', () => {
  it('computes new connections per second from ActiveOpens between samples, and from ticks', () => {
    const a = new Analyzer();
    a.analyze(snapshotOf([], { time: T0, counters: counters({ activeOpens: 1000 }) }), cost);
    const s = a.analyze(snapshotOf([], { time: T0 + 10_000, counters: counters({ activeOpens: 1500 }) }), cost);
    expect(s.rates.newConnectionsPerSec).toBe(50);

    const t1 = a.addTick({ time: T0 + 11_000, counters: counters({ activeOpens: 1580 }), sources: [] });
    expect(t1.newConnectionsPerSec).toBe(80);
    const t2 = a.addTick({ time: T0 + 12_000, counters: counters({ activeOpens: 1600 }), sources: [{ name: 'proc-net-snmp', status: 'ok', durationMs: 0.5 }] });
    expect(t2).toEqual({ time: T0 + 12_000, newConnectionsPerSec: 20, sockstat: null, cost: { wallMs: 0.5, cpuMs: 0 } });
    // The sample without a readable counter falls back to the latest tick.
    const s2 = a.analyze(snapshotOf([], { time: T0 + 12_500 }), cost);
    expect(s2.rates.newConnectionsPerSec).toBe(50);
    expect(a.recentTicks()).toHaveLength(2);
  });

  it('measures per-destination growth against the last sample that had sockets', () => {
    const a = new Analyzer();
    a.analyze(snapshotOf(outbound(100, { remote: '10.0.0.2', port: 80 }), { time: T0 }), cost);
    expect(a.analyze(snapshotOf(null, { time: T0 + 5000 }), cost).severity).toBe('unknown');
    const s = a.analyze(snapshotOf(outbound(200, { remote: '10.0.0.2', port: 80 }), { time: T0 + 10_000 }), cost);
    expect(s.worst?.newPerSec).toBe(10);
  });

  it('gives null after a counter reset rather than a negative rate', () => {
    const a = new Analyzer();
    a.addTick({ time: T0, counters: counters({ activeOpens: 1000 }), sources: [] });
    expect(a.addTick({ time: T0 + 1000, counters: counters({ activeOpens: 10 }), sources: [] }).newConnectionsPerSec).toBeNull();
  });
});

describe('Analyzer: output', () => {
  it('produces JSON-safe samples (a JSON round trip changes nothing)', () => {
    const a = new Analyzer();
    const rows = [...outbound(10, { remote: '10.0.0.2', port: 80, firstPort: 40000, pid: 7 }), listener(40001)];
    for (let k = 0; k < 3; k++) {
      const s = a.analyze(snapshotOf(rows, { kernel: tenPorts, time: T0 + k * 1000, processNames: new Map([[7, 'app']]) }), cost);
      expect(JSON.parse(JSON.stringify(s))).toEqual(s);
    }
  });

  it('does not change its behaviour when the caller mutates the config object later', () => {
    const cfg = structuredClone(DEFAULT_ANALYSIS_CONFIG);
    const a = new Analyzer(cfg);
    cfg.thresholds.warning = 0.01;
    const s = a.analyze(snapshotOf(outbound(2, { remote: '10.0.0.2', port: 80, firstPort: 40000 }), { kernel: tenPorts }), cost);
    expect(s.severity).toBe('ok');
  });

  it('analyses a 150,000-socket table correctly', () => {
    const b = new SocketTableBuilder(150_001);
    const kernel = linuxKernel();
    b.push(listener(8080));
    const local = b.intern('10.0.0.1');
    const remotes = Array.from({ length: 50 }, (_, i) => b.intern(`10.1.0.${i + 1}`));
    // 3,000 sockets toward each of 50 destinations: 100 ESTABLISHED (pid 100 + d), 2,900 TIME-WAIT.
    for (let d = 0; d < 50; d++) {
      for (let i = 0; i < 3000; i++) {
        const tw = i >= 100;
        b.pushRaw(4, tw ? S.TIME_WAIT : S.ESTABLISHED, local, 32768 + ((d * 977 + i) % 28232), remotes[d]!, 443, 0, tw ? -1 : 100 + d, tw ? 10_000 : -1);
      }
    }
    const a = new Analyzer();
    const s = a.analyze(snapshotOf(b.build(), { kernel }), cost);
    expect(s.totalSockets).toBe(150_001);
    expect(s.states['TIME-WAIT']).toBe(145_000);
    expect(s.states.ESTABLISHED).toBe(5_000);
    expect(s.destinationCount).toBe(50);
    expect(s.destinations).toHaveLength(DEFAULT_ANALYSIS_CONFIG.topDestinations);
    expect(s.worst).toMatchObject({ inUse: 3000, blocking: 3000, capacity: 28232 });
    expect(s.processes).toHaveLength(20);
    expect(s.processes[0]).toMatchObject({ pid: 100, sockets: 100, timeWait: 0, topDestinations: ['10.1.0.1:443'] });
    expect(s.global.distinctPortsInUse).toBe(28232);
    expect(s.diagnoses.map((d) => d.id)).toContain('time-wait-churn');
  });
});

describe('Analyzer: bounded state', () => {
  it('keeps its memory bounded under endless new destinations, and keeps attributing across address compaction', () => {
    const a = new Analyzer();
    const names = new Map([[5, 'keeper']]);
    const perSample = 8_000;
    const samples = 20;
    let last;
    let compactions = 0;
    let before = 0;
    for (let k = 0; k < samples; k++) {
      // Fresh destination addresses in every sample, plus one long-lived connection that closes at the end.
      const b = new SocketTableBuilder(perSample + 1);
      const local = b.intern('10.0.0.1');
      for (let i = 0; i < perSample; i++) b.pushRaw(4, S.ESTABLISHED, local, 33000 + i, b.intern(`10.${k}.${i >> 8}.${i & 255}`), 443, 0, 9, -1);
      const open = k < samples - 1;
      b.push({ family: 4, state: open ? S.ESTABLISHED : S.TIME_WAIT, localAddr: '10.0.0.1', localPort: 55555, remoteAddr: '192.0.2.1', remotePort: 5432, pid: open ? 5 : -1, timeWaitAgeMs: 1000 });
      last = a.analyze(snapshotOf(b.build(), { time: T0 + k * 5000, processNames: names }), cost);
      const m = a.memoryStats();
      if (m.addresses < before) compactions++;
      before = m.addresses;
      expect(m.addresses).toBeLessThanOrEqual(12 * perSample); // 160,000 distinct addresses seen in all
      expect(m.ownerEntries).toBeLessThanOrEqual(4 * (perSample + 1)); // this and the previous sample's, until swept
      expect(m.trackedDestinations).toBeLessThanOrEqual(2 * DEFAULT_ANALYSIS_CONFIG.topDestinations);
    }
    expect(compactions).toBeGreaterThan(0);
    expect(last!.processes.find((p) => p.pid === 5)).toEqual({ pid: 5, name: 'keeper', sockets: 0, timeWait: 1, topDestinations: ['192.0.2.1:5432'] });
  });
});
