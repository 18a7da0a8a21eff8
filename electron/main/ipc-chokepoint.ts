// The one place every IPC message from a renderer passes before anything reaches the monitor. In order:
// the channel is one of ours (prefix and list), the sender is the app's own window, its main frame, at
// the app's origin; then the arguments pass the contract's schema for that channel's method. Anything
// else is refused, logged (bounded), and answered with an error that changes nothing. The page's URL says
// which host it shows (`?host=N`, desktop/host-scope.ts): its requests go to that host's monitor only.
import { isContractError, type MethodName, type MonitorEndpoint, type MonitorEvent, type ResponseMessage } from '../common/contract.js';
import { HOST_LOGIN_METHODS, type HostLoginMethods } from '../common/host-login.js';
import type { HostSummary } from '../common/hosts.js';
import { hostScopeOf, THIS_COMPUTER } from '../desktop/host-scope.js';
import { checkChannel, checkPayload, checkSender, type SenderFacts, type TrustedSender } from '../desktop/ipc-checks.js';
import { EVENT_CHANNEL, IPC_PREFIX, REQUEST_CHANNELS } from '../common/ipc-channels.js';
import type { IpcInvokeEventLike, IpcMainLike, WebContentsLike } from './electron-api.js';

/** How many refusals are logged per minute (a hostile page must not flood the log). */
const LOGGED_REFUSALS_PER_MINUTE = 20;

/** The remote hosts a page may be scoped to (the settings' host list). */
export interface HostRouting {
  /** The monitor of host scope N ≥ 1, or null when the list has no such host (any more). */
  endpoint(scope: number): MonitorEndpoint | null;
  /** The host picker's list as the page of `scope` sees it. */
  summaries(scope: number): HostSummary[];
  /** Answers a login method for the host of scope N ≥ 1 (its params checked); absent: no logins here. */
  login?<M extends keyof HostLoginMethods>(scope: number, method: M, params: HostLoginMethods[M]['params']): Promise<HostLoginMethods[M]['result']>;
}

const LOGIN_METHODS: ReadonlySet<string> = new Set(HOST_LOGIN_METHODS);

export interface ChokepointOptions {
  ipcMain: IpcMainLike;
  /** This computer's monitor (scope 0). */
  endpoint: MonitorEndpoint;
  /** The remote hosts' monitors; absent: a page scoped to another host is refused. */
  hosts?: HostRouting;
  /** Who may send right now (the window can come and go). */
  trusted: () => TrustedSender;
  log: (line: string) => void;
  /** Most requests awaiting an answer at once (default 16). */
  maxInFlight?: number;
  clock?: () => number;
}

const METHOD_BY_CHANNEL = new Map<string, MethodName>(Object.entries(REQUEST_CHANNELS).map(([m, c]) => [c, m as MethodName]));
const KNOWN_CHANNELS: ReadonlySet<string> = new Set(METHOD_BY_CHANNEL.keys());

/** The chokepoint: installs one handler per contract channel, all funnelled through receive(). */
export class IpcChokepoint {
  /** Messages refused so far (all reasons). */
  refusals = 0;
  private inFlight = 0;
  private nextId = 1;
  private logWindowStart = 0;
  private loggedInWindow = 0;

  constructor(private readonly opts: ChokepointOptions) {}

  /** Registers the handlers (once per channel). */
  install(): void {
    for (const channel of KNOWN_CHANNELS) {
      this.opts.ipcMain.handle(channel, (event, ...args) => this.receive(channel, event, args));
    }
  }

  /** Removes the handlers. */
  uninstall(): void {
    for (const channel of KNOWN_CHANNELS) this.opts.ipcMain.removeHandler(channel);
  }

