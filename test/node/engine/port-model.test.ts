import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregateTable } from '../../../electron/node/engine/aggregate.js';
import { reservedPortMask } from '../../../electron/node/engine/capacity.js';
import { buildPortModel, isExact, portsLeftForNewDestination, portsLeftToward, reusableTimeWaitToward, type PortModel } from '../../../electron/node/engine/port-model.js';
import type { SocketRow } from '../../../electron/node/platform/socket-table.js';
import { linuxKernel, tableOf } from './engine-fixtures.js';
import { KernelPortSim, type SimOp } from './kernel-port-sim.js';

const range = { low: 40000, high: 40049 };

function modelOf(rows: readonly SocketRow[], r = range, reserved: { low: number; high: number }[] = [], twReuse: 0 | 1 | 2 = 2) {
  const table = tableOf(rows);
  const kernel = linuxKernel({ portRange: r, reservedPorts: reserved, twReuse });
  const agg = aggregateTable(table, { range: r, kernel, recentWindowMs: 5000 });
  const reservedMask = reservedPortMask(r, reserved);
  const model = buildPortModel({ range: r, reservedMask, heldPorts: agg.heldPorts, table, destOf: agg.destOf, destCount: agg.dest.count, blocks: agg.blocks, boundOnlyByPid: agg.boundOnlyByPid });
  const rowOf = (src: string, dst: string, dport: number) => {
    for (let d = 0; d < agg.dest.count; d++) {
      if (table.addrs[agg.dest.localAddr[d]!] === src && table.addrs[agg.dest.remoteAddr[d]!] === dst && agg.dest.remotePort[d] === dport) return d;
    }
    return -1;
  };
  const leftToward = (m: PortModel, src: string, dst: string, dport: number) => {
    const d = rowOf(src, dst, dport);
    return d < 0 ? portsLeftForNewDestination(m) : portsLeftToward(m, d);
  };
  return { model, rowOf, leftToward: (src: string, dst: string, dport: number) => leftToward(model, src, dst, dport) };
}

const est = (pid: number, port: number, dst: string, dport = 80, src = '10.0.0.1'): SocketRow => ({ family: 4, state: 1, localAddr: src, localPort: port, remoteAddr: dst, remotePort: dport, pid });
const boundOnly = (pid: number, port: number): SocketRow => ({ family: 4, state: 7, localAddr: '0.0.0.0', localPort: port, remoteAddr: '0.0.0.0', remotePort: 0, pid });

