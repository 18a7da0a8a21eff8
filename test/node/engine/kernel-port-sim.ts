// A reference model of the kernel's port choice, written from __inet_hash_connect and
// inet_csk_get_port (docs/port-model.md), for property tests of the engine's port model: bind buckets
// per port (made by bind()/listen() or by connect()), 4-tuples, reserved ports. Port order is random,
// as the engine must not depend on it.
import { TCP_STATE } from '../../../electron/common/tcp-state.js';
import type { SocketRow } from '../../../electron/node/platform/socket-table.js';

/** One socket-making step of a scenario. */
export type SimOp =
  | { kind: 'connect'; pid: number; src: string; dst: string; dport: number }
  | { kind: 'bind-connect'; pid: number; src: string; dst: string; dport: number }
  | { kind: 'bind-only'; pid: number }
  | { kind: 'listen'; pid: number; port: number };

/** The kernel's bookkeeping for one network namespace. */
export class KernelPortSim {
  /** port → true when its bind bucket was made by bind()/listen() (fastreuse ≥ 0), false for connect(). */
  private readonly buckets = new Map<number, boolean>();
  private readonly tuples = new Set<string>();
  readonly rows: SocketRow[] = [];

  constructor(
    readonly range: { low: number; high: number },
    readonly reserved: ReadonlySet<number>,
    private readonly random: () => number,
  ) {}

  /** A copy to probe without changing this one. */
  clone(): KernelPortSim {
    const c = new KernelPortSim(this.range, this.reserved, this.random);
    for (const [p, b] of this.buckets) c.buckets.set(p, b);
    for (const t of this.tuples) c.tuples.add(t);
    c.rows.push(...this.rows);
    return c;
  }

  /** Applies one step; returns false when the kernel would refuse it. */
  apply(op: SimOp): boolean {
    switch (op.kind) {
      case 'connect':
        return this.connect(op.pid, op.src, op.dst, op.dport);
      case 'bind-connect': {
        const port = this.bindAny();
        if (port === null) return false; // EADDRINUSE
        this.buckets.set(port, true);
        this.tuples.add(`${op.src}|${port}|${op.dst}|${op.dport}`); // the port was free: the tuple is unique
        this.rows.push({ family: 4, state: TCP_STATE.ESTABLISHED, localAddr: op.src, localPort: port, remoteAddr: op.dst, remotePort: op.dport, pid: op.pid });
        return true;
      }
      case 'bind-only': {
        const port = this.bindAny();
        if (port === null) return false;
        this.buckets.set(port, true);
        this.rows.push({ family: 4, state: TCP_STATE.CLOSE, localAddr: '0.0.0.0', localPort: port, remoteAddr: '0.0.0.0', remotePort: 0, pid: op.pid });
        return true;
      }
      case 'listen': {
        if (this.buckets.has(op.port)) return false;
        this.buckets.set(op.port, true);
        this.rows.push({ family: 4, state: TCP_STATE.LISTEN, localAddr: '0.0.0.0', localPort: op.port, remoteAddr: '0.0.0.0', remotePort: 0, pid: op.pid });
        return true;
      }
    }
  }

  /** Plain connects toward (src, dst, dport) until the kernel refuses one: how many succeed. */
  connectsUntilFailure(src: string, dst: string, dport: number, limit = 100_000): number {
    let n = 0;
    while (n < limit && this.connect(0, src, dst, dport)) n++;
    return n;
  }

  // __inet_hash_connect: skip reserved ports and bind()-made buckets; otherwise the 4-tuple must be unique.
  private connect(pid: number, src: string, dst: string, dport: number): boolean {
    for (const port of this.order()) {
      if (this.reserved.has(port) || this.buckets.get(port) === true) continue;
      const key = `${src}|${port}|${dst}|${dport}`;
      if (this.tuples.has(key)) continue;
      this.buckets.set(port, false);
      this.tuples.add(key);
      this.rows.push({ family: 4, state: TCP_STATE.ESTABLISHED, localAddr: src, localPort: port, remoteAddr: dst, remotePort: dport, pid });
      return true;
    }
    return false;
  }

  // inet_csk_find_open_port without SO_REUSEADDR: any existing bucket conflicts.
  private bindAny(): number | null {
    for (const port of this.order()) if (!this.reserved.has(port) && !this.buckets.has(port)) return port;
    return null;
  }

  private order(): number[] {
    const ports: number[] = [];
    for (let p = this.range.low; p <= this.range.high; p++) ports.push(p);
    for (let i = ports.length - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      [ports[i], ports[j]] = [ports[j]!, ports[i]!];
    }
    return ports;
  }
}
