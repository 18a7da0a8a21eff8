// Two passes over the socket table's columns: what every later step needs, with no object per socket.
// Pass 1 counts states and finds the ports held by listeners and bound-only sockets; pass 2 (which
// needs the listening ports) classifies outbound sockets and groups them per destination.
import type { KernelSettings, PortRange } from '../../common/model.js';
import { occupiesDestinationPort, TCP_STATE } from '../../common/tcp-state.js';
import type { SocketTable } from '../platform/types.js';
import { isLoopbackAddress } from './address.js';
import { TripleMap } from './triple-map.js';
import { twReuseApplies, twReuseDelayMs } from './tw-reuse.js';

/** Slots per destination in DestinationColumns.states (state numbers 0..15). */
export const STATE_SLOTS = 16;

// Plain numbers for the hot loops (an imported object's property is not free in every module loader).
const LISTEN = TCP_STATE.LISTEN;
const BOUND = TCP_STATE.BOUND;
const CLOSE = TCP_STATE.CLOSE;
const CLOSE_WAIT = TCP_STATE.CLOSE_WAIT;
const TIME_WAIT = TCP_STATE.TIME_WAIT;
/** occupiesDestinationPort() for every state number, looked up instead of called per socket. */
const OCCUPIES = Uint8Array.from({ length: 256 }, (_, s) => (occupiesDestinationPort(s) ? 1 : 0));

/** One row per destination (netns is the table's; addresses are indexes into the table's addrs). */
export interface DestinationColumns {
  count: number;
  localAddr: Uint32Array;
  remoteAddr: Uint32Array;
  remotePort: Uint16Array;
  /** 1 when tcp_tw_reuse lets new outgoing connections toward it reuse TIME-WAIT 4-tuples. */
  reuse: Uint8Array;
  /** Outbound sockets toward it, any state. */
  inUse: Uint32Array;
  /** TIME-WAIT sockets reuse can already take (reuse applies and age ≥ the reuse delay). */
  reusableTimeWait: Uint32Array;
  /** TIME-WAIT sockets younger than the recent window (closed since the previous sample). */
  recentTimeWait: Uint32Array;
  /** TIME-WAIT sockets whose age is unknown. */
  unknownAgeTimeWait: Uint32Array;
  /** Sockets per state: states[d * STATE_SLOTS + stateNumber]. */
  states: Uint32Array;
}

/** Everything one sample needs from the table. */
export interface TableAggregate {
  total: number;
  /** Sockets per state number (index 0..15). */
  stateCounts: Uint32Array;
  /** 1 per port some LISTEN socket listens on. */
  listenPorts: Uint8Array;
  /** 1 per port held by a LISTEN or bound-only (BOUND, CLOSE) socket. */
  heldPorts: Uint8Array;
  /** Bound-only sockets (BOUND, CLOSE) with a local port inside the range. */
  boundOnlyInRange: number;
  /** Those bound-only sockets per owning pid (pid > 0 only). */
  boundOnlyByPid: Map<number, number>;
  /** CLOSE-WAIT sockets by owning pid (-1: unknown owner). */
  closeWaitByPid: Map<number, number>;
  /** Outbound sockets: local port in the range, occupying a destination port, not an accepted connection. */
  outbound: number;
  /** Destination row of each socket, -1 when the socket is not outbound. */
  destOf: Int32Array;
  /** Per socket: 1 when it is outbound and blocks its 4-tuple now (not a TIME-WAIT reuse can already take). */
  blocks: Uint8Array;
  dest: DestinationColumns;
  /** 1 per port used by at least one outbound socket. */
  outboundPorts: Uint8Array;
  distinctOutboundPorts: number;
  /** True when some local port is used by two outbound sockets (only possible across destinations). */
  sharedOutboundPort: boolean;
}

/** What the passes need besides the table. */
export interface AggregateOptions {
  /** A valid range, or null (then nothing is outbound). */
  range: PortRange | null;
  kernel: KernelSettings;
  /** TIME-WAIT sockets at most this old count as recently closed. */
  recentWindowMs: number;
}

