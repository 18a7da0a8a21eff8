// Choosing and describing the listed destinations.
import { TCP_STATE_NAMES, type TcpStateName } from '../../common/tcp-state.js';
import { STATE_SLOTS, type DestinationColumns } from './aggregate.js';

/** The stable key of a destination: `${netns}|${localAddress}|${remoteAddress}|${remotePort}`. */
export function destinationKey(netns: string, localAddress: string, remoteAddress: string, remotePort: number): string {
  return `${netns}|${localAddress}|${remoteAddress}|${remotePort}`;
}

/**
 * The k destination rows closest to exhaustion, worst first: the largest claim (ports its own sockets
 * take beyond those held from everyone, so the fewest ports left; by default its blocking sockets),
 * then most sockets in use. One pass with a small sorted buffer: no sort of every destination.
 */
export function selectTopDestinations(dest: DestinationColumns, k: number, claim?: (d: number) => number): number[] {
  const blocking = claim ?? ((d: number) => dest.inUse[d]! - dest.reusableTimeWait[d]!);
  const before = (a: number, b: number) => {
    const ba = blocking(a);
    const bb = blocking(b);
    if (ba !== bb) return ba > bb;
    if (dest.inUse[a] !== dest.inUse[b]) return dest.inUse[a]! > dest.inUse[b]!;
    return a < b;
  };
  const top: number[] = [];
  for (let d = 0; d < dest.count; d++) {
    if (top.length === k && !before(d, top[k - 1]!)) continue;
    let i = top.length === k ? k - 1 : top.length;
    if (top.length < k) top.push(d);
    while (i > 0 && before(d, top[i - 1]!)) {
      top[i] = top[i - 1]!;
      i--;
    }
    top[i] = d;
  }
  return top;
}

/** Non-zero state counts of one destination row, by state name. */
export function destinationStates(dest: DestinationColumns, d: number): Partial<Record<TcpStateName, number>> {
  const out: Partial<Record<TcpStateName, number>> = {};
  for (let s = 0; s < STATE_SLOTS; s++) {
    const n = dest.states[d * STATE_SLOTS + s]!;
    const name = TCP_STATE_NAMES[s];
    if (n > 0 && name) out[name] = n;
  }
  return out;
}

/** Usage as a share of capacity; 1 when nothing is usable. */
export function utilizationOf(blocking: number, usable: number): number {
  return usable > 0 ? blocking / usable : 1;
}
