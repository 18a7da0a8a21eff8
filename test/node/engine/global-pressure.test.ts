import { describe, expect, it } from 'vitest';
import { aggregateTable } from '../../../electron/node/engine/aggregate.js';
import { computeCapacity, reservedPortMask } from '../../../electron/node/engine/capacity.js';
import { assessGlobalPressure, expectedSharedPorts } from '../../../electron/node/engine/global-pressure.js';
import type { SocketRow } from '../../../electron/node/platform/socket-table.js';
import { linuxKernel, listener, outbound, S, tableOf } from './engine-fixtures.js';

const range = { low: 40000, high: 40999 };
const kernel = linuxKernel({ portRange: range });

function assess(rows: SocketRow[]) {
  const agg = aggregateTable(tableOf(rows), { range, kernel, recentWindowMs: 5000 });
  const reservedMask = reservedPortMask(range, null);
  const capacity = computeCapacity(range, reservedMask, agg.heldPorts);
  return assessGlobalPressure({
    range,
    capacity,
    perDestination: agg.dest.inUse,
    outboundSockets: agg.outbound,
    distinctOutboundPorts: agg.distinctOutboundPorts,
    sharedOutboundPort: agg.sharedOutboundPort,
    boundOnlyInRange: agg.boundOnlyInRange,
    reservedMask,
    heldPorts: agg.heldPorts,
    outboundPorts: agg.outboundPorts,
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
    expect(g).toMatchObject({ bindBeforeConnectEvidence: true, sharingEvidence: true, distinctPortsInUse: 200, exclusivelyHeld: 200, utilization: 0.2 });
  });

  it('finds none for plain connects whose ports overlap across destinations', () => {
    const g = assess([...outbound(100, { remote: '10.0.0.2', port: 80, firstPort: 40000 }), ...outbound(100, { remote: '10.0.0.3', port: 80, firstPort: 40050 })]);
    expect(g).toMatchObject({ bindBeforeConnectEvidence: false, distinctPortsInUse: 150, exclusivelyHeld: 0, utilization: 0 });
  });

  it('finds none when chance would not have shared a port anyway, or with one destination only', () => {
    expect(assess([...outbound(20, { remote: '10.0.0.2', port: 80, firstPort: 40000 }), ...outbound(20, { remote: '10.0.0.3', port: 80, firstPort: 40100 })]).bindBeforeConnectEvidence).toBe(false);
    expect(assess(outbound(900, { remote: '10.0.0.2', port: 80, firstPort: 40000 })).bindBeforeConnectEvidence).toBe(false);
  });

  it('counts bound-only sockets inside the range as evidence and as held ports, listeners as held ports', () => {
    const bound: SocketRow = { family: 4, state: S.BOUND, localAddr: '0.0.0.0', localPort: 40500, remoteAddr: '0.0.0.0', remotePort: 0 };
    const g = assess([bound, listener(40600), ...outbound(10, { remote: '10.0.0.2', port: 80, firstPort: 40000 })]);
    expect(g).toMatchObject({ bindBeforeConnectEvidence: true, sharingEvidence: false, boundOnlySockets: 1, exclusivelyHeld: 12, utilization: 0.012 });
  });
});