/** Aggregates a socket table in two passes over its columns. */
export function aggregateTable(t: SocketTable, opts: AggregateOptions): TableAggregate {
  const n = t.count;
  const stateCounts = new Uint32Array(STATE_SLOTS);
  const listenPorts = new Uint8Array(65536);
  const heldPorts = new Uint8Array(65536);
  const closeWaitByPid = new Map<number, number>();
  const boundOnlyByPid = new Map<number, number>();
  const low = opts.range?.low ?? 1;
  const high = opts.range ? opts.range.high : 0;
  let boundOnlyInRange = 0;

  for (let i = 0; i < n; i++) {
    const s = t.state[i]!;
    if (s < STATE_SLOTS) stateCounts[s]!++;
    if (s === LISTEN) {
      listenPorts[t.localPort[i]!] = 1;
      heldPorts[t.localPort[i]!] = 1;
    } else if (s === BOUND || s === CLOSE) {
      const p = t.localPort[i]!;
      if (p === 0) continue; // created but never bound
      heldPorts[p] = 1;
      if (p >= low && p <= high) {
        boundOnlyInRange++;
        const pid = t.pid[i]!;
        if (pid > 0) boundOnlyByPid.set(pid, (boundOnlyByPid.get(pid) ?? 0) + 1);
      }
    } else if (s === CLOSE_WAIT) {
      const pid = t.pid[i]!;
      closeWaitByPid.set(pid, (closeWaitByPid.get(pid) ?? 0) + 1);
    }
  }

  const dest = new DestinationBuilder();
  const destOf = new Int32Array(n).fill(-1);
  const blocks = new Uint8Array(n);
  const outboundPorts = new Uint8Array(65536);
  let outbound = 0;
  let distinctOutboundPorts = 0;
  let sharedOutboundPort = false;

  if (opts.range) {
    const index = new TripleMap(Math.min(n, 4096));
    // Reuse depends on loopback only with tw_reuse=2; otherwise skip parsing addresses.
    const reuseAlways = twReuseApplies(opts.kernel, false);
    const reuseNever = !twReuseApplies(opts.kernel, true);
    const loopback = new Int8Array(reuseAlways || reuseNever ? 0 : t.addrs.length); // 0 unknown, 1 no, 2 yes
    const isLoop = (a: number): boolean => {
      if (loopback[a] === 0) loopback[a] = isLoopbackAddress(t.addrs[a] ?? '') ? 2 : 1;
      return loopback[a] === 2;
    };
    const reuseToward = (la: number, ra: number): boolean => reuseAlways || (!reuseNever && (isLoop(la) || isLoop(ra)));
    const delayMs = twReuseDelayMs(opts.kernel);
    const windowMs = opts.recentWindowMs;

    for (let i = 0; i < n; i++) {
      const p = t.localPort[i]!;
      if (p < low || p > high) continue;
      const s = t.state[i]!;
      // An accepted incoming connection shares its listener's port: not an ephemeral port.
      if (!OCCUPIES[s] || listenPorts[p]) continue;
      const la = t.localAddr[i]!;
      const ra = t.remoteAddr[i]!;
      const rp = t.remotePort[i]!;
      let d = index.get(la, ra, rp);
      if (d < 0) {
        d = dest.add(la, ra, rp, reuseToward(la, ra));
        index.set(la, ra, rp, d);
      }
      destOf[i] = d;
      outbound++;
      dest.inUse[d]!++;
      if (s < STATE_SLOTS) dest.states[d * STATE_SLOTS + s]!++;
      blocks[i] = 1;
      if (s === TIME_WAIT) {
        const age = t.timeWaitAgeMs[i]!;
        if (age < 0) dest.unknownAgeTimeWait[d]!++;
        else {
          if (age <= windowMs) dest.recentTimeWait[d]!++;
          if (dest.reuse[d] && age >= delayMs) {
            dest.reusableTimeWait[d]!++;
            blocks[i] = 0;
          }
        }
      }
      const used = outboundPorts[p]!;
      if (used === 0) {
        outboundPorts[p] = 1;
        distinctOutboundPorts++;
      } else if (used === 1) {
        outboundPorts[p] = 2;
        sharedOutboundPort = true;
      }
    }
  }

  return {
    total: n,
    stateCounts,
    listenPorts,
    heldPorts,
    boundOnlyInRange,
    boundOnlyByPid,
    closeWaitByPid,
    outbound,
    destOf,
    blocks,
    dest: dest.finish(),
    outboundPorts,
    distinctOutboundPorts,
    sharedOutboundPort,
  };
}

/** Growable destination columns. */
class DestinationBuilder {
  count = 0;
  private cap = 64;
  localAddr = new Uint32Array(this.cap);
  remoteAddr = new Uint32Array(this.cap);
  remotePort = new Uint16Array(this.cap);
  reuse = new Uint8Array(this.cap);
  inUse = new Uint32Array(this.cap);
  reusableTimeWait = new Uint32Array(this.cap);
  recentTimeWait = new Uint32Array(this.cap);
  unknownAgeTimeWait = new Uint32Array(this.cap);
  states = new Uint32Array(this.cap * STATE_SLOTS);

  add(localAddr: number, remoteAddr: number, remotePort: number, reuse: boolean): number {
    if (this.count === this.cap) this.grow();
    const d = this.count++;
    this.localAddr[d] = localAddr;
    this.remoteAddr[d] = remoteAddr;
    this.remotePort[d] = remotePort;
    this.reuse[d] = reuse ? 1 : 0;
    return d;
  }

  finish(): DestinationColumns {
    const c = this.count;
    return {
      count: c,
      localAddr: this.localAddr.subarray(0, c),
      remoteAddr: this.remoteAddr.subarray(0, c),
      remotePort: this.remotePort.subarray(0, c),
      reuse: this.reuse.subarray(0, c),
      inUse: this.inUse.subarray(0, c),
      reusableTimeWait: this.reusableTimeWait.subarray(0, c),
      recentTimeWait: this.recentTimeWait.subarray(0, c),
      unknownAgeTimeWait: this.unknownAgeTimeWait.subarray(0, c),
      states: this.states.subarray(0, c * STATE_SLOTS),
    };
  }

  private grow(): void {
    this.cap *= 2;
    const g = <T extends Uint8Array | Uint16Array | Uint32Array>(a: T, make: (n: number) => T, width = 1): T => {
      const b = make(this.cap * width);
      b.set(a);
      return b;
    };
    this.localAddr = g(this.localAddr, (k) => new Uint32Array(k));
    this.remoteAddr = g(this.remoteAddr, (k) => new Uint32Array(k));
    this.remotePort = g(this.remotePort, (k) => new Uint16Array(k));
    this.reuse = g(this.reuse, (k) => new Uint8Array(k));
    this.inUse = g(this.inUse, (k) => new Uint32Array(k));
    this.reusableTimeWait = g(this.reusableTimeWait, (k) => new Uint32Array(k));
    this.recentTimeWait = g(this.recentTimeWait, (k) => new Uint32Array(k));
    this.unknownAgeTimeWait = g(this.unknownAgeTimeWait, (k) => new Uint32Array(k));
    this.states = g(this.states, (k) => new Uint32Array(k), STATE_SLOTS);
  }
}

/** Sockets toward destination d that actually block a port: in use minus reusable TIME-WAIT. */
export function blockingOf(dest: DestinationColumns, d: number): number {
  return dest.inUse[d]! - dest.reusableTimeWait[d]!;
}
