// Carries the contract over WebSocket connections: requests in (text frames of JSON, bounded and rate
// limited), responses and events out. Every failure is answered with an error naming what was wrong, and
// nothing a client sends can stop the server or reach the monitor unvalidated.
import type { WebSocket } from 'ws';
import type { MonitorEndpoint, MonitorEvent, RequestContext, ResponseMessage } from '../common/contract.js';

/** Limits per connection. */
export interface BridgeLimits {
  /** Most requests awaiting an answer at once. */
  maxInFlight: number;
  /** Sustained requests per second (token bucket) and burst size. */
  ratePerSec: number;
  burst: number;
  /** Refusals after which the connection is closed (policy violation). */
  maxRefusals: number;
  /** Bytes queued for a slow client before it is dropped (it reconnects and reloads). */
  maxBufferedBytes: number;
}

export const DEFAULT_BRIDGE_LIMITS: BridgeLimits = {
  maxInFlight: 8,
  ratePerSec: 20,
  burst: 40,
  maxRefusals: 100,
  maxBufferedBytes: 8 * 1024 * 1024,
};

const errorMessage = (id: number | null, code: Extract<ResponseMessage, { ok: false }>['error']['code'], message: string): string =>
  JSON.stringify({ id, ok: false, error: { code, message } } satisfies ResponseMessage);

/** Broadcasts monitor events to every connection it manages and answers their requests. */
export class WebSocketBridge {
  private readonly clients = new Set<WebSocket>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly endpoint: MonitorEndpoint,
    private readonly limits: BridgeLimits = DEFAULT_BRIDGE_LIMITS,
  ) {
    // One subscription, serialized once per event, whatever the number of clients.
    this.unsubscribe = endpoint.subscribe((e) => this.broadcast(e));
  }

  get size(): number {
    return this.clients.size;
  }

  /** Takes over one accepted connection; `context` says what its requests may do (read-only by default). */
  accept(ws: WebSocket, context: RequestContext = {}): void {
    const ctx: RequestContext = { mayChange: context.mayChange === true };
    this.clients.add(ws);
    let inFlight = 0;
    let refusals = 0;
    let tokens = this.limits.burst;
    let last = Date.now();
    const refuse = (id: number | null, code: Parameters<typeof errorMessage>[1], message: string): void => {
      refusals++;
      this.send(ws, errorMessage(id, code, message));
      if (refusals >= this.limits.maxRefusals) ws.close(1008, 'too many refused messages');
    };
    ws.on('message', (data, isBinary) => {
      const now = Date.now();
      tokens = Math.min(this.limits.burst, tokens + ((now - last) / 1000) * this.limits.ratePerSec);
      last = now;
      if (tokens < 1) return refuse(null, 'rate-limited', `more than ${this.limits.ratePerSec} requests per second`);
      tokens -= 1;
      if (isBinary) return refuse(null, 'bad-request', 'binary frames are not part of the contract: send JSON text');
      if (inFlight >= this.limits.maxInFlight) return refuse(null, 'rate-limited', `more than ${this.limits.maxInFlight} requests awaiting an answer`);
      let parsed: unknown;
      try {
        parsed = JSON.parse(String(data));
      } catch (err) {
        return refuse(null, 'bad-request', `message is not JSON (${(err as Error).message.slice(0, 120)})`);
      }
      inFlight++;
      void this.endpoint.handle(parsed, ctx).then((r) => {
        inFlight--;
        if (!r.ok) refusals++;
        this.send(ws, JSON.stringify(r));
        if (refusals >= this.limits.maxRefusals) ws.close(1008, 'too many refused messages');
      });
    });
    const drop = (): void => {
      this.clients.delete(ws);
    };
    ws.on('close', drop);
    // Malformed frames make ws emit an error and close the socket with 1002/1009; only this client goes.
    ws.on('error', drop);
  }

  /** Closes every connection and stops listening to the monitor. */
  close(): void {
    this.unsubscribe();
    for (const ws of this.clients) ws.close(1001, 'server shutting down');
    this.clients.clear();
  }

  private broadcast(e: MonitorEvent): void {
    if (this.clients.size === 0) return;
    const text = JSON.stringify(e);
    for (const ws of this.clients) this.send(ws, text);
  }

  private send(ws: WebSocket, text: string): void {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > this.limits.maxBufferedBytes) {
      // A client that cannot keep up would make us hold its backlog forever: let it reconnect and reload.
      ws.close(1013, 'too slow: reconnect');
      return;
    }
    ws.send(text);
  }
}
