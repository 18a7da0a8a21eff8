import { describe, expect, it } from 'vitest';
import { aggregateTable } from '../../../electron/node/engine/aggregate.js';
import { reservedPortMask } from '../../../electron/node/engine/capacity.js';
import { newDestinationBasis } from '../../../electron/node/engine/port-basis.js';
import { buildPortModel, portsLeftForNewDestination } from '../../../electron/node/engine/port-model.js';
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
});
