// TIME-WAIT has no owner on any OS (docs/domain.md): to say which program caused it, remember which
// process owned the 4-tuple while it was still open.
//
// Bounded by a generation sweep: every entry carries the sample in which it was last used (remembered
// or recalled). At the end of a sample, once stale entries are at least half of the table, the table
// is rebuilt with the entries used in this or the previous sample. A TIME-WAIT socket is looked up in
// every sample while it exists, so its owner survives as long as it is needed. When the table is full
// mid-sample, entries not yet used in this sample make room; if none can, the new 4-tuple is not
// remembered. One probe per socket, in one typed array (no per-socket object or string).
import { TCP_STATE } from '../../common/tcp-state.js';
import type { SocketTable } from '../platform/types.js';
import type { TableAggregate } from './aggregate.js';

const TIME_WAIT = TCP_STATE.TIME_WAIT;
/** Words per slot: local address id, remote address id, ports, pid, generation. */
const W = 5;
const EMPTY = 0xffffffff;

/** The key of a 4-tuple's ports: local port in the high half, remote port in the low half. */
export function portsKey(localPort: number, remotePort: number): number {
  return ((localPort << 16) | remotePort) >>> 0;
}

/** Remembers the owning pid of up to `capacity` outbound 4-tuples (address ids from AddressIds). */
export class OwnerMemory {
  private slots: Uint32Array;
  private mask: number;
  private n = 0;
  private generation = 1;
  private usedNow = 0;
  /** Entries used in the previous sample and not (yet) in this one. */
  private usedBefore = 0;
  /** Room was already made once in this sample: when full again, new 4-tuples are not remembered. */
  private madeRoom = false;
  private names = new Map<number, string>();

  constructor(public capacity: number) {
    this.mask = tableSize(Math.min(capacity, 1024)) - 1;
    this.slots = new Uint32Array((this.mask + 1) * W).fill(EMPTY);
  }

  /** Changes the bound, keeping what is remembered (after a shrink, older entries go as the table makes room). */
  setCapacity(capacity: number): void {
    this.capacity = capacity;
  }

  /** 4-tuples remembered now (never more than capacity). */
  get size(): number {
    return this.n;
  }

  /** Starts a new sample (entries used from now on count as used in it). */
  beginSample(): void {
    this.generation = (this.generation + 1) >>> 0 || 1;
    this.usedBefore = this.usedNow;
    this.usedNow = 0;
    this.madeRoom = false;
  }

  /** Ends a sample: drops entries unused in this and the previous sample once they are half the table or more. */
  endSample(): void {
    const kept = this.usedNow + this.usedBefore;
    if (this.n - kept >= Math.max(1024, kept)) this.rebuild((g) => this.generation - g <= 1);
  }

  /** The pid that owned (local, remote, ports) when last seen open, or -1. */
  recall(localId: number, remoteId: number, ports: number): number {
    const s = this.slots;
    const o = this.find(localId, remoteId, ports);
    if (s[o + 3] === EMPTY) return -1;
    this.touch(o);
    return s[o + 3]! | 0;
  }

  /** Records that pid (≥ 0) owns (local, remote, ports) now. */
  remember(localId: number, remoteId: number, ports: number, pid: number): void {
    let o = this.find(localId, remoteId, ports);
    if (this.slots[o + 3] === EMPTY) {
      if (this.n >= this.capacity) {
        // Full: make room once per sample with the entries not used in it, else give up on this one.
        if (this.madeRoom) return;
        this.madeRoom = true;
        this.rebuild((g) => g === this.generation);
        if (this.n >= this.capacity) return;
      }
      if ((this.n + 1) * 2 > this.mask + 1) this.rebuild(() => true, (this.n + 1) * 2); // grow geometrically
      o = this.find(localId, remoteId, ports);
      this.slots[o] = localId;
      this.slots[o + 1] = remoteId;
      this.slots[o + 2] = ports;
      this.slots[o + 4] = (this.generation - 2) >>> 0; // neither this nor the previous sample: touch() counts it as used now
      this.n++;
    }
    this.slots[o + 3] = pid;
    this.touch(o);
  }

  /** The last known name of a remembered pid. */
  nameOf(pid: number): string | undefined {
    return this.names.get(pid);
  }

  /** Records a process name for a pid (kept while some remembered 4-tuple refers to it). */
  noteName(pid: number, name: string): void {
    this.names.set(pid, name);
  }

  /** Marks (keep[id] = 1) every address id a remembered 4-tuple uses. */
  markAddressIds(keep: Uint8Array): void {
    const s = this.slots;
    for (let o = 0; o < s.length; o += W) {
      if (s[o + 3] === EMPTY) continue;
      keep[s[o]!] = 1;
      keep[s[o + 1]!] = 1;
    }
  }

