// The one monitor service behind the contract: it answers requests from the latest readings and the bounded
// history, and pushes events. It does not know its transport: the WebSocket server and Electron IPC call
// handle() and subscribe(). Every request is validated before it reaches the monitor; a bad one gets an
// error naming the culprit field and changes nothing. Tuning requests go to the tuning host; the ones that
// change the system pass only when the monitor allows applying AND the transport vouches for the channel.
import type { HostSample } from '../../common/host-sample.js';
import type { Sample, TickSample } from '../../common/model.js';
import {
  CONTRACT_VERSION,
  ContractError,
  isContractError,
  parseRequest,
  type RequestContext,
  type MethodName,
  type MonitorEndpoint,
  type MonitorEvent,
  type MonitorInfo,
  type Params,
  type ResponseMessage,
  type Result,
  type TimelineEvent,
} from '../../common/contract.js';
import type { HostSummary } from '../../common/hosts.js';
import type { HistoryPoint, HistoryTrack } from '../../common/history-frame.js';
import { HistoryStore } from '../history/history-store.js';
import { PersistentState } from '../history/persistent-state.js';
import { samplePoint, tickPoint } from '../history/points.js';
import { TimelineDeriver, type TimelineDraft } from './timeline.js';
import { machineTuning } from './tuning-machine.js';
import { TuningHost, type TuningHostOptions } from './tuning-host.js';
import { ConnectionList, type SocketReading } from './connection-list.js';
import type { TrendKeeper } from '../history/trend-file.js';

/** What the service needs from a sampler (the Sampler class satisfies it). */
export interface SampleSource {
  readonly paused: boolean;
  latest(): Sample | null;
  onSample(listener: (s: Sample) => void): () => void;
  onTick(listener: (t: TickSample) => void): () => void;
  /** The sockets of the latest full reading, one by one; absent when the source cannot list them (a remote host over SSH). */
  latestSockets?(): SocketReading | null;
  /** Its analyzer's trend histories, so a restart keeps time to exhaustion; absent when it has none to keep. */
  readonly trends?: TrendKeeper;
}

export interface MonitorServiceOptions {
  sampler: SampleSource;
  version: string;
  platform: MonitorInfo['platform'];
  hostname: string;
  history?: HistoryStore;
  /** Timeline events kept (oldest dropped first). */
  maxEvents?: number;
  clock?: () => number;
  /**
   * The tuning wizard's side: how to plan and whether applying is allowed. Absent: plans for this machine,
   * applying off. Null: no tuning at all (the tuning methods answer 'unavailable').
   */
  tuning?: TuningHostOptions | null;
  /** Keep episodes and minute roll-ups in this folder across restarts (absent: kept in memory only). */
  stateDir?: string;
  /** The hosts a dashboard of several hosts can show, this one marked current (absent: one machine, none). */
  hosts?: () => HostSummary[];
}

type Listener = (e: MonitorEvent) => void;

/** Answers one method's validated parameters; mayChange: the transport vouched that this channel may change the system. */
type Handler<M extends MethodName> = (params: Params<M>, mayChange: boolean) => Result<M> | Promise<Result<M>>;
type Handlers = { readonly [M in MethodName]: Handler<M> };

/** Implements the contract over a sampler. */
export class MonitorService implements MonitorEndpoint {
  private readonly history: HistoryStore;
  private readonly listeners = new Set<Listener>();
  private readonly events: TimelineEvent[] = [];
  private readonly deriver = new TimelineDeriver();
  private readonly maxEvents: number;
  private readonly clock: () => number;
  private readonly startedAt: number;
  private readonly unsubscribe: (() => void)[];
  private latestTick: TickSample | null = null;
  private seq = 0;
  private readonly tuning: TuningHost | null;
  private readonly persistent: PersistentState | null;
  private latestHost: HostSample | null = null;
  /** The list over the latest reading, rebuilt when a new reading arrives (it keeps the sort orders of recent queries). */
  private connectionList: ConnectionList | null = null;

