import { describe, expect, it } from 'vitest';
import { aggregateTable } from '../../../electron/node/engine/aggregate.js';
import { reservedPortMask } from '../../../electron/node/engine/capacity.js';
import { assessGlobalPressure, expectedSharedPorts, globalIsExact } from '../../../electron/node/engine/global-pressure.js';
import { buildPortModel } from '../../../electron/node/engine/port-model.js';
import type { SocketRow } from '../../../electron/node/platform/socket-table.js';
import { linuxKernel, listener, outbound, S, tableOf } from './engine-fixtures.js';

const range = { low: 40000, high: 40999 };
const kernel = linuxKernel({ portRange: range });

function assess(rows: SocketRow[]) {
  const table = tableOf(rows);
  const agg = aggregateTable(table, { range, kernel, recentWindowMs: 5000 });
  const reservedMask = reservedPortMask(range, null);
  const model = buildPortModel({ range, reservedMask, heldPorts: agg.heldPorts, table, destOf: agg.destOf, destCount: agg.dest.count, blocks: agg.blocks, boundOnlyByPid: agg.boundOnlyByPid });
  return assessGlobalPressure({
    model,
    destinations: agg.dest.count,
    outboundSockets: agg.outbound,
    distinctOutboundPorts: agg.distinctOutboundPorts,
    boundOnlyInRange: agg.boundOnlyInRange,
  });
}

describe('global pressure', () => {
  it('expects k_i * k_j / usable shared ports per pair of destinations', () => {
    expect(expectedSharedPorts([100, 100], 1000)).toBe(10);
    expect(expectedSharedPorts([100, 100, 100], 1000)).toBe(30);
    expect(expectedSharedPorts([500], 1000)).toBe(0);
  });

  it('finds bind()-before-connect evidence when many sockets toward several destinations never share a port', () => {
    const g = assess([...outbound(100, { remote: '10.0.0.2', port: 80, firstPort: 40000 }), ...outbound(100, { remote: '10.0.0.3', port: 80, firstPort: 40100 })]);
    expect(g.expectedSharedPorts).toBe(10);
    expect(g).toMatchObject({ bindBeforeConnectEvidence: true, sharingEvidence: true, distinctPortsInUse: 200, exclusivelyHeld: 200, heldExact: 0, heldInferred: 200, utilization: 0.2, exactUtilization: 0 });
    // Inferred: a new destination gets 800 by the evidence, 1000 if the ports were connect()'s after all.
    expect(g.newDestination).toEqual({ best: 800, low: 800, high: 1000 });
    expect(globalIsExact(g)).toBe(false);
  });

  it('finds none for plain connects whose ports overlap across destinations', () => {
    const g = assess([...outbound(100, { remote: '10.0.0.2', port: 80, firstPort: 40000 }), ...outbound(100, { remote: '10.0.0.3', port: 80, firstPort: 40050 })]);
    expect(g).toMatchObject({ bindBeforeConnectEvidence: false, distinctPortsInUse: 150, exclusivelyHeld: 0, utilization: 0 });
  });

  it('finds none when chance would not have shared a port anyway, or with one destination only', () => {
    expect(assess([...outbound(20, { remote: '10.0.0.2', port: 80, firstPort: 40000 }), ...outbound(20, { remote: '10.0.0.3', port: 80, firstPort: 40100 })]).bindBeforeConnectEvidence).toBe(false);
    expect(assess(outbound(900, { remote: '10.0.0.2', port: 80, firstPort: 40000 })).bindBeforeConnectEvidence).toBe(false);
  });

  it('counts a bound-only socket and a listener as one held port each, never the other programs\' ports', () => {
    const bound: SocketRow = { family: 4, state: S.BOUND, localAddr: '0.0.0.0', localPort: 40500, remoteAddr: '0.0.0.0', remotePort: 0, pid: 7 };
    const g = assess([bound, listener(40600), ...outbound(10, { remote: '10.0.0.2', port: 80, firstPort: 40000, pid: 8 })]);
    expect(g).toMatchObject({ bindBeforeConnectEvidence: false, sharingEvidence: false, boundOnlySockets: 1, exclusivelyHeld: 2, heldExact: 2, utilization: 0.002 });
  });

  it('counts the connected sockets of a process that also holds bound-only sockets as held', () => {
    const bound: SocketRow = { family: 4, state: S.BOUND, localAddr: '0.0.0.0', localPort: 40500, remoteAddr: '0.0.0.0', remotePort: 0, pid: 7 };
    const g = assess([bound, ...outbound(10, { remote: '10.0.0.2', port: 80, firstPort: 40000, pid: 7 }), ...outbound(5, { remote: '10.0.0.2', port: 80, firstPort: 40100, pid: 8 })]);
    expect(g).toMatchObject({ bindBeforeConnectEvidence: true, exclusivelyHeld: 11, heldExact: 1, heldInferred: 10, bindingProcesses: [{ pid: 7, sockets: 10 }] });
    expect(g.newDestination).toEqual({ best: 989, low: 984, high: 999 });
  });
});
