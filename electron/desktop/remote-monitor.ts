// The main process's side of a monitor running in a utility process: a MonitorControl whose endpoint
// forwards (already validated) requests over the port and re-emits the host's events. When the process
// dies, requests in flight get 'unavailable', the problem is reported (the tray shows it) and the process
// is restarted with backoff, a bounded number of times.
import type { MonitorEndpoint, MonitorEvent, ResponseMessage } from '../common/contract.js';
import type { MonitorControl } from './monitor-control.js';
import { asFromHost, type MessagePortLike, type ToHost } from './monitor-protocol.js';
import type { MonitorConfig } from './monitor-config.js';

/** A started monitor process as this side sees it. */
export interface MonitorChild extends MessagePortLike {
  onExit(listener: (code: number | null) => void): void;
  kill(): void;
}

export interface RemoteMonitorOptions {
  spawn: () => MonitorChild;
  config: MonitorConfig;
  version: string;
  /** Answer time limit per request (default 15 s). */
  timeoutMs?: number;
  /** Restarts allowed within restartWindowMs before giving up (default 5 in 10 min). */
  maxRestarts?: number;
  restartWindowMs?: number;
  /** Delay before the first restart, doubled each time up to a minute (default 1 s). */
  restartDelayMs?: number;
  /** How long close() waits for the host to finish before killing it (default 5 s). */
  closeTimeoutMs?: number;
  clock?: () => number;
}

interface Pending {
  id: number | null;
  resolve: (r: ResponseMessage) => void;
  timer: NodeJS.Timeout;
}

/** A monitor in another process. */
export class RemoteMonitor implements MonitorControl {
  readonly endpoint: MonitorEndpoint;
  private child: MonitorChild | null = null;
  private ready = false;
  private isPaused = false;
  private pauseReason = '';
  private config: MonitorConfig;
  private nextRef = 1;
  private closing = false;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(e: MonitorEvent) => void>();
  private readonly problemListeners = new Set<(p: string | null) => void>();
  private readonly restarts: number[] = [];
  private restartTimer: NodeJS.Timeout | undefined;
  private onClosed: (() => void) | null = null;

  constructor(private readonly opts: RemoteMonitorOptions) {
    this.config = opts.config;
    this.endpoint = {
      handle: (message, context) => this.request(message, context?.mayChange === true),
      subscribe: (listener) => {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
      },
    };
    this.launch();
  }

  get paused(): boolean {
    return this.isPaused;
  }

  pause(reason: string): void {
    if (this.isPaused) return;
    this.isPaused = true;
    this.pauseReason = reason;
    this.post({ type: 'pause', reason });
  }

  resume(): void {
    if (!this.isPaused) return;
    this.isPaused = false;
    this.post({ type: 'resume' });
  }

  configure(config: MonitorConfig): void {
    this.config = config;
    this.post({ type: 'configure', config });
  }

  onProblem(listener: (p: string | null) => void): () => void {
    this.problemListeners.add(listener);
    return () => this.problemListeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closing = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        child.kill();
        resolve();
      }, this.opts.closeTimeoutMs ?? 5000);
      this.onClosed = () => {
        clearTimeout(timer);
        resolve();
      };
      this.post({ type: 'close' });
    });
    this.failPending('the monitor was closed');
  }

  private launch(): void {
    let child: MonitorChild;
    try {
      child = this.opts.spawn();
    } catch (err) {
      this.lost(`the monitor process could not start: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    this.child = child;
    this.ready = false;
    child.onMessage((raw) => this.onMessage(child, raw));
    child.onExit((code) => {
      if (this.child !== child) return;
      this.child = null;
      if (this.onClosed) return this.onClosed();
      this.lost(`the monitor process ended (exit code ${code ?? 'none'})`);
    });
    child.postMessage({ type: 'start', config: this.config, version: this.opts.version } satisfies ToHost);
    if (this.isPaused) child.postMessage({ type: 'pause', reason: this.pauseReason } satisfies ToHost);
  }

  private lost(problem: string): void {
    this.ready = false;
    this.failPending(problem);
    if (this.closing) return;
    const now = (this.opts.clock ?? Date.now)();
    const window = this.opts.restartWindowMs ?? 600_000;
    while (this.restarts.length > 0 && now - this.restarts[0]! > window) this.restarts.shift();
    const max = this.opts.maxRestarts ?? 5;
    if (this.restarts.length >= max) {
      this.emitProblem(`${problem}; gave up after ${max} restarts in ${Math.round(window / 60_000)} min`);
      return;
    }
    this.emitProblem(`${problem}; restarting`);
    const delay = Math.min(60_000, (this.opts.restartDelayMs ?? 1000) * 2 ** this.restarts.length);
    this.restarts.push(now);
    this.restartTimer = setTimeout(() => this.launch(), delay);
    this.restartTimer.unref?.();
  }

  private onMessage(from: MonitorChild, raw: unknown): void {
    if (from !== this.child) return;
    const m = asFromHost(raw);
    if (!m) return;
    switch (m.type) {
      case 'ready':
        this.ready = true;
        this.emitProblem(null);
        return;
      case 'response': {
        const p = this.pending.get(m.ref);
        if (!p) return;
        this.pending.delete(m.ref);
        clearTimeout(p.timer);
        p.resolve(m.response);
        return;
      }
      case 'event':
        for (const l of this.listeners) {
          try {
            l(m.event);
          } catch (err) {
            process.emitWarning(`Portwatch: event listener failed: ${err instanceof Error ? err.message : String(err)}`);
          }
        }
        return;
      case 'failed':
        process.emitWarning(`Portwatch: the monitor process reported: ${m.error}`);
        return;
      case 'closed':
        this.onClosed?.();
        return;
    }
  }

  private request(message: unknown, mayChange: boolean): Promise<ResponseMessage> {
    const id = idOf(message);
    if (!this.child || !this.ready) return Promise.resolve(unavailable(id, 'the monitor is not running'));
    const ref = this.nextRef++;
    return new Promise((resolve) => {
      const timeoutMs = this.opts.timeoutMs ?? 15_000;
      const timer = setTimeout(() => {
        this.pending.delete(ref);
        resolve(unavailable(id, `no answer from the monitor within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(ref, { id, resolve, timer });
      this.post({ type: 'request', ref, message: message as Extract<ToHost, { type: 'request' }>['message'], ...(mayChange ? { mayChange } : {}) });
    });
  }

  private post(m: ToHost): void {
    try {
      this.child?.postMessage(m);
    } catch {
      // the process is going away; its exit handler reports it
    }
  }

  private failPending(why: string): void {
    for (const [ref, p] of this.pending) {
      clearTimeout(p.timer);
      p.resolve(unavailable(p.id, why));
      this.pending.delete(ref);
    }
  }

  private emitProblem(p: string | null): void {
    for (const l of this.problemListeners) l(p);
  }
}

function idOf(message: unknown): number | null {
  const id = typeof message === 'object' && message !== null ? (message as { id?: unknown }).id : null;
  return typeof id === 'number' && Number.isInteger(id) ? id : null;
}

function unavailable(id: number | null, message: string): ResponseMessage {
  return { id, ok: false, error: { code: 'unavailable', message } };
}
