// The one contract between the UI and the monitor: every request the UI can make, every event it receives,
// with runtime schemas. The monitor service implements it; the headless server carries it over a WebSocket
// and the desktop app over Electron IPC (a preload bridge exposing one function per method), through the
// same schemas. Everything that enters the engine is validated here first; a bad message gets an error that
// names the culprit field and never reaches the monitor.
import type { PlatformName, Sample, TickSample } from './model.js';
import { episodeSchema, type Episode } from './episode.js';
import type { HostSample } from './host-sample.js';
import { hostSampleSchema } from './host-sample-schema.js';
import { hostListSchema, type HostSummary } from './hosts.js';
import { connectionPageSchema, connectionQuerySchema, type ConnectionPage, type ConnectionQuery } from './connections.js';
import { sampleSchema, tickSampleSchema } from './model-schema.js';
import { SAMPLE_FIELDS, TICK_FIELDS, type HistoryFrame, type HistoryPoint, type HistoryTrack } from './history-frame.js';
import { arr, bool, nullable, num, obj, oneOf, optional, str, tagged, validate, type Schema, type Validated } from './schema.js';
import {
  TUNING_EVENTS,
  TUNING_PARAMS,
  TUNING_RESULTS,
  type ApplyTuningParams,
  type ReviewTuningParams,
  type RevertTuningParams,
  type TuningCountdown,
  type TuningPlanView,
  type TuningReview,
  type TuningSession,
  type TuningStatus,
  type TuningTerminalChunk,
} from './tuning-contract.js';
import { HOST_LOGIN_EVENTS, HOST_LOGIN_PARAMS, HOST_LOGIN_RESULTS, type HostLoginEvents, type HostLoginMethods } from './host-login.js';

/** Bumped on any incompatible change of messages. */
export const CONTRACT_VERSION = 1;

/** The time windows the dashboard offers, in seconds (the engine accepts any window up to a week). */
export const DASHBOARD_WINDOWS_SEC = [300, 3600, 86400, 7 * 86400] as const;
/** The longest window getHistory answers (older data is not kept). */
export const MAX_HISTORY_WINDOW_SEC = 7 * 86400;
/** The most buckets one getHistory may ask for (bounds the answer and the chart). */
export const MAX_HISTORY_BUCKETS = 2000;

/** What the monitor says about itself. */
export interface MonitorInfo {
  contractVersion: number;
  /** Portwatch version. */
  version: string;
  platform: PlatformName;
  hostname: string;
  /** Epoch ms the monitor started. */
  startedAt: number;
  paused: boolean;
  /** How history is bounded. */
  history: { rawPoints: number; rollupBucketMs: number; rollupWindowMs: number };
}

/** The latest readings. */
export interface Snapshot {
  /** The latest full sample, null before the first. */
  sample: Sample | null;
  /** The latest cheap tick, null before the first. */
  tick: TickSample | null;
}

/** Both histories over one window. */
export interface HistoryWindow {
  /** Epoch ms the window ends at (the monitor's clock). */
  now: number;
  sample: HistoryFrame;
  tick: HistoryFrame;
}

/** Something worth a line in the events timeline. */
export interface TimelineEvent {
  /** Increasing number, unique per monitor run. */
  seq: number;
  time: number;
  kind: 'severity' | 'source' | 'diagnosis' | 'monitor';
  level: 'info' | 'warning' | 'critical';
  title: string;
  detail: string;
}

/** Parameters of getEpisodes. */
export interface EpisodeParams {
  sinceMs?: number;
  limit?: number;
}

/** Parameters of getHistory. */
export interface HistoryParams {
  /** Window length in seconds. */
  windowSec: number;
  /** How many buckets to return at most (about one per two chart pixels). */
  buckets: number;
}

