// TIME-WAIT has no owner on any OS (domain.md): to say which program caused it, remember which
// process owned the 4-tuple while it was still open. Bounded by two generations: entries go into the
// current one, a hit in the previous one is copied forward, and when the current one is full the
// previous one is dropped whole. Whatever was used in the last half-capacity insertions survives.
import { TCP_STATE } from '../../common/tcp-state.js';
import type { SocketTable } from '../platform/types.js';
import type { TableAggregate } from './aggregate.js';
import { remapFirstTwo, TripleMap } from './triple-map.js';

const TIME_WAIT = TCP_STATE.TIME_WAIT;

/** The key of a 4-tuple's ports: local port in the high half, remote port in the low half. */
export function portsKey(localPort: number, remotePort: number): number {
  return ((localPort << 16) | remotePort) >>> 0;
}

/** Remembers the owning pid of up to `capacity` outbound 4-tuples (address ids from AddressIds). */
export class OwnerMemory {
  private current: TripleMap;
  private previous = new TripleMap(16);
  private readonly half: number;
  private names = new Map<number, string>();

  constructor(readonly capacity: number) {
    this.half = Math.max(1, Math.floor(capacity / 2));
    this.current = new TripleMap(Math.min(this.half, 4096));
  }

  /** 4-tuples remembered now (never more than capacity). */
  get size(): number {
    return this.current.size + this.previous.size;
  }

  /** The pid that owned (local, remote, ports) when last seen open, or -1. */
  recall(localId: number, remoteId: number, ports: number): number {
    const v = this.current.get(localId, remoteId, ports);
    if (v >= 0) return v;
    const old = this.previous.get(localId, remoteId, ports);
    if (old >= 0) this.put(localId, remoteId, ports, old);
    return old;
  }

  /** Records that pid owns (local, remote, ports) now. */
  remember(localId: number, remoteId: number, ports: number, pid: number): void {
    this.put(localId, remoteId, ports, pid);
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
    const mark = (a: number, b: number) => {
      keep[a] = 1;
      keep[b] = 1;
    };
    this.current.forEach(mark);
    this.previous.forEach(mark);
  }

  /** Renumbers address ids after AddressIds.compact(); entries whose addresses were dropped are forgotten. */
  remapAddresses(oldToNew: Int32Array): void {
    this.current = remapFirstTwo(this.current, oldToNew);
    this.previous = remapFirstTwo(this.previous, oldToNew);
  }

  // Rotating one insertion early when the key already exists is harmless and saves a lookup.
  private put(a: number, b: number, c: number, pid: number): void {
    if (this.current.size >= this.half) this.rotate();
    this.current.set(a, b, c, pid);
  }

  private rotate(): void {
    this.previous = this.current;
    this.current = new TripleMap(Math.min(this.half, 4096));
    const live = new Set<number>();
    this.previous.forEach((_a, _b, _c, pid) => live.add(pid));
    for (const pid of this.names.keys()) if (!live.has(pid)) this.names.delete(pid);
  }
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
  for (const pid of seen) {
    const name = processNames.get(pid);
    if (name !== undefined) memory.noteName(pid, name);
  }
  return owners;
}
