// Builds a columnar SocketTable row by row, growing its typed arrays and interning addresses, so every
// platform parser (netlink, /proc/net/tcp, netstat, Get-NetTCPConnection) produces the same shape.
import type { SocketTable } from './types.js';

/** One socket, as a parser reads it; the builder stores it in columns. */
export interface SocketRow {
  family: 4 | 6;
  state: number;
  localAddr: string;
  localPort: number;
  remoteAddr: string;
  remotePort: number;
  inode?: number;
  pid?: number;
  timeWaitAgeMs?: number;
}

export class SocketTableBuilder {
  private n = 0;
  private cap: number;
  private family: Uint8Array;
  private state: Uint8Array;
  private localPort: Uint16Array;
  private remotePort: Uint16Array;
  private localAddr: Uint32Array;
  private remoteAddr: Uint32Array;
  private inode: Uint32Array;
  private pid: Int32Array;
  private timeWaitAgeMs: Int32Array;
  private readonly addrs: string[] = [];
  private readonly addrIndex = new Map<string, number>();

  constructor(initialCapacity = 1024) {
    this.cap = Math.max(16, initialCapacity);
    this.family = new Uint8Array(this.cap);
    this.state = new Uint8Array(this.cap);
    this.localPort = new Uint16Array(this.cap);
    this.remotePort = new Uint16Array(this.cap);
    this.localAddr = new Uint32Array(this.cap);
    this.remoteAddr = new Uint32Array(this.cap);
    this.inode = new Uint32Array(this.cap);
    this.pid = new Int32Array(this.cap);
    this.timeWaitAgeMs = new Int32Array(this.cap);
  }

  get count(): number {
    return this.n;
  }

  /** The index of an address in the table's address list, adding it on first sight. */
  intern(addr: string): number {
    let i = this.addrIndex.get(addr);
    if (i === undefined) {
      i = this.addrs.length;
      this.addrs.push(addr);
      this.addrIndex.set(addr, i);
    }
    return i;
  }

  /** Appends one socket given interned address indexes (the fast path for binary parsers). */
  pushRaw(
    family: 4 | 6,
    state: number,
    localAddrIdx: number,
    localPort: number,
    remoteAddrIdx: number,
    remotePort: number,
    inode: number,
    pid: number,
    timeWaitAgeMs: number,
  ): void {
    if (this.n === this.cap) this.grow();
    const i = this.n++;
    this.family[i] = family;
    this.state[i] = state;
    this.localAddr[i] = localAddrIdx;
    this.localPort[i] = localPort;
    this.remoteAddr[i] = remoteAddrIdx;
    this.remotePort[i] = remotePort;
    this.inode[i] = inode;
    this.pid[i] = pid;
    this.timeWaitAgeMs[i] = timeWaitAgeMs;
  }

  /** Appends one socket. */
  push(row: SocketRow): void {
    this.pushRaw(
      row.family,
      row.state,
      this.intern(row.localAddr),
      row.localPort,
      this.intern(row.remoteAddr),
      row.remotePort,
      row.inode ?? 0,
      row.pid ?? -1,
      row.timeWaitAgeMs ?? -1,
    );
  }

  /** The finished table (views trimmed to the row count; the builder must not be used afterwards). */
  build(): SocketTable {
    const n = this.n;
    return {
      count: n,
      family: this.family.subarray(0, n),
      state: this.state.subarray(0, n),
      localPort: this.localPort.subarray(0, n),
      remotePort: this.remotePort.subarray(0, n),
      localAddr: this.localAddr.subarray(0, n),
      remoteAddr: this.remoteAddr.subarray(0, n),
      inode: this.inode.subarray(0, n),
      pid: this.pid.subarray(0, n),
      timeWaitAgeMs: this.timeWaitAgeMs.subarray(0, n),
      addrs: this.addrs,
    };
  }

  private grow(): void {
    const cap = this.cap * 2;
    const grow = <T extends Uint8Array | Uint16Array | Uint32Array | Int32Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.family = grow(this.family, (c) => new Uint8Array(c));
    this.state = grow(this.state, (c) => new Uint8Array(c));
    this.localPort = grow(this.localPort, (c) => new Uint16Array(c));
    this.remotePort = grow(this.remotePort, (c) => new Uint16Array(c));
    this.localAddr = grow(this.localAddr, (c) => new Uint32Array(c));
    this.remoteAddr = grow(this.remoteAddr, (c) => new Uint32Array(c));
    this.inode = grow(this.inode, (c) => new Uint32Array(c));
    this.pid = grow(this.pid, (c) => new Int32Array(c));
    this.timeWaitAgeMs = grow(this.timeWaitAgeMs, (c) => new Int32Array(c));
    this.cap = cap;
  }
}

/** Reads row i back as an object (for tests and small tables; the engine reads the columns). */
export function socketRow(t: SocketTable, i: number): SocketRow & { inode: number; pid: number; timeWaitAgeMs: number } {
  return {
    family: t.family[i] === 6 ? 6 : 4,
    state: t.state[i]!,
    localAddr: t.addrs[t.localAddr[i]!]!,
    localPort: t.localPort[i]!,
    remoteAddr: t.addrs[t.remoteAddr[i]!]!,
    remotePort: t.remotePort[i]!,
    inode: t.inode[i]!,
    pid: t.pid[i]!,
    timeWaitAgeMs: t.timeWaitAgeMs[i]!,
  };
}