describe('port model', () => {
  it('one bound-only socket holds one port, not every outbound port (issue 10, bug 1)', () => {
    const rows = [...Array.from({ length: 40 }, (_, i) => est(100, 40000 + i, '10.0.0.9')), boundOnly(200, 40045)];
    const { model, leftToward } = modelOf(rows);
    expect(model).toMatchObject({ pickable: 50, heldExact: 1, heldInferred: 0, unproven: 40 });
    expect(leftToward('10.0.0.1', '10.0.0.9', 80)).toEqual({ best: 9, low: 9, high: 9 });
    expect(leftToward('10.0.0.1', '10.0.0.77', 80)).toEqual({ best: 49, low: 9, high: 49 });
  });

  it('counts a bound-only process\'s connected sockets as held from every destination (issue 10, bug 2)', () => {
    const rows = [...Array.from({ length: 5 }, (_, i) => est(300, 40001 + 2 * i, '10.0.0.9')), ...Array.from({ length: 5 }, (_, i) => boundOnly(300, 40021 + 2 * i))];
    const { model, leftToward } = modelOf(rows);
    expect(model).toMatchObject({ heldExact: 5, heldInferred: 5, unproven: 0 });
    expect(model.evidence.bindingProcesses.get(300)).toBe(5);
    expect(leftToward('10.0.0.1', '10.0.0.8', 80)).toEqual({ best: 40, low: 40, high: 45 });
    expect(leftToward('10.0.0.1', '10.0.0.9', 80)).toEqual({ best: 40, low: 40, high: 40 });
  });

  it('takes a port shared by two destinations as connect()\'s: exact', () => {
    const rows = [est(1, 40000, '10.0.0.8'), est(2, 40000, '10.0.0.9'), boundOnly(2, 40010)];
    const { model, leftToward } = modelOf(rows);
    expect(model).toMatchObject({ shared: 1, heldInferred: 0, unproven: 0 });
    expect(isExact(leftToward('10.0.0.1', '10.0.0.7', 80))).toBe(true);
    expect(leftToward('10.0.0.1', '10.0.0.8', 80)).toEqual({ best: 48, low: 48, high: 48 });
  });

  it('takes TIME-WAIT that tcp_tw_reuse may take as free, and as held in the low bound (timestamps unknown)', () => {
    // 10 ports, each used toward .8 (TIME-WAIT, 5 s old) and toward .9 (ESTABLISHED): shared, so connect()'s.
    const tw = (port: number): SocketRow => ({ family: 4, state: 6, localAddr: '10.0.0.1', localPort: port, remoteAddr: '10.0.0.8', remotePort: 80, timeWaitAgeMs: 5_000 });
    const rows = Array.from({ length: 10 }, (_, i) => [tw(40000 + i), est(1, 40000 + i, '10.0.0.9')]).flat();
    const on = modelOf(rows, range, [], 1);
    expect(on.model).toMatchObject({ shared: 10, unproven: 0 });
    expect(reusableTimeWaitToward(on.model, on.rowOf('10.0.0.1', '10.0.0.8', 80))).toBe(10);
    // reusable after the delay if the connections used timestamps (high), held 60 s if not (low)
    expect(on.leftToward('10.0.0.1', '10.0.0.8', 80)).toEqual({ best: 50, low: 40, high: 50 });
    // without reuse toward it (tw_reuse 2, not loopback) the TIME-WAIT blocks: exact
    const off = modelOf(rows, range, [], 2);
    expect(reusableTimeWaitToward(off.model, off.rowOf('10.0.0.1', '10.0.0.8', 80))).toBe(0);
    expect(off.leftToward('10.0.0.1', '10.0.0.8', 80)).toEqual({ best: 40, low: 40, high: 40 });
  });

  it('leaves out reserved ports and listeners exactly', () => {
    const rows = [{ family: 4 as const, state: 10, localAddr: '0.0.0.0', localPort: 40003, remoteAddr: '0.0.0.0', remotePort: 0 }, est(1, 40020, '10.0.0.8')];
    const { model, leftToward } = modelOf(rows, range, [{ low: 40010, high: 40014 }]);
    expect(model).toMatchObject({ pickable: 45, heldExact: 1 });
    expect(leftToward('10.0.0.1', '10.0.0.8', 80)).toEqual({ best: 43, low: 43, high: 43 });
  });

  it('agrees with a reference model of the kernel: the kernel always allows between low and high, exactly best when exact', () => {
    const src = fc.constantFrom('10.0.0.1', '10.0.0.2');
    const dst = fc.constantFrom('10.0.1.1', '10.0.1.2', '10.0.1.3');
    const op: fc.Arbitrary<SimOp> = fc.oneof(
      fc.record({ kind: fc.constant('connect' as const), pid: fc.integer({ min: 1, max: 3 }), src, dst, dport: fc.constantFrom(80, 443) }),
      fc.record({ kind: fc.constant('bind-connect' as const), pid: fc.integer({ min: 1, max: 3 }), src, dst, dport: fc.constantFrom(80, 443) }),
      fc.record({ kind: fc.constant('bind-only' as const), pid: fc.integer({ min: 1, max: 3 }) }),
      fc.record({ kind: fc.constant('listen' as const), pid: fc.constant(9), port: fc.integer({ min: 40000, max: 40019 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), fc.array(fc.integer({ min: 40000, max: 40019 }), { maxLength: 4 }), fc.integer(), (ops, reservedList, seed) => {
        let x = seed >>> 0 || 1;
        const random = () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32);
        const r = { low: 40000, high: 40019 };
        const sim = new KernelPortSim(r, new Set(reservedList), random);
        for (const o of ops) sim.apply(o);
        const { leftToward } = modelOf(sim.rows, r, reservedList.map((p) => ({ low: p, high: p })));
        for (const s of ['10.0.0.1', '10.0.0.2']) {
          for (const d of ['10.0.1.1', '10.0.1.2', '10.0.1.9']) {
            const left = leftToward(s, d, 80);
            const actual = sim.clone().connectsUntilFailure(s, d, 80);
            expect(actual).toBeGreaterThanOrEqual(left.low);
            expect(actual).toBeLessThanOrEqual(left.high);
            if (isExact(left)) expect(actual).toBe(left.best);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