  /** Renumbers address ids after AddressIds.compact(); entries whose addresses were dropped are forgotten. */
  remapAddresses(oldToNew: Int32Array): void {
    const s = this.slots;
    for (let o = 0; o < s.length; o += W) {
      if (s[o + 3] === EMPTY) continue;
      const a = oldToNew[s[o]!] ?? -1;
      const b = oldToNew[s[o + 1]!] ?? -1;
      if (a < 0 || b < 0) s[o + 3] = EMPTY; // dropped below
      else {
        s[o] = a;
        s[o + 1] = b;
      }
    }
    this.rebuild(() => true);
  }

  private touch(o: number): void {
    const g = this.slots[o + 4]!;
    if (g !== this.generation) {
      if (g === this.generation - 1) this.usedBefore--;
      this.slots[o + 4] = this.generation;
      this.usedNow++;
    }
  }

  // Linear probing: the slot holding the key, or the empty slot where it would go.
  private find(a: number, b: number, c: number): number {
    const s = this.slots;
    const mask = this.mask;
    let i = hash(a, b, c) & mask;
    for (;;) {
      const o = i * W;
      if (s[o + 3] === EMPTY || (s[o] === a && s[o + 1] === b && s[o + 2] === c)) return o;
      i = (i + 1) & mask;
    }
  }

  // Rebuilds the table with the entries whose generation passes `keep`, sized for at least `room` entries.
  private rebuild(keep: (generation: number) => boolean, room = 0): void {
    const old = this.slots;
    let kept = 0;
    for (let o = 0; o < old.length; o += W) if (old[o + 3] !== EMPTY && keep(old[o + 4]!)) kept++;
    this.mask = tableSize(Math.max(kept, room, 512)) - 1;
    this.slots = new Uint32Array((this.mask + 1) * W).fill(EMPTY);
    this.n = 0;
    this.usedNow = 0;
    this.usedBefore = 0;
    const live = new Set<number>();
    for (let o = 0; o < old.length; o += W) {
      if (old[o + 3] === EMPTY || !keep(old[o + 4]!)) continue;
      const p = this.find(old[o]!, old[o + 1]!, old[o + 2]!);
      this.slots.set(old.subarray(o, o + W), p);
      this.n++;
      if (old[o + 4] === this.generation) this.usedNow++;
      else if (old[o + 4] === this.generation - 1) this.usedBefore++;
      live.add(old[o + 3]! | 0);
    }
    for (const pid of this.names.keys()) if (!live.has(pid)) this.names.delete(pid);
  }
}

/** Slots for n entries at most half full (a power of two). */
function tableSize(n: number): number {
  let size = 16;
  while (size < n * 2) size *= 2;
  return size;
}

// murmur3's finaliser, chained over the three key parts (see triple-map.ts).
function fmix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

function hash(a: number, b: number, c: number): number {
  return fmix(Math.imul(fmix(Math.imul(fmix(a), 0x9e3779b1) ^ b), 0x9e3779b1) ^ c) >>> 0;
}

/**
 * The owning pid of every outbound socket (-1: unknown or not outbound): its own pid when the table
 * has one, else the remembered owner of its 4-tuple. Open sockets with a pid are remembered.
 * destLocalId/destRemoteId give the stable address ids of each destination row.
 */
export function attributeOwners(
  t: SocketTable,
  agg: TableAggregate,
  destLocalId: Uint32Array,
  destRemoteId: Uint32Array,
  memory: OwnerMemory,
  processNames: ReadonlyMap<number, string>,
): Int32Array {
  const owners = new Int32Array(t.count).fill(-1);
  const seen = new Set<number>();
  let lastPid = -1;
  memory.beginSample();
  for (let i = 0; i < t.count; i++) {
    const d = agg.destOf[i]!;
    if (d < 0) continue;
    const ports = portsKey(t.localPort[i]!, t.remotePort[i]!);
    const pid = t.pid[i]!;
    // pid 0 is no user process: Windows reports TIME-WAIT as PID 0.
    if (pid > 0) {
      owners[i] = pid;
      if (t.state[i] !== TIME_WAIT) memory.remember(destLocalId[d]!, destRemoteId[d]!, ports, pid);
      if (pid !== lastPid) {
        seen.add(pid);
        lastPid = pid;
      }
    } else {
      owners[i] = memory.recall(destLocalId[d]!, destRemoteId[d]!, ports);
    }
  }
  memory.endSample();
  for (const pid of seen) {
    const name = processNames.get(pid);
    if (name !== undefined) memory.noteName(pid, name);
  }
  return owners;
}
