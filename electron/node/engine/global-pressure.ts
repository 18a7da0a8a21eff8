// Ports taken from every destination at once. A plain connect() shares a local port across
// destinations; a socket that bind()s before connect() holds its port exclusively, so such programs
// exhaust the range globally (EADDRINUSE even toward a new destination).
//
// The table does not say whether a socket was bound before connecting. The evidence used here is
// statistical: with plain connects toward several destinations, ports chosen independently collide by
// chance; when many sockets toward several destinations never share a port, they are bind()-held.
// Toward ONE destination ports can never be shared anyway, so one destination alone cannot tell the
// two apart: the evidence is then only bound-only sockets inside the range.
import type { Capacity } from './capacity.js';

/** Expected shared ports at or above which never sharing one is evidence of bind() before connect(). */
export const MIN_EXPECTED_SHARED_PORTS = 5;

/** The global picture. */
export interface GlobalPressure {
  distinctPortsInUse: number;
  exclusivelyHeld: number;
  /** exclusivelyHeld / (rangeSize - reserved); 1 when nothing is left to pick from. */
  utilization: number;
  bindBeforeConnectEvidence: boolean;
  /** True when the evidence comes from never-shared ports (not only from bound-only sockets). */
  sharingEvidence: boolean;
  /** Ports plain connects would be expected to share by chance. */
  expectedSharedPorts: number;
  /** Destinations with outbound sockets. */
  destinations: number;
  /** Outbound sockets. */
  outboundSockets: number;
  /** Bound-only sockets inside the range. */
  boundOnlySockets: number;
}

/**
 * Expected number of shared ports if every destination's k_i sockets picked ports independently and
 * uniformly among `usable`: the sum over destination pairs of k_i * k_j / usable.
 */
export function expectedSharedPorts(perDestination: ArrayLike<number>, usable: number): number {
  if (!(usable > 0)) return 0;
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < perDestination.length; i++) {
    const k = perDestination[i]!;
    sum += k;
    sumSq += k * k;
  }
  return (sum * sum - sumSq) / 2 / usable;
}

/** What assessGlobalPressure reads. */
export interface GlobalPressureInput {
  range: { low: number; high: number };
  capacity: Capacity;
  /** Outbound sockets per destination. */
  perDestination: ArrayLike<number>;
  outboundSockets: number;
  distinctOutboundPorts: number;
  sharedOutboundPort: boolean;
  boundOnlyInRange: number;
  /** Masks indexed by port. */
  reservedMask: Uint8Array;
  heldPorts: Uint8Array;
  outboundPorts: Uint8Array;
}

/** Decides whether ports are held exclusively and how much of the range that takes. */
export function assessGlobalPressure(x: GlobalPressureInput): GlobalPressure {
  const expected = expectedSharedPorts(x.perDestination, x.capacity.usable);
  const destinations = x.perDestination.length;
  const sharingEvidence = destinations >= 2 && !x.sharedOutboundPort && expected >= MIN_EXPECTED_SHARED_PORTS;
  const evidence = sharingEvidence || x.boundOnlyInRange > 0;

  // Held ports (listeners and bound-only) are already in capacity.heldByListeners; with evidence,
  // add the outbound ports not already counted there (a union, nothing counted twice).
  let exclusive = x.capacity.heldByListeners;
  if (evidence) {
    for (let p = x.range.low; p <= x.range.high; p++) {
      if (x.outboundPorts[p] && !x.reservedMask[p] && !x.heldPorts[p]) exclusive++;
    }
  }
  const pickable = x.capacity.rangeSize - x.capacity.reserved;
  return {
    distinctPortsInUse: x.distinctOutboundPorts,
    exclusivelyHeld: exclusive,
    utilization: pickable > 0 ? exclusive / pickable : 1,
    bindBeforeConnectEvidence: evidence,
    sharingEvidence,
    expectedSharedPorts: expected,
    destinations,
    outboundSockets: x.outboundSockets,
    boundOnlySockets: x.boundOnlyInRange,
  };
}
