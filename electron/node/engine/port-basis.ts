// Says what a free-port figure rests on: kernel-exact when the table settles it by the kernel's rules,
// inferred (with the evidence and the bounds) when it depends on how connected sockets got their ports.
import type { PortBasis } from '../../common/model.js';
import { formatCount } from './format.js';
import { isExact, type PortModel, type PortsLeft } from './port-model.js';

/** What the sentences name besides the model. */
export interface BasisContext {
  model: PortModel;
  /** Process name by pid ('' when unknown). */
  nameOf: (pid: number) => string;
}

/**
 * The basis of "ports left toward this destination"; `reusableTimeWait` of its TIME-WAIT sockets count as
 * free only because tcp_tw_reuse may take them (after `reuseDelayMs`).
 */
export function destinationBasis(ctx: BasisContext, left: PortsLeft, reuse: { reusableTimeWait: number; reuseDelayMs: number } = { reusableTimeWait: 0, reuseDelayMs: 0 }): PortBasis {
  return basisOf(ctx, left, 'toward it', reuse);
}

/** The basis of "ports left toward a destination nothing talks to yet". */
export function newDestinationBasis(ctx: BasisContext, left: PortsLeft): PortBasis {
  return basisOf(ctx, left, 'toward a new destination', { reusableTimeWait: 0, reuseDelayMs: 0 });
}

function basisOf(ctx: BasisContext, left: PortsLeft, toward: string, reuse: { reusableTimeWait: number; reuseDelayMs: number }): PortBasis {
  if (isExact(left) && reuse.reusableTimeWait === 0) {
    return {
      kind: 'kernel-exact',
      reason: `kernel-exact: reserved ports, listeners, bound-only sockets and every socket that matters ${toward} are in the socket table`,
      left: left.best,
      low: left.low,
      high: left.high,
    };
  }
  const m = ctx.model;
  const parts: string[] = [];
  const binders = [...m.evidence.bindingProcesses].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  if (binders.length > 0) {
    const named = binders.slice(0, 3).map(([pid, n]) => `${printable(ctx.nameOf(pid)) || 'pid'} (${pid}): ${formatCount(n)}`);
    const more = binders.length > 3 ? ` and ${binders.length - 3} more` : '';
    parts.push(`connected sockets of processes that also hold bound-only sockets count as bound before connect() [${named.join(', ')}${more}]`);
  }
  if (m.evidence.statistical) {
    parts.push(`sockets toward several destinations never share a port although about ${formatCount(m.evidence.expectedSharedPorts)} would by chance, so they count as bound before connect()`);
  }
  if (reuse.reusableTimeWait > 0) {
    const n = reuse.reusableTimeWait;
    parts.push(
      `${n === 1 ? '1 TIME-WAIT socket' : `${formatCount(n)} TIME-WAIT sockets`} ${toward} ${n === 1 ? 'counts' : 'count'} as free (tcp_tw_reuse takes ${n === 1 ? 'it' : 'them'} after ${formatCount(reuse.reuseDelayMs)} ms) only if ${n === 1 ? 'its connection' : 'their connections'} used TCP timestamps, which the table does not show; toward a peer that does not echo them ${n === 1 ? 'the port stays' : 'the ports stay'} held for the whole TIME-WAIT`,
    );
  }
  if (m.unproven > 0) {
    parts.push(m.unproven === 1 ? "1 port used by one socket is taken as connect()'s (the table cannot tell)" : `${formatCount(m.unproven)} ports used by one socket each are taken as connect()'s (the table cannot tell)`);
  }
  return {
    kind: 'inferred',
    reason: `inferred: ${parts.join('; ')}; the kernel allows ${formatCount(left.low)} to ${formatCount(left.high)} more ${toward}`,
    left: left.best,
    low: left.low,
    high: left.high,
  };
}

// A process name comes from outside: control characters are shown as \xNN, never passed on.
function printable(name: string): string {
  return name.slice(0, 64).replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
