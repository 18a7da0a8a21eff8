import { describe, expect, it } from 'vitest';
import { aggregateTable } from '../../../electron/node/engine/aggregate.js';
import { reservedPortMask } from '../../../electron/node/engine/capacity.js';
import { destinationBasis, newDestinationBasis } from '../../../electron/node/engine/port-basis.js';
import { buildPortModel, portsLeftForNewDestination, portsLeftToward, reusableTimeWaitToward } from '../../../electron/node/engine/port-model.js';
import type { SocketRow } from '../../../electron/node/platform/socket-table.js';
import { linuxKernel, tableOf } from './engine-fixtures.js';

const range = { low: 40000, high: 40049 };
const est = (port: number): SocketRow => ({ family: 4, state: 1, localAddr: '10.0.0.1', localPort: port, remoteAddr: '10.0.0.9', remotePort: 80, pid: 100 });

/** The basis of the new-destination figure for `n` connected sockets on ports of their own. */
function basisFor(n: number) {
  const table = tableOf(Array.from({ length: n }, (_, i) => est(range.low + i)));
  const kernel = linuxKernel({ portRange: range, reservedPorts: [] });
  const agg = aggregateTable(table, { range, kernel, recentWindowMs: 5000 });
  const model = buildPortModel({ range, reservedMask: reservedPortMask(range, []), heldPorts: agg.heldPorts, table, destOf: agg.destOf, destCount: agg.dest.count, blocks: agg.blocks, boundOnlyByPid: agg.boundOnlyByPid });
  return newDestinationBasis({ model, nameOf: () => 'client' }, portsLeftForNewDestination(model));
}

describe('what a free-port figure rests on', () => {
  it('names one unproven port in the singular and several in the plural', () => {
    expect(basisFor(1)).toMatchObject({ kind: 'inferred', low: 49, high: 50 });
    expect(basisFor(1).reason).toContain("1 port used by one socket is taken as connect()'s (the table cannot tell)");
    expect(basisFor(3).reason).toContain("3 ports used by one socket each are taken as connect()'s (the table cannot tell)");
  });

  it('says that reusable TIME-WAIT counts as free only if its connections used timestamps, even when the ports are proven connect()\'s', () => {
    // ports shared with ESTABLISHED sockets toward .9 (so connect()'s), TIME-WAIT toward .8 aged past the delay
    const tw = (port: number): SocketRow => ({ family: 4, state: 6, localAddr: '10.0.0.1', localPort: port, remoteAddr: '10.0.0.8', remotePort: 80, timeWaitAgeMs: 5_000 });
    const rows = Array.from({ length: 2 }, (_, i) => [tw(40000 + i), est(40000 + i)]).flat();
    const table = tableOf(rows);
    const kernel = linuxKernel({ portRange: range, reservedPorts: [], twReuse: 1, twReuseDelayMs: 1000 });
    const agg = aggregateTable(table, { range, kernel, recentWindowMs: 5000 });
    const model = buildPortModel({ range, reservedMask: reservedPortMask(range, []), heldPorts: agg.heldPorts, table, destOf: agg.destOf, destCount: agg.dest.count, blocks: agg.blocks, boundOnlyByPid: agg.boundOnlyByPid });
    const d = [0, 1].find((k) => table.addrs[agg.dest.remoteAddr[k]!] === '10.0.0.8')!;
    const basis = destinationBasis({ model, nameOf: () => 'client' }, portsLeftToward(model, d), { reusableTimeWait: reusableTimeWaitToward(model, d), reuseDelayMs: 1000 });
    expect(basis).toMatchObject({ kind: 'inferred', left: 50, low: 48, high: 50 });
    expect(basis.reason).toBe(
      'inferred: 2 TIME-WAIT sockets toward it count as free (tcp_tw_reuse takes them after 1,000 ms) only if their connections used TCP timestamps, which the table does not show; toward a peer that does not echo them the ports stay held for the whole TIME-WAIT; the kernel allows 48 to 50 more toward it',
    );
  });
});