/** Every request: its parameters and its result. */
export interface Methods extends HostLoginMethods {
  /** Who the monitor is, its version and how it bounds history. */
  getInfo: { params: Record<string, never>; result: MonitorInfo };
  /** The latest sample and tick. */
  getSnapshot: { params: Record<string, never>; result: Snapshot };
  /** Both histories over a window, bucketed with min/max kept. */
  getHistory: { params: HistoryParams; result: HistoryWindow };
  /** The most recent timeline events, oldest first. */
  getEvents: { params: { limit?: number }; result: TimelineEvent[] };
  /** Episodes (warning or worse) kept on disk across restarts, oldest first; sinceMs: those going on or ended since then. */
  getEpisodes: { params: EpisodeParams; result: Episode[] };
  /** Every network namespace of the host, worst first; null when the monitor watches only its own. */
  getNamespaces: { params: Record<string, never>; result: HostSample | null };
  /** One page of the latest reading's individual sockets, filtered and sorted in the monitor (sockets never ride along with samples). */
  getConnections: { params: ConnectionQuery; result: ConnectionPage };
  /** The hosts this dashboard can show (serve --ssh a --ssh b), each with its severity and which one this connection shows; empty for one machine. */
  getHosts: { params: Record<string, never>; result: HostSummary[] };
  /** The tuning plan for the latest sample: application fixes, kernel steps with their what-if, guard-rail warnings, boot order, container snippets. */
  getTuningPlan: { params: Record<string, never>; result: TuningPlanView };
  /** The review of the chosen steps of a plan the monitor computed: every setting and file diff, who wins at boot, the exact commands. */
  reviewTuning: { params: ReviewTuningParams; result: TuningReview };
  /** Whether applying is allowed here, and the current or last helper session with its terminal output. */
  getTuningStatus: { params: Record<string, never>; result: TuningStatus };
  /** Applies the chosen steps of a plan the monitor computed (re-planned now; refused when it changed) through the privileged helper. State-changing. */
  applyTuning: { params: ApplyTuningParams; result: TuningSession };
  /** Types into the helper's terminal (a password prompt), at most 1,024 characters. State-changing. */
  writeTuningTerminal: { params: { sessionId: string; data: string }; result: { written: number } };
  /** Gives the helper's terminal another size. State-changing. */
  resizeTuningTerminal: { params: { sessionId: string; cols: number; rows: number }; result: { cols: number; rows: number } };
  /** Keeps a change awaiting confirmation; resolves with the final session. State-changing. */
  keepTuning: { params: { sessionId: string }; result: TuningSession };
  /** Reverts a change awaiting confirmation (by session) or a kept change (by transaction id). State-changing. */
  revertTuning: { params: RevertTuningParams; result: TuningSession };
}

export type MethodName = keyof Methods;
export type Params<M extends MethodName> = Methods[M]['params'];
export type Result<M extends MethodName> = Methods[M]['result'];

/** Every event the monitor pushes: its payload. */
export interface Events extends HostLoginEvents {
  /** A full analysed sample (adaptive cadence, about 1–10 s). */
  sample: Sample;
  /** A cheap 1 Hz tick. */
  tick: TickSample;
  /** One point appended to a history track (including gap markers). */
  history: { track: HistoryTrack; point: HistoryPoint };
  /** One new timeline event. */
  timeline: TimelineEvent;
  /** An episode started, reached a new peak or ended (the monitor keeps episodes only with a state directory). */
  episode: Episode;
  /** Every network namespace read again (when the monitor watches them all). */
  namespaces: HostSample;
  /** Output of the helper's terminal (result lines left out). */
  tuningTerminal: TuningTerminalChunk;
  /** A helper session changed phase (started, awaiting keep or revert, verified, ended). */
  tuningStatus: TuningSession;
  /** Once a second while a change awaits keep or revert. */
  tuningCountdown: TuningCountdown;
}

export type EventName = keyof Events;

/** One event as delivered to subscribers. */
export type MonitorEvent = { [E in EventName]: { event: E; data: Events[E] } }[EventName];

/** A request on the wire. */
export interface RequestMessage<M extends MethodName = MethodName> {
  id: number;
  method: M;
  params: Params<M>;
}

/**
 * Stable error codes. forbidden: a state-changing request where changes are not allowed (the message says
 * how to allow them); conflict: the request no longer fits the system or the session (fetch again).
 */
export type ErrorCode = 'bad-request' | 'unknown-method' | 'too-large' | 'rate-limited' | 'unavailable' | 'forbidden' | 'conflict' | 'internal';

/** A response on the wire. */
export type ResponseMessage =
  | { id: number; ok: true; result: unknown }
  | { id: number | null; ok: false; error: { code: ErrorCode; message: string } };

/** Anything the monitor sends to a client. */
export type ServerMessage = ResponseMessage | MonitorEvent;

/** What the transport knows about where a request came from. */
export interface RequestContext {
  /**
   * The request may change the system: it came over a channel the transport trusts for that (the headless
   * server: a WebSocket opened by a page of this server, with the token). Absent means no (deny by default).
   */
  mayChange?: boolean;
}

/** What a transport-agnostic monitor exposes (the service implements it; adapters carry it). */
export interface MonitorEndpoint {
  /** Validates and answers one request message; never throws, never rejects. */
  handle(message: unknown, context?: RequestContext): Promise<ResponseMessage>;
  /** Calls listener with every event; returns the unsubscribe function. */
  subscribe(listener: (event: MonitorEvent) => void): () => void;
}

