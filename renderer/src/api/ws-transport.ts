// The contract over a WebSocket to `portwatch serve` (same origin; the token travels in its cookie).
// Reconnects with backoff; requests made while disconnected fail at once rather than hang.
import { ContractError, type ErrorCode, type MethodName } from '../../../electron/common/contract.js';
import type { ConnectionState, Transport } from './transport.js';

/** Time spent handling each incoming message, ms (bounded; read by the benchmark). */
export const messageTimes: number[] = [];

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

export interface WsTransportOptions {
  url: string;
  /** Per-request time limit. */
  timeoutMs?: number;
  /** WebSocket constructor (tests pass another). */
  WebSocketImpl?: typeof WebSocket;
}

/** A Transport over a reconnecting WebSocket. */
export class WebSocketTransport implements Transport {
  private ws: WebSocket | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly eventListeners = new Set<(m: unknown) => void>();
  private readonly stateListeners = new Set<(s: ConnectionState) => void>();
  private state: ConnectionState = 'connecting';
  private retryMs = 500;
  private closed = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly opts: WsTransportOptions) {
    this.connect();
  }

  request(method: MethodName, params: unknown): Promise<unknown> {
    const ws = this.ws;
    if (!ws || ws.readyState !== 1) return Promise.reject(new ContractError('unavailable', 'not connected to the monitor'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new ContractError('unavailable', `${method}: no answer within ${this.opts.timeoutMs ?? 15_000} ms`));
      }, this.opts.timeoutMs ?? 15_000);
      this.pending.set(id, { resolve, reject, timer });
      ws.send(JSON.stringify({ id, method, params }));
    });
  }

  onEvent(listener: (m: unknown) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onState(listener: (s: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    listener(this.state);
    return () => this.stateListeners.delete(listener);
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.ws?.close();
    this.failPending('connection closed');
  }

  private setState(s: ConnectionState): void {
    if (s === this.state) return;
    this.state = s;
    for (const l of this.stateListeners) l(s);
  }

  private connect(): void {
    const Impl = this.opts.WebSocketImpl ?? WebSocket;
    const ws = new Impl(this.opts.url);
    this.ws = ws;
    this.setState('connecting');
    ws.onopen = () => {
      this.retryMs = 500;
      this.setState('open');
    };
    ws.onmessage = (ev: MessageEvent) => {
      const t0 = performance.now();
      this.onMessage(ev.data);
      // Queued after the UI's own update (Svelte flushes in a microtask queued during onMessage).
      queueMicrotask(() => {
        messageTimes.push(performance.now() - t0);
        if (messageTimes.length > 400) messageTimes.splice(0, messageTimes.length - 400);
      });
    };
    ws.onclose = () => {
      this.ws = null;
      this.failPending('connection lost');
      if (this.closed) return this.setState('closed');
      this.setState('closed');
      this.retryTimer = setTimeout(() => this.connect(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 10_000);
    };
  }

  private onMessage(data: unknown): void {
    if (typeof data !== 'string') return;
    let msg: unknown;
    try {
      msg = JSON.parse(data);
    } catch {
      return; // the server only sends JSON; anything else is ignored
    }
    if (typeof msg !== 'object' || msg === null) return;
    if ('event' in msg) {
      for (const l of this.eventListeners) l(msg);
      return;
    }
    const r = msg as { id?: unknown; ok?: unknown; result?: unknown; error?: { code?: unknown; message?: unknown } };
    if (typeof r.id !== 'number') return;
    const p = this.pending.get(r.id);
    if (!p) return;
    this.pending.delete(r.id);
    clearTimeout(p.timer);
    if (r.ok === true) p.resolve(r.result);
    else p.reject(new ContractError((String(r.error?.code ?? 'internal') as ErrorCode), String(r.error?.message ?? 'request refused')));
  }

  private failPending(why: string): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new ContractError('unavailable', why));
      this.pending.delete(id);
    }
  }
}

/** The WebSocket URL of the server that served this page. */
export function sameOriginWsUrl(loc: Pick<Location, 'protocol' | 'host'> & { search?: string }): string {
  // A dashboard of several hosts scopes the page with ?host=N (the host picker's links).
  const host = new URLSearchParams(loc.search ?? '').get('host');
  const scope = host !== null && /^\d{1,2}$/.test(host) ? `?host=${host}` : '';
  return `${loc.protocol === 'https:' ? 'wss:' : 'ws:'}//${loc.host}/ws${scope}`;
}
