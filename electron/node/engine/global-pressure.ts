// Ports taken from every destination at once, from the port model (port-model.ts, docs/port-model.md):
// listeners and bound-only sockets exactly, and the ports of sockets that by evidence bind() before
// connect(). One bound-only socket holds one port: it says nothing about the ports of other programs.
import { isExact, portsLeftForNewDestination, type PortModel, type PortsLeft } from './port-model.js';

export { expectedSharedPorts, MIN_EXPECTED_SHARED_PORTS } from './port-model.js';

/** The global picture. */
export interface GlobalPressure {
  distinctPortsInUse: number;
  /** heldExact + heldInferred: ports no connect() can take, by the best evidence. */
  exclusivelyHeld: number;
  /** Listeners and bound-only sockets inside the range (kernel-exact). */
  heldExact: number;
  /** Ports of connected sockets that by evidence were taken by bind(). */
  heldInferred: number;
  /** exclusivelyHeld / (rangeSize - reserved); 1 when nothing is left to pick from. */
  utilization: number;
  /** heldExact / (rangeSize - reserved): the part that does not rest on inference. */
  exactUtilization: number;
  /** True when some connected sockets' ports count as taken by bind(). */
  bindBeforeConnectEvidence: boolean;
  /** True when the evidence includes never-shared ports across destinations. */
  sharingEvidence: boolean;
  /** Ports plain connects would be expected to share by chance. */
  expectedSharedPorts: number;
  /** Processes that hold bound-only sockets, with their connected sockets counted as bound. */
  bindingProcesses: { pid: number; sockets: number }[];
  /** Destinations with outbound sockets. */
  destinations: number;
  /** Outbound sockets. */
  outboundSockets: number;
  /** Bound-only sockets inside the range. */
  boundOnlySockets: number;
  /** Ports left toward a destination nothing talks to yet. */
  newDestination: PortsLeft;
}

/** What assessGlobalPressure reads besides the model. */
export interface GlobalPressureInput {
  model: PortModel;
  destinations: number;
  outboundSockets: number;
  distinctOutboundPorts: number;
  boundOnlyInRange: number;
}

/** Decides which ports are held from everyone and how much of the range that takes. */
export function assessGlobalPressure(x: GlobalPressureInput): GlobalPressure {
  const m = x.model;
  const held = m.heldExact + m.heldInferred;
  const share = (k: number) => (m.pickable > 0 ? k / m.pickable : 1);
  return {
    distinctPortsInUse: x.distinctOutboundPorts,
    exclusivelyHeld: held,
    heldExact: m.heldExact,
    heldInferred: m.heldInferred,
    utilization: share(held),
    exactUtilization: share(m.heldExact),
    bindBeforeConnectEvidence: m.heldInferred > 0,
    sharingEvidence: m.evidence.statistical,
    expectedSharedPorts: m.evidence.expectedSharedPorts,
    bindingProcesses: [...m.evidence.bindingProcesses].map(([pid, sockets]) => ({ pid, sockets })).sort((a, b) => b.sockets - a.sockets || a.pid - b.pid),
    destinations: x.destinations,
    outboundSockets: x.outboundSockets,
    boundOnlySockets: x.boundOnlyInRange,
    newDestination: portsLeftForNewDestination(m),
  };
}

/** True when the global figure does not rest on inference. */
export function globalIsExact(g: GlobalPressure): boolean {
  return g.heldInferred === 0 && isExact(g.newDestination);
}
