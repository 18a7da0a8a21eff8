import { describe, expect, it } from 'vitest';
import { aggregateTable, blockingOf, STATE_SLOTS } from '../../../electron/node/engine/aggregate.js';
import { linuxKernel, listener, outbound, S, tableOf } from './engine-fixtures.js';

const range = { low: 40000, high: 40099 };
const kernel = linuxKernel({ portRange: range });

describe('aggregateTable', () => {
  it('counts every socket per state, inside the range or not', () => {
    const t = tableOf([listener(22), ...outbound(3, { remote: '10.0.0.2', port: 80, firstPort: 50000 }), ...outbound(2, { remote: '10.0.0.2', port: 80, state: S.TIME_WAIT })]);
    const a = aggregateTable(t, { range, kernel, recentWindowMs: 5000 });
    expect(a.total).toBe(6);
    expect([a.stateCounts[S.LISTEN], a.stateCounts[S.ESTABLISHED], a.stateCounts[S.TIME_WAIT]]).toEqual([1, 3, 2]);
    expect(a.outbound).toBe(2);
  });

  it('groups outbound sockets per (source address, destination address, destination port)', () => {
    const t = tableOf([
      ...outbound(3, { local: '10.0.0.1', remote: '10.0.0.2', port: 80 }),
      ...outbound(2, { local: '10.0.0.9', remote: '10.0.0.2', port: 80 }),
      ...outbound(4, { local: '10.0.0.1', remote: '10.0.0.2', port: 443 }),
    ]);
    const a = aggregateTable(t, { range, kernel, recentWindowMs: 5000 });
    expect(a.dest.count).toBe(3);
    expect(Array.from(a.dest.inUse)).toEqual([3, 2, 4]);
    expect(Array.from(a.destOf.slice(0, 5))).toEqual([0, 0, 0, 1, 1]);
    expect(a.sharedOutboundPort).toBe(true); // 40000 is used toward all three
    expect(a.distinctOutboundPorts).toBe(4);
  });

  it('leaves out accepted connections on a listening port, LISTEN, SYN-RECV and bound-only sockets', () => {
    const t = tableOf([
      listener(40010),
      { family: 4, state: S.ESTABLISHED, localAddr: '10.0.0.1', localPort: 40010, remoteAddr: '10.0.0.7', remotePort: 51000 },
      { family: 4, state: S.SYN_RECV, localAddr: '10.0.0.1', localPort: 40011, remoteAddr: '10.0.0.7', remotePort: 51001 },
      { family: 4, state: S.BOUND, localAddr: '0.0.0.0', localPort: 40020, remoteAddr: '0.0.0.0', remotePort: 0 },
      { family: 4, state: S.CLOSE, localAddr: '0.0.0.0', localPort: 40021, remoteAddr: '0.0.0.0', remotePort: 0 },
      { family: 4, state: S.CLOSE, localAddr: '0.0.0.0', localPort: 0, remoteAddr: '0.0.0.0', remotePort: 0 },
      { family: 4, state: S.CLOSE, localAddr: '0.0.0.0', localPort: 9000, remoteAddr: '0.0.0.0', remotePort: 0 },
    ]);
    const a = aggregateTable(t, { range, kernel, recentWindowMs: 5000 });
    expect(a.outbound).toBe(0);
    expect(a.boundOnlyInRange).toBe(2);
    expect([a.heldPorts[40010], a.heldPorts[40020], a.heldPorts[40021], a.heldPorts[9000], a.heldPorts[0]]).toEqual([1, 1, 1, 1, 0]);
    expect(a.listenPorts[40010]).toBe(1);
  });

  it('counts every outbound state except LISTEN, including SYN-SENT, FIN-WAIT, CLOSE-WAIT, LAST-ACK and CLOSING', () => {
    const states = [S.SYN_SENT, S.ESTABLISHED, S.FIN_WAIT1, S.FIN_WAIT2, S.TIME_WAIT, S.CLOSE_WAIT, S.LAST_ACK, S.CLOSING];
    const t = tableOf(states.map((state, i) => ({ family: 4, state, localAddr: '10.0.0.1', localPort: 40000 + i, remoteAddr: '10.0.0.2', remotePort: 80, timeWaitAgeMs: 1 })));
    const a = aggregateTable(t, { range, kernel, recentWindowMs: 5000 });
    expect(a.dest.inUse[0]).toBe(states.length);
    for (const s of states) expect(a.dest.states[s]).toBe(1);
    expect(a.dest.states.length).toBe(STATE_SLOTS);
  });

  it('counts recent, reusable and unknown-age TIME-WAIT per destination', () => {
    const ages = [100, 900, 1000, 4000, 6000, -1];
    const rows = [
      ...ages.map((age, i) => ({ family: 4 as const, state: S.TIME_WAIT, localAddr: '127.0.0.1', localPort: 40000 + i, remoteAddr: '127.0.0.1', remotePort: 8080, timeWaitAgeMs: age })),
      ...ages.map((age, i) => ({ family: 4 as const, state: S.TIME_WAIT, localAddr: '10.0.0.1', localPort: 40000 + i, remoteAddr: '10.0.0.2', remotePort: 8080, timeWaitAgeMs: age })),
    ];
    const a = aggregateTable(tableOf(rows), { range, kernel, recentWindowMs: 5000 });
    expect([a.dest.reuse[0], a.dest.reuse[1]]).toEqual([1, 0]);
    expect(Array.from(a.dest.recentTimeWait)).toEqual([4, 4]);
    expect(Array.from(a.dest.reusableTimeWait)).toEqual([3, 0]);
    expect(Array.from(a.dest.unknownAgeTimeWait)).toEqual([1, 1]);
    expect([blockingOf(a.dest, 0), blockingOf(a.dest, 1)]).toEqual([3, 6]);
  });

  it('treats nothing as outbound without a range, but still counts states and held ports', () => {
    const a = aggregateTable(tableOf([listener(80), ...outbound(3, { remote: '10.0.0.2', port: 80 })]), { range: null, kernel, recentWindowMs: 5000 });
    expect(a.outbound).toBe(0);
    expect(a.dest.count).toBe(0);
    expect(a.stateCounts[S.ESTABLISHED]).toBe(3);
    expect(a.heldPorts[80]).toBe(1);
  });

  it('counts CLOSE-WAIT sockets per owner, inbound ones too', () => {
    const rows = [
      ...outbound(3, { remote: '10.0.0.2', port: 80, state: S.CLOSE_WAIT, pid: 7 }),
      { family: 4 as const, state: S.CLOSE_WAIT, localAddr: '10.0.0.1', localPort: 443, remoteAddr: '10.0.0.5', remotePort: 50000, pid: 8 },
      { family: 4 as const, state: S.CLOSE_WAIT, localAddr: '10.0.0.1', localPort: 443, remoteAddr: '10.0.0.5', remotePort: 50001 },
    ];
    const a = aggregateTable(tableOf(rows), { range, kernel, recentWindowMs: 5000 });
    expect(a.closeWaitByPid).toEqual(new Map([[7, 3], [8, 1], [-1, 1]]));
  });
});