/**
 * What the Electron preload exposes as `window.portwatch`: one function per method and one subscription,
 * nothing else (no channel names, no ipcRenderer).
 */
export type PortwatchBridge = { [M in MethodName]: (params: Params<M>) => Promise<unknown> } & {
  onEvent(listener: (event: unknown) => void): () => void;
};

/** An error in the contract's terms, with a stable name that survives serialization. */
export class ContractError extends Error {
  override readonly name = 'ContractError';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** True for a ContractError, also one rebuilt from JSON (checks the name and code, not the prototype). */
export function isContractError(e: unknown): e is ContractError {
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'ContractError' && typeof (e as { code?: unknown }).code === 'string';
}

// ---- schemas -------------------------------------------------------------------------------------------

const noParams: Schema<Record<string, never>> = obj<Record<string, never>>({});

/** Schemas of every method's parameters (strict: unknown fields are refused). */
export const PARAMS_SCHEMAS: { [M in MethodName]: Schema<Params<M>> } = {
  getInfo: noParams,
  getSnapshot: noParams,
  getHistory: obj<HistoryParams>({
    windowSec: num({ min: 60, max: MAX_HISTORY_WINDOW_SEC, integer: true }),
    buckets: num({ min: 10, max: MAX_HISTORY_BUCKETS, integer: true }),
  }),
  getEvents: obj<{ limit?: number }>({ limit: optional(num({ min: 1, max: 1000, integer: true })) }),
  getEpisodes: obj<EpisodeParams>({ sinceMs: optional(num({ min: 0 })), limit: optional(num({ min: 1, max: 1000, integer: true })) }),
  getConnections: connectionQuerySchema,
  getNamespaces: noParams,
  getHosts: noParams,
  ...TUNING_PARAMS,
  ...HOST_LOGIN_PARAMS,
};

export const METHOD_NAMES = Object.keys(PARAMS_SCHEMAS) as MethodName[];

const lenient = { strict: false } as const;
const nNum = nullable(num());

function frameSchema(track: HistoryTrack, fieldCount: number): Schema<HistoryFrame> {
  const perBucket = (s: Schema<number | null>) => arr(s, { maxLength: MAX_HISTORY_BUCKETS + 1 });
  const perField = arr(perBucket(nNum), { maxLength: fieldCount, minLength: fieldCount });
  const base = obj<HistoryFrame>(
    {
      track: oneOf(track),
      fields: arr(str({ maxLength: 100 }), { maxLength: fieldCount, minLength: fieldCount }),
      bucketMs: num({ min: 1 }),
      windowMs: num({ min: 1 }),
      time: perBucket(num()) as Schema<number[]>,
      count: perBucket(num({ min: 0, integer: true })) as Schema<number[]>,
      gaps: perBucket(num({ min: 0, integer: true })) as Schema<number[]>,
      first: perField,
      second: perField,
    },
    lenient,
  );
  return {
    check(v, path) {
      const e = base.check(v, path);
      if (e !== null) return e;
      // Columns must line up, or the chart would shift values onto wrong times.
      const f = v as HistoryFrame;
      const n = f.time.length;
      if (f.count.length !== n) return `${path}.count: expected ${n} items, got ${f.count.length}`;
      if (f.gaps.length !== n) return `${path}.gaps: expected ${n} items, got ${f.gaps.length}`;
      for (let k = 0; k < fieldCount; k++) {
        if (f.first[k]!.length !== n) return `${path}.first[${k}]: expected ${n} items, got ${f.first[k]!.length}`;
        if (f.second[k]!.length !== n) return `${path}.second[${k}]: expected ${n} items, got ${f.second[k]!.length}`;
      }
      return null;
    },
  };
}

const timelineEventSchema: Schema<TimelineEvent> = obj<TimelineEvent>(
  {
    seq: num({ min: 0, integer: true }),
    time: num({ min: 0 }),
    kind: oneOf('severity', 'source', 'diagnosis', 'monitor'),
    level: oneOf('info', 'warning', 'critical'),
    title: str({ maxLength: 1000 }),
    detail: str({ maxLength: 10_000 }),
  },
  lenient,
);

/** Schemas of every method's result (what a client checks before using an answer). */
export const RESULT_SCHEMAS: { [M in MethodName]: Schema<Result<M>> } = {
  getInfo: obj<MonitorInfo>(
    {
      contractVersion: num({ integer: true }),
      version: str({ maxLength: 100 }),
      platform: oneOf('linux', 'darwin', 'win32'),
      hostname: str({ maxLength: 1000 }),
      startedAt: num({ min: 0 }),
      paused: bool,
      history: obj({ rawPoints: num({ min: 0 }), rollupBucketMs: num({ min: 0 }), rollupWindowMs: num({ min: 0 }) }, lenient),
    },
    lenient,
  ),
  getSnapshot: obj<Snapshot>({ sample: nullable(sampleSchema), tick: nullable(tickSampleSchema) }, lenient),
  getHistory: obj<HistoryWindow>(
    { now: num({ min: 0 }), sample: frameSchema('sample', SAMPLE_FIELDS.length), tick: frameSchema('tick', TICK_FIELDS.length) },
    lenient,
  ),
  getEvents: arr(timelineEventSchema, { maxLength: 1000 }),
  getEpisodes: arr(episodeSchema, { maxLength: 1000 }),
  getNamespaces: nullable(hostSampleSchema),
  getConnections: connectionPageSchema,
  getHosts: hostListSchema,
  ...TUNING_RESULTS,
  ...HOST_LOGIN_RESULTS,
};

const pointSchema = (n: number): Schema<HistoryPoint> => {
  const base = obj<HistoryPoint>({ time: num({ min: 0 }), gap: bool, values: arr(nNum, { maxLength: n }) }, lenient);
  return {
    check(v, path) {
      const e = base.check(v, path);
      if (e !== null) return e;
      const p = v as HistoryPoint;
      if (!p.gap && p.values.length !== n) return `${path}.values: expected ${n} items, got ${p.values.length}`;
      return null;
    },
  };
};

const historyEventSchema: Schema<Events['history']> = {
  check(v, path) {
    const e = obj({ track: oneOf('sample', 'tick'), point: { check: () => null } }, lenient).check(v, path);
    if (e !== null) return e;
    const h = v as Events['history'];
    return pointSchema(h.track === 'sample' ? SAMPLE_FIELDS.length : TICK_FIELDS.length).check(h.point, `${path}.point`);
  },
};

/** Schemas of every event's payload. */
export const EVENT_SCHEMAS: { [E in EventName]: Schema<Events[E]> } = {
  sample: sampleSchema,
  tick: tickSampleSchema,
  history: historyEventSchema,
  timeline: timelineEventSchema,
  episode: episodeSchema,
  namespaces: hostSampleSchema,
  ...TUNING_EVENTS,
  ...HOST_LOGIN_EVENTS,
};

/** Checks a message sent by the monitor (a response or an event), naming the culprit field when wrong. */
export const serverMessageSchema: Schema<ServerMessage> = {
  check(v, path) {
    if (typeof v === 'object' && v !== null && !Array.isArray(v) && 'event' in v) {
      return tagged<MonitorEvent>(
        'event',
        Object.fromEntries(
          (Object.keys(EVENT_SCHEMAS) as EventName[]).map((name) => [
            name,
            obj({ event: oneOf(name), data: EVENT_SCHEMAS[name] as Schema<unknown> }, lenient) as Schema<MonitorEvent>,
          ]),
        ),
      ).check(v, path);
    }
    return obj<{ id: unknown; ok: boolean }>({ id: nullable(num({ integer: true })), ok: bool }, lenient).check(v, path);
  },
};

const requestEnvelope = obj<{ id: number; method: string; params: unknown }>({
  id: num({ min: 0, max: 2 ** 31 - 1, integer: true }),
  method: str({ maxLength: 64 }),
  params: { check: () => null },
});

/** Validates a request message entering the engine; the error names the culprit field. */
export function parseRequest(message: unknown): Validated<RequestMessage> & { id: number | null; code?: ErrorCode } {
  const env = validate(requestEnvelope, message, 'request');
  const rawId = typeof message === 'object' && message !== null ? (message as { id?: unknown }).id : undefined;
  const id = typeof rawId === 'number' && Number.isInteger(rawId) && rawId >= 0 && rawId < 2 ** 31 ? rawId : null;
  if (!env.ok) return { ...env, id, code: 'bad-request' };
  const { method, params } = env.value;
  if (!Object.prototype.hasOwnProperty.call(PARAMS_SCHEMAS, method)) {
    return {
      ok: false,
      id,
      code: 'unknown-method',
      error: `request.method: unknown method ${JSON.stringify(method)}; known: ${METHOD_NAMES.join(', ')}`,
    };
  }
  const p = validate(PARAMS_SCHEMAS[method as MethodName] as Schema<unknown>, params, 'request.params');
  if (!p.ok) return { ...p, id, code: 'bad-request' };
  return { ok: true, id, value: env.value as RequestMessage };
}

export * from './tuning-contract.js';
export * from './connections.js';
export * from './hosts.js';
export * from './host-login.js';
