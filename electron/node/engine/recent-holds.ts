// How many ports each destination held at every moment of the last TIME-WAIT length, from the TIME-WAIT
// timers alone. A TIME-WAIT socket's timer says when it closed (close = read time - age); its port stays
// unusable toward the same destination until close + hold, where hold is the TIME-WAIT length, or with
// tcp_tw_reuse the reuse delay (tcp_twsk_unique: reusable once tw_entry_stamp + tcp_tw_reuse_delay has passed).
// So at moment t at least #{closes in (t - hold, t]} ports were held: a lower bound (connections open at t
// that closed later are not counted), which makes "the range was full" a proof, never a guess.
import type { PortRange } from '../../common/model.js';
import { TCP_STATE } from '../../common/tcp-state.js';
import type { SocketTable } from '../platform/types.js';
import { TripleMap } from './triple-map.js';

/** The close times of one destination's TIME-WAIT sockets. */
export interface DestinationCloses {
  /** Indexes into the table's addrs. */
  localAddr: number;
  remoteAddr: number;
  remotePort: number;
  /** Epoch ms, ascending. */
  closes: Float64Array;
}

/** The fullest moment of one close series. */
export interface HoldPeak {
  /** Most ports held at once (lower bound). */
  peak: number;
  /** Epoch ms of the first moment with that many. */
  time: number;
  /** Close times of the first and last connection counted in the peak. */
  firstClose: number;
  lastClose: number;
  /** First moment `capacity` ports were held, null when never. */
  reachedCapacityAt: number | null;
}

/**
 * Groups the outbound TIME-WAIT sockets of a table by destination (local address, remote address, remote
 * port) with their close times. Sockets outside the range, of unknown age, or on a listening port
 * (accepted connections share the listener's port) are left out.
 */
export function closesByDestination(t: SocketTable, range: PortRange, readAt: number, timeWaitMs: number): DestinationCloses[] {
  const listening = new Uint8Array(65536);
  for (let i = 0; i < t.count; i++) if (t.state[i] === TCP_STATE.LISTEN) listening[t.localPort[i]!] = 1;
  const index = new TripleMap(64);
  const groups: { localAddr: number; remoteAddr: number; remotePort: number; closes: number[] }[] = [];
  for (let i = 0; i < t.count; i++) {
    if (t.state[i] !== TCP_STATE.TIME_WAIT) continue;
    const p = t.localPort[i]!;
    const age = t.timeWaitAgeMs[i]!;
    if (p < range.low || p > range.high || listening[p] || age < 0 || age > timeWaitMs) continue;
    const la = t.localAddr[i]!;
    const ra = t.remoteAddr[i]!;
    const rp = t.remotePort[i]!;
    let g = index.get(la, ra, rp);
    if (g < 0) {
      g = groups.length;
      groups.push({ localAddr: la, remoteAddr: ra, remotePort: rp, closes: [] });
      index.set(la, ra, rp, g);
    }
    groups[g]!.closes.push(readAt - age);
  }
  return groups.map((g) => ({ ...g, closes: Float64Array.from(g.closes).sort() }));
}

/**
 * The most ports held at once by connections that closed at `closes` (ascending) and kept their port for
 * holdMs: max over t of #{c in (t - holdMs, t]}. The count only rises at a close, so the moments to look
 * at are the close times themselves; two pointers make it one pass.
 */
export function peakHolds(closes: ArrayLike<number>, holdMs: number, capacity: number): HoldPeak | null {
  const n = closes.length;
  if (n === 0 || !(holdMs > 0)) return null;
  let best: HoldPeak | null = null;
  let reachedCapacityAt: number | null = null;
  let i = 0;
  for (let j = 0; j < n; j++) {
    const t = closes[j]!;
    // a tie with the next close counts once we are at the last of the tie
    if (j + 1 < n && closes[j + 1] === t) continue;
    while (closes[i]! <= t - holdMs) i++;
    const held = j - i + 1;
    if (reachedCapacityAt === null && held >= capacity) reachedCapacityAt = t;
    if (!best || held > best.peak) best = { peak: held, time: t, firstClose: closes[i]!, lastClose: t, reachedCapacityAt: null };
  }
  if (best) best.reachedCapacityAt = reachedCapacityAt;
  return best;
}