  constructor(private readonly opts: MonitorServiceOptions) {
    this.history = opts.history ?? new HistoryStore();
    this.persistent = opts.stateDir
      ? new PersistentState({ dir: opts.stateDir, history: this.history, ...(opts.sampler.trends ? { trends: opts.sampler.trends } : {}), ...(opts.clock ? { clock: opts.clock } : {}) })
      : null;
    this.maxEvents = opts.maxEvents ?? 500;
    this.clock = opts.clock ?? Date.now;
    this.startedAt = this.clock();
    this.record({ time: this.startedAt, kind: 'monitor', level: 'info', title: 'Monitor started', detail: `Portwatch ${opts.version} on ${opts.hostname}` });
    const latest = () => opts.sampler.latest();
    const tuning = opts.tuning === undefined ? machineTuning({ allowApply: false }, latest) : opts.tuning;
    this.tuning = tuning ? new TuningHost(tuning, latest, (e) => this.emit(e), this.clock) : null;
    this.unsubscribe = [opts.sampler.onSample((s) => this.onSample(s)), opts.sampler.onTick((t) => this.onTick(t))];
    const first = opts.sampler.latest();
    if (first) this.onSample(first);
  }

  /** Stops listening to the sampler and drops subscribers. */
  close(): void {
    for (const u of this.unsubscribe) u();
    this.tuning?.close();
    this.persistent?.close();
    this.listeners.clear();
  }

  /**
   * Follows every namespace of the host (serve and the desktop app when they watch them all): episodes of
   * namespaces other than the monitor's own are kept like its own, name their namespace, and are pushed.
   */
  observeNamespaces(host: HostSample): void {
    this.latestHost = host;
    this.emit({ event: 'namespaces', data: host });
    for (const episode of this.persistent?.observeNamespaces(host) ?? []) this.emit({ event: 'episode', data: episode });
  }

  /** Stops showing other namespaces (their watch was turned off): getNamespaces answers null again. */
  clearNamespaces(): void {
    this.latestHost = null;
  }

  /** A note about the monitor itself on the timeline (e.g. a setting it could not follow). */
  notice(title: string, detail: string, level: 'info' | 'warning' = 'info'): void {
    this.record({ time: this.clock(), kind: 'monitor', level, title, detail });
  }

