// Slowloris defence for the dashboard server, enforced here rather than by Node's headersTimeout (which
// is checked only periodically and which trickled header lines do not end). Every connection gets its own
// deadline from accept (or from the end of its last response) to the end of its next request's headers,
// and is destroyed when it expires. Connections still waiting for their headers are capped per peer and in
// total; at the cap a new connection evicts the oldest waiting one, so a flood cannot lock a quick client
// out: the newcomer's headers arrive long before a flood could push it out. Connections that have proven
// the token get slots of their own that the flood cannot take.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/** Limits of the guard. */
export interface ConnectionGuardLimits {
  /** From accept (or the end of the last response) to the end of the request headers. */
  headerDeadlineMs: number;
  /** Connections waiting for their headers, from one peer address. */
  maxWaitingPerPeer: number;
  /** Connections waiting for their headers, in total. */
  maxWaiting: number;
  /** Connections that proved the token (kept apart from the waiting ones). */
  maxProven: number;
}

export const DEFAULT_GUARD_LIMITS: ConnectionGuardLimits = { headerDeadlineMs: 5_000, maxWaitingPerPeer: 48, maxWaiting: 128, maxProven: 32 };

interface Tracked {
  peer: string;
  timer: NodeJS.Timeout | undefined;
  proven: boolean;
}

/** Tracks every connection of one server; see the file comment. */
export class ConnectionGuard {
  private readonly tracked = new Map<Socket, Tracked>();
  // Insertion order is age order: the first entry is the one waiting longest.
  private readonly waiting = new Set<Socket>();
  private readonly waitingByPeer = new Map<string, Set<Socket>>();
  private provenCount = 0;
  /** Connections destroyed by the guard (deadline or eviction), for tests and logs. */
  dropped = 0;

  constructor(private readonly limits: ConnectionGuardLimits = DEFAULT_GUARD_LIMITS) {}

  /** Hooks the guard into a server's connection, request and upgrade events. */
  attach(server: Server): void {
    server.on('connection', (socket: Socket) => this.onConnection(socket));
    server.on('request', (req: { socket: Socket }, res: { once(e: 'finish', f: () => void): void }) => {
      this.headersDone(req.socket);
      res.once('finish', () => this.startWaiting(req.socket));
    });
    // A WebSocket leaves HTTP: the bridge and its own limits take over.
    server.on('upgrade', (req: { socket: Socket }) => this.forget(req.socket));
  }

  /** Marks a connection whose request carried the token: it no longer competes with unproven ones. */
  prove(socket: Socket): void {
    const t = this.tracked.get(socket);
    if (!t || t.proven || this.provenCount >= this.limits.maxProven) return;
    t.proven = true;
    this.provenCount++;
  }

  get waitingCount(): number {
    return this.waiting.size;
  }

  private onConnection(socket: Socket): void {
    const peer = socket.remoteAddress ?? '?';
    this.tracked.set(socket, { peer, timer: undefined, proven: false });
    socket.once('close', () => this.forget(socket));
    this.startWaiting(socket);
  }

  /** The connection now waits for a request's headers: deadline on, and it counts against the caps. */
  private startWaiting(socket: Socket): void {
    const t = this.tracked.get(socket);
    if (!t || socket.destroyed) return;
    clearTimeout(t.timer);
    t.timer = setTimeout(() => this.drop(socket), this.limits.headerDeadlineMs);
    t.timer.unref();
    if (t.proven) return; // its own slot; the deadline still applies
    this.removeWaiting(socket, t.peer);
    let peerSet = this.waitingByPeer.get(t.peer);
    if (!peerSet) this.waitingByPeer.set(t.peer, (peerSet = new Set()));
    if (peerSet.size >= this.limits.maxWaitingPerPeer) this.drop(peerSet.values().next().value!);
    if (this.waiting.size >= this.limits.maxWaiting) this.drop(this.waiting.values().next().value!);
    this.waiting.add(socket);
    peerSet.add(socket);
  }

  private headersDone(socket: Socket): void {
    const t = this.tracked.get(socket);
    if (!t) return;
    clearTimeout(t.timer);
    t.timer = undefined;
    this.removeWaiting(socket, t.peer);
  }

  private removeWaiting(socket: Socket, peer: string): void {
    this.waiting.delete(socket);
    const peerSet = this.waitingByPeer.get(peer);
    if (peerSet?.delete(socket) && peerSet.size === 0) this.waitingByPeer.delete(peer);
  }

  private drop(socket: Socket): void {
    this.dropped++;
    this.forget(socket);
    socket.destroy();
  }

  private forget(socket: Socket): void {
    const t = this.tracked.get(socket);
    if (!t) return;
    clearTimeout(t.timer);
    if (t.proven) this.provenCount--;
    this.removeWaiting(socket, t.peer);
    this.tracked.delete(socket);
  }
}