  /** Checks one message and, when every check passes, hands the validated request to the monitor. */
  async receive(channel: unknown, event: IpcInvokeEventLike, args: readonly unknown[]): Promise<ResponseMessage> {
    const channelProblem = checkChannel(channel, IPC_PREFIX, KNOWN_CHANNELS);
    if (channelProblem) return this.refuse(channelProblem, 'refused');
    const facts = senderFacts(event);
    const senderProblem = checkSender(facts, this.opts.trusted());
    if (senderProblem) return this.refuse(`${String(channel)}: ${senderProblem}`, 'refused');
    const scope = hostScopeOf(facts.frameUrl);
    if (scope === null) return this.refuse(`${String(channel)}: sender page ${JSON.stringify(String(facts.frameUrl).slice(0, 120))} is not the app's page`, 'refused');
    const method = METHOD_BY_CHANNEL.get(channel as string)!;
    const id = this.nextId;
    this.nextId = this.nextId >= 2 ** 31 - 2 ? 1 : this.nextId + 1;
    const payload = checkPayload(method, Array.isArray(args) ? args : [], id);
    if (!payload.ok) return this.refuse(`${method}: ${payload.reason}`, payload.reason);
    if (this.inFlight >= (this.opts.maxInFlight ?? 16)) {
      this.refusals++;
      return { id, ok: false, error: { code: 'rate-limited', message: `more than ${this.opts.maxInFlight ?? 16} requests awaiting an answer` } };
    }
    // The host list is the main process's to tell (a monitor knows only its own host).
    if (method === 'getHosts' && this.opts.hosts) return { id, ok: true, result: this.opts.hosts.summaries(scope) };
    // So are logins: always to the host the asking page shows, never another's.
    if (LOGIN_METHODS.has(method)) return this.login(id, scope, method as keyof HostLoginMethods, payload.request.params);
    const endpoint = scope === THIS_COMPUTER ? this.opts.endpoint : (this.opts.hosts?.endpoint(scope) ?? null);
    if (!endpoint) return { id, ok: false, error: { code: 'unavailable', message: `host ${scope} is not in the host list (any more): choose another host` } };
    this.inFlight++;
    try {
      // Past the chokepoint the sender is the app's own window, main frame, own origin: the one caller
      // allowed to ask for changes, to this computer or to the host the page shows (the helper, or sudo on
      // that host, still asks the user).
      return await endpoint.handle(payload.request, { mayChange: true });
    } catch (err) {
      this.opts.log(`IPC ${method} failed in the monitor: ${err instanceof Error ? err.message : String(err)}`);
      return { id, ok: false, error: { code: 'internal', message: `${method} failed inside the monitor` } };
    } finally {
      this.inFlight--;
    }
  }

  private async login(id: number, scope: number, method: keyof HostLoginMethods, params: unknown): Promise<ResponseMessage> {
    const login = this.opts.hosts?.login;
    if (scope === THIS_COMPUTER || !login) return { id, ok: false, error: { code: 'unavailable', message: `${method}: ${scope === THIS_COMPUTER ? 'this computer needs no login' : 'logins are not offered here'}` } };
    this.inFlight++;
    try {
      return { id, ok: true, result: await login(scope, method, params as never) };
    } catch (err) {
      if (isContractError(err)) return { id, ok: false, error: { code: err.code, message: err.message.slice(0, 500) } };
      this.opts.log(`IPC ${method} failed: ${err instanceof Error ? err.message : String(err)}`);
      return { id, ok: false, error: { code: 'internal', message: `${method} failed in the main process` } };
    } finally {
      this.inFlight--;
    }
  }

  private refuse(why: string, shown: string): ResponseMessage {
    this.refusals++;
    const now = (this.opts.clock ?? Date.now)();
    if (now - this.logWindowStart >= 60_000) {
      if (this.loggedInWindow > LOGGED_REFUSALS_PER_MINUTE) this.opts.log(`IPC: ${this.loggedInWindow - LOGGED_REFUSALS_PER_MINUTE} more refusals not logged`);
      this.logWindowStart = now;
      this.loggedInWindow = 0;
    }
    if (++this.loggedInWindow <= LOGGED_REFUSALS_PER_MINUTE) this.opts.log(`IPC refused: ${why.slice(0, 300)}`);
    return { id: null, ok: false, error: { code: 'bad-request', message: shown.slice(0, 500) } };
  }
}

/** What the checks need from an IPC event; a malformed event yields facts that fail them. */
export function senderFacts(event: IpcInvokeEventLike): SenderFacts {
  try {
    const frame = event.senderFrame;
    const id = event.sender.id;
    return {
      senderId: typeof id === 'number' ? id : -1,
      isMainFrame: frame !== null && frame !== undefined && frame.parent === null,
      frameUrl: frame && typeof frame.url === 'string' ? frame.url : null,
    };
  } catch {
    return { senderId: -1, isMainFrame: false, frameUrl: null };
  }
}

/** Forwards every event of this computer's monitor to the window's page while it shows this computer; returns the unsubscribe function. */
export function forwardEvents(endpoint: MonitorEndpoint, target: () => WebContentsLike | null): () => void {
  return endpoint.subscribe((event) => sendToScope(target(), THIS_COMPUTER, event));
}

/**
 * Forwards each remote host's events to the window's page while it shows that host. `subscribe` hands
 * over every host's events with the host's scope at that moment; returns the unsubscribe function.
 */
export function forwardHostEvents(subscribe: (listener: (scope: number, event: MonitorEvent) => void) => () => void, target: () => WebContentsLike | null): () => void {
  return subscribe((scope, event) => sendToScope(target(), scope, event));
}

/** Sends an event of host `scope` to the page, when the page is the one of that host (never another's). */
function sendToScope(wc: WebContentsLike | null, scope: number, event: MonitorEvent): void {
  if (!wc || wc.isDestroyed()) return;
  try {
    if (hostScopeOf(wc.getURL()) !== scope) return;
    wc.send(EVENT_CHANNEL, event);
  } catch {
    // the page is going away; it reloads its state when it comes back
  }
}