  /** Records that sampling stopped or paused now: history shows a gap from here. */
  markGap(reason: string): void {
    const now = this.clock();
    for (const track of ['sample', 'tick'] as const) this.storeAndEmit(track, this.history.markGap(track, now));
    this.record({ time: now, kind: 'monitor', level: 'info', title: 'Sampling paused', detail: reason });
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  async handle(message: unknown, context: RequestContext = {}): Promise<ResponseMessage> {
    const req = parseRequest(message);
    if (!req.ok) return { id: req.id, ok: false, error: { code: req.code ?? 'bad-request', message: req.error } };
    try {
      const result = await this.dispatch(req.value.method, req.value.params, context.mayChange === true);
      return { id: req.value.id, ok: true, result };
    } catch (err) {
      if (isContractError(err)) return { id: req.value.id, ok: false, error: { code: err.code, message: err.message } };
      // Details stay here; a client learns only that it was not its fault.
      process.emitWarning(`Portwatch: ${req.value.method} failed: ${err instanceof Error ? err.message : String(err)}`);
      return { id: req.value.id, ok: false, error: { code: 'internal', message: `${req.value.method} failed inside the monitor` } };
    }
  }

  /** Answers one validated request through the handler of its method. */
  private async dispatch<M extends MethodName>(method: M, params: Params<M>, mayChange: boolean): Promise<Result<M>> {
    const handler: Handler<M> = this.handlers[method];
    return handler(params, mayChange);
  }

  /** One handler per contract method: a method without a handler, or a handler of the wrong type, does not compile. */
  private readonly handlers: Handlers = {
    getInfo: () => this.info(),
    getSnapshot: () => ({ sample: this.opts.sampler.latest(), tick: this.latestTick }),
    getHistory: ({ windowSec, buckets }) => {
      const now = this.clock();
      return {
        now,
        sample: this.history.frame('sample', windowSec * 1000, buckets, now),
        tick: this.history.frame('tick', windowSec * 1000, buckets, now),
      };
    },
    getEvents: ({ limit }) => this.events.slice(-(limit ?? 200)),
    getNamespaces: () => this.latestHost,
    getEpisodes: ({ sinceMs, limit }) =>
      (this.persistent?.episodes() ?? []).filter((e) => sinceMs === undefined || (e.end ?? Infinity) >= sinceMs).slice(-(limit ?? 1000)),
    getConnections: (q) => this.connections(q),
    getHosts: () => this.opts.hosts?.() ?? [],
    getTuningPlan: () => this.tuningFor('getTuningPlan').plan(),
    reviewTuning: (p) => this.tuningFor('reviewTuning').review(p),
    getTuningStatus: () => this.tuningFor('getTuningStatus').status(),
    applyTuning: (p, mayChange) => this.changingTuning('applyTuning', mayChange).apply(p),
    writeTuningTerminal: (p, mayChange) => this.changingTuning('writeTuningTerminal', mayChange).write(p.sessionId, p.data),
    resizeTuningTerminal: (p, mayChange) => this.changingTuning('resizeTuningTerminal', mayChange).resize(p.sessionId, p.cols, p.rows),
    keepTuning: (p, mayChange) => this.changingTuning('keepTuning', mayChange).keep(p.sessionId),
    revertTuning: (p, mayChange) => this.changingTuning('revertTuning', mayChange).revert(p),
    // A login is the desktop window's, answered by its main process before any monitor: here there is none.
    startHostLogin: () => noLogin('startHostLogin'),
    writeHostLogin: () => noLogin('writeHostLogin'),
    resizeHostLogin: () => noLogin('resizeHostLogin'),
    cancelHostLogin: () => noLogin('cancelHostLogin'),
  };

  /** The tuning host for a read-only tuning method ('unavailable' when this monitor has none). */
  private tuningFor(method: MethodName): TuningHost {
    if (!this.tuning) throw new ContractError('unavailable', `${method}: this monitor has no tuning planner`);
    return this.tuning;
  }

  /** The tuning host for a state-changing method, after the host's check that this channel may change the system. */
  private changingTuning(method: MethodName, mayChange: boolean): TuningHost {
    const t = this.tuningFor(method);
    t.assertMayChange(method, mayChange);
    return t;
  }

  private connections(q: Params<'getConnections'>): Result<'getConnections'> {
    const source = this.opts.sampler;
    if (!source.latestSockets) return { time: null, total: 0, matched: 0, offset: q.offset, rows: [], unavailable: 'this monitor cannot list sockets one by one (its source reports counts only)' };
    const reading = source.latestSockets();
    if (!reading) return { time: null, total: 0, matched: 0, offset: q.offset, rows: [], unavailable: null };
    if (this.connectionList?.reading !== reading) this.connectionList = new ConnectionList(reading);
    return this.connectionList.page(q);
  }

  private info(): MonitorInfo {
    const l = this.history.limits;
    return {
      contractVersion: CONTRACT_VERSION,
      version: this.opts.version,
      platform: this.opts.platform,
      hostname: this.opts.hostname,
      startedAt: this.startedAt,
      paused: this.opts.sampler.paused,
      history: { rawPoints: l.rawPoints, rollupBucketMs: l.rollupBucketMs, rollupWindowMs: l.rollupWindowMs },
    };
  }

  private onSample(s: Sample): void {
    this.storeAndEmit('sample', this.history.add('sample', samplePoint(s)));
    const episode = this.persistent?.observe(s);
    if (episode) this.emit({ event: 'episode', data: episode });
    for (const d of this.deriver.observe(s)) this.record(d);
    this.emit({ event: 'sample', data: s });
  }

  private onTick(t: TickSample): void {
    this.latestTick = t;
    this.storeAndEmit('tick', this.history.add('tick', tickPoint(t)));
    this.emit({ event: 'tick', data: t });
  }

  private storeAndEmit(track: HistoryTrack, points: HistoryPoint[]): void {
    for (const point of points) this.emit({ event: 'history', data: { track, point } });
  }

  private record(d: TimelineDraft): void {
    const e: TimelineEvent = { seq: ++this.seq, ...d };
    this.events.push(e);
    if (this.events.length > this.maxEvents) this.events.splice(0, this.events.length - this.maxEvents);
    this.emit({ event: 'timeline', data: e });
  }

  private emit(e: MonitorEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch (err) {
        // One broken subscriber (a dead socket) must not stop the others or the monitor.
        process.emitWarning(`Portwatch: event listener failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
}

/** The answer of a monitor to a login method: logging in to a host is done in the desktop window. */
function noLogin(method: MethodName): never {
  throw new ContractError('unavailable', `${method}: logging in to a host is done in the desktop app's window (here, log in once with \`portwatch check --ssh HOST\` in a terminal)`);
}
