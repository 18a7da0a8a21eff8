// Turns parsed Snapshots into analysed Samples, keeping the little state analysis needs between
// samples: owner memory (TIME-WAIT attribution), per-destination trends, hysteresis, counter readings.
// Every piece of state is bounded.
import { DEFAULT_ANALYSIS_CONFIG, parseAnalysisConfig, type AnalysisConfig } from '../../common/config.js';
import type { Diagnosis, DestinationUsage, KernelCounters, PortBasis, PortRange, Sample, SeverityOrUnknown, SourceStatus, TickSample } from '../../common/model.js';
import { netnsInode, withConnectFailures, type ConnectFailure } from '../../common/connect-failures.js';
import { ALL_TCP_STATES, TCP_STATE, TCP_STATE_NAMES, type TcpStateName } from '../../common/tcp-state.js';
import type { Snapshot, SocketTable, Tick } from '../platform/types.js';
import { formatEndpoint } from './address.js';
import { AddressIds } from './address-ids.js';
import { aggregateTable, STATE_SLOTS, type TableAggregate } from './aggregate.js';
import { computeCapacity, invalidRangeReason, reservedPortMask, type Capacity } from './capacity.js';
import { destinationKey, destinationStates, selectTopDestinations, utilizationOf } from './destinations.js';
import { diagnose } from './diagnose.js';
import type { DestinationDetail } from './diagnosis-context.js';
import { timeToExhaustion } from './exhaustion.js';
import { assessGlobalPressure, type GlobalPressure } from './global-pressure.js';
import { attributeOwners, OwnerMemory } from './owner-memory.js';
import { summarizeOwners } from './processes.js';
import { counterRatePerSec, destinationNewPerSec, recentWindowSec, TickHistory, type CounterReading } from './rates.js';
import { SeverityHysteresis } from './severity.js';
import { confirmedByKernel, judgeLevels } from './severity-basis.js';
import { destinationBasis, newDestinationBasis, type BasisContext } from './port-basis.js';
import { buildPortModel, ownClaim, portsLeftToward, reusableTimeWaitToward, type PortModel, type PortsLeft } from './port-model.js';
import { severityReason } from './severity-reason.js';
import { DestinationTrends, fitTrend, type SavedTrend, type TrackedDestination, type TrendPoint } from './trend.js';
import { remapFirstTwo, TripleMap } from './triple-map.js';
import { holdSeconds, reuseRestsOnPeerTimestamps, twReuseApplies, twReuseDelayMs } from './tw-reuse.js';
import { RecentExhaustionMemory } from './recent-exhaustion.js';

/** What the connect-failure tracer holds when a sample is taken, and its state as a source. */
export interface TracedFailures {
  failures: readonly ConnectFailure[];
  status: SourceStatus;
}

/** What the previous sample leaves for the next one. */
interface PreviousSample {
  time: number;
  counters: KernelCounters;
  /** (local id, remote id, remote port) → destination row of that sample. */
  destinations: TripleMap;
  /** Open (non-TIME-WAIT) outbound sockets per destination row. */
  open: Uint32Array;
}

/** Analyses snapshots into samples; one instance per monitored machine (or namespace). */
export class Analyzer {
  private config: AnalysisConfig;
  private readonly addressIds = new AddressIds();
  private readonly owners: OwnerMemory;
  private readonly trends: DestinationTrends;
  private readonly hysteresis: SeverityHysteresis;
  private readonly tickHistory = new TickHistory();
  /** The latest ActiveOpens reading, from a tick or a sample. */
  private lastReading: CounterReading | null = null;
  /** The ActiveOpens reading at the start of the current window between samples. */
  private windowStart: CounterReading | null = null;
  private previous: PreviousSample | null = null;
  private compactAbove = 65_536;
  private readonly recent: RecentExhaustionMemory;

  constructor(config: AnalysisConfig = DEFAULT_ANALYSIS_CONFIG) {
    // Normalised (bad fields fall back to defaults) and copied, so later mutation of `config` changes nothing.
    this.config = parseAnalysisConfig(config).config;
    this.owners = new OwnerMemory(this.config.ownerMemory);
    this.trends = new DestinationTrends(this.config.trendWindowSec, Math.max(16, 2 * this.config.topDestinations));
    this.hysteresis = new SeverityHysteresis(this.config.recoverSamples);
    this.recent = new RecentExhaustionMemory(this.config);
  }

  /** The per-destination trend histories, to keep across a restart. */
  saveTrends(): SavedTrend[] {
    return this.trends.save();
  }

  /** Restores trend histories saved by an earlier run, so time to exhaustion needs no new warm-up. */
  restoreTrends(saved: readonly SavedTrend[], now: number): number {
    return this.trends.restore(saved, now);
  }

  /** Takes new thresholds and bounds for the samples from now on, keeping what it remembers (owners, trends, hysteresis, recent exhaustion). */
  configure(config: AnalysisConfig): void {
    this.config = parseAnalysisConfig(config).config;
    this.owners.setCapacity(this.config.ownerMemory);
    this.trends.setBounds(this.config.trendWindowSec, Math.max(16, 2 * this.config.topDestinations));
    this.hysteresis.setRecoverSamples(this.config.recoverSamples);
    this.recent.configure(this.config);
  }

  /** Turns a 1 Hz counter reading into a rate (ActiveOpens delta since the previous reading) and keeps it in a short history. */
  addTick(tick: Tick, cost?: { wallMs: number; cpuMs: number }): TickSample {
    const reading = readingOf(tick.time, tick.counters);
    const rate = counterRatePerSec(this.lastReading, reading);
    if (reading) this.noteReading(reading);
    const sample: TickSample = {
      time: tick.time,
      newConnectionsPerSec: rate,
      sockstat: tick.counters.sockstat,
      cost: cost ?? { wallMs: tick.sources.reduce((s, x) => s + (Number.isFinite(x.durationMs) ? x.durationMs : 0), 0), cpuMs: 0 },
    };
    this.tickHistory.push(sample);
    return sample;
  }

  /** Sizes of the state kept between samples (for soak tests and diagnostics; all bounded). */
  memoryStats(): { addresses: number; ownerEntries: number; trackedDestinations: number; ticks: number } {
    return { addresses: this.addressIds.size, ownerEntries: this.owners.size, trackedDestinations: this.trends.size, ticks: this.tickHistory.list().length };
  }

  /** The latest tick samples, oldest first (bounded). */
  recentTicks(): readonly TickSample[] {
    return this.tickHistory.list();
  }

  /**
   * Analyses one snapshot; updates owner memory, trends and hysteresis. Three stages: aggregate (the
   * table's columns, capacity and the port model), describe (destinations, processes, global pressure,
   * what each figure rests on), judge (severity, diagnoses, rates).
   */
  analyze(snapshot: Snapshot, cost: { wallMs: number; cpuMs: number }, traced?: TracedFailures): Sample {
    const a = this.aggregateStage(snapshot);
    const d = this.describeStage(snapshot, a);
    const j = this.judgeStage(snapshot, a, d);
    this.remember(snapshot, a.agg, d.ids);
    // Exhaustion proven between samples (TIME-WAIT timers) keeps its mark for one TIME-WAIT length.
    const sample = this.recent.apply(snapshot, assembleSample(snapshot, cost, this.config, a, d, j));
    if (!traced) return sample;
    // Failed connects the kernel reported are facts: their destinations are exhausted while they occur, no inference.
    return withConnectFailures({ ...sample, sources: [...sample.sources, traced.status] }, traced.failures, snapshot.time, netnsInode(snapshot.netns));
  }

  // Stage 1: what the table holds, the usable capacity, and who can take which port.
  private aggregateStage(snapshot: Snapshot): Aggregated {
    const kernel = snapshot.kernel;
    const prev = this.previous && snapshot.time > this.previous.time ? this.previous : null;
    const elapsedSec = prev ? (snapshot.time - prev.time) / 1000 : null;
    const windowSec = recentWindowSec(elapsedSec);
    const table = snapshot.sockets;

    let range: PortRange | null = kernel.portRange;
    let unknownReason: string | null = null;
    if (!table) unknownReason = 'No socket source could be read (see the sources for why), so nothing can be said about port use.';
    if (!range) unknownReason ??= 'The ephemeral port range could not be read, so capacity is unknown.';
    else {
      const bad = invalidRangeReason(range);
      if (bad) {
        unknownReason ??= `${capitalize(bad)}, so capacity is unknown.`;
        range = null;
      }
    }

    const agg = table ? aggregateTable(table, { range, kernel, recentWindowMs: windowSec * 1000 }) : null;
    const reservedMask = range ? reservedPortMask(range, kernel.reservedPorts) : null;
    const capacity = range && reservedMask ? computeCapacity(range, reservedMask, agg?.heldPorts ?? null) : null;
    const model =
      table && agg && range && reservedMask
        ? buildPortModel({
            range,
            reservedMask,
            heldPorts: agg.heldPorts,
            table,
            destOf: agg.destOf,
            destCount: agg.dest.count,
            blocks: agg.blocks,
            boundOnlyByPid: agg.boundOnlyByPid,
          })
        : null;
    return { table, range, unknownReason, agg, reservedMask, capacity, model, prev, elapsedSec, windowSec };
  }

  // Stage 2: the listed destinations, processes and global pressure, each with what it rests on.
  private describeStage(snapshot: Snapshot, a: Aggregated): Described {
    const cfg = this.config;
    const { table, agg, capacity, model } = a;
    const ids = table && agg ? this.stableIds(table, agg, snapshot.netns) : null;
    const ownersOf = table && agg && ids ? attributeOwners(table, agg, ids.local, ids.remote, this.owners, snapshot.processNames) : null;
    const listed = agg && capacity && model ? selectTopDestinations(agg.dest, cfg.topDestinations, (d) => ownClaim(model, d)) : [];
    const nameOf = (pid: number) => snapshot.processNames.get(pid) ?? this.owners.nameOf(pid) ?? '';
    const summary =
      table && agg && ownersOf
        ? summarizeOwners(table, agg, ownersOf, nameOf, cfg.topProcesses, listed, (d) =>
            formatEndpoint(table.addrs[agg.dest.remoteAddr[d]!] ?? '', agg.dest.remotePort[d]!),
          )
        : { processes: [], destinationProcesses: [] };

    const details: DestinationDetail[] = [];
    if (table && agg && capacity && ids && model) {
      const basis: BasisContext = { model, nameOf };
      listed.forEach((d, k) => {
        // Reusable TIME-WAIT counts as free only if the peer echoed timestamps (certain on loopback).
        const uncertain = reuseRestsOnPeerTimestamps(table.addrs[agg.dest.localAddr[d]!] ?? '', table.addrs[agg.dest.remoteAddr[d]!] ?? '');
        const left = portsLeftToward(model, d, !uncertain);
        const reuse = { reusableTimeWait: uncertain ? reusableTimeWaitToward(model, d) : 0, reuseDelayMs: twReuseDelayMs(snapshot.kernel) };
        details.push(
          this.describeDestination(snapshot, table, agg, left, destinationBasis(basis, left, reuse), ids, a.prev, d, a.windowSec, a.elapsedSec, summary.destinationProcesses[k] ?? []),
        );
      });
      this.recordUnlistedTrends(snapshot, agg, ids, details);
    }
    this.trends.prune(snapshot.time);

    const global: GlobalPressure | null =
      agg && model
        ? assessGlobalPressure({
            model,
            destinations: agg.dest.count,
            outboundSockets: agg.outbound,
            distinctOutboundPorts: agg.distinctOutboundPorts,
            boundOnlyInRange: agg.boundOnlyInRange,
          })
        : null;
    const newDestination = global && model ? newDestinationBasis({ model, nameOf }, global.newDestination) : null;
    return { ids, details, summary, nameOf, global, newDestination };
  }

  // Stage 3: severity (never above warning on inference alone), diagnoses and rates.
  private judgeStage(snapshot: Snapshot, a: Aggregated, d: Described): Judged {
    const cfg = this.config;
    const kernel = snapshot.kernel;
    const { capacity, agg, range } = a;
    const { details, global } = d;
    const destinations = details.map((x) => x.usage);
    const confirmed = confirmedByKernel(snapshot.counters, snapshot.time);
    // Each destination's own level, so the dashboard colours by the user's thresholds, not the defaults;
    // like the overall level, what rests on inference says warning at most.
    for (const u of destinations) {
      u.severity = judgeLevels([u], null, u.timeToExhaustionSec === null ? null : { sec: u.timeToExhaustionSec, dest: u }, cfg, confirmed).raw;
    }
    const worst = destinations[0] ?? null;

    let soonest: { sec: number; dest: DestinationUsage } | null = null;
    for (const u of destinations) {
      if (u.timeToExhaustionSec !== null && (!soonest || u.timeToExhaustionSec < soonest.sec)) soonest = { sec: u.timeToExhaustionSec, dest: u };
    }
    let severity: SeverityOrUnknown = 'unknown';
    let rawLevel: SeverityOrUnknown = 'unknown';
    let severityReasonText = a.unknownReason ?? '';
    if (a.unknownReason === null && capacity) {
      const levels = judgeLevels(destinations, global, soonest, cfg, confirmed);
      const step = this.hysteresis.update(levels.raw, levels.lowered);
      severity = step.level;
      severityReasonText = severityReason({ level: step.level, holding: step.holding, config: cfg, capacity, worst, global, soonest, capped: levels.capped });
      rawLevel = levels.raw;
    } else {
      this.hysteresis.reset();
    }

    const diagnoses = diagnose({
      platform: snapshot.platform,
      kernel,
      config: cfg,
      range,
      capacity,
      destinations: details,
      global,
      heldPorts: agg ? portsOf(agg.heldPorts, 0, 65535) : [],
      listenersInRange: agg && range ? portsOf(agg.listenPorts, range.low, range.high) : [],
      closeWait: closeWaitOwners(agg, d.nameOf),
      level: rawLevel,
      counters: snapshot.counters,
      previousCounters: a.prev?.counters ?? null,
      elapsedSec: a.elapsedSec,
      time: snapshot.time,
    });

    // Overall rate of new outbound connections: ActiveOpens over the window since the previous sample.
    const reading = readingOf(snapshot.time, snapshot.counters);
    if (reading) this.noteReading(reading);
    const current = reading ?? (this.lastReading && this.lastReading.time > (this.windowStart?.time ?? -Infinity) ? this.lastReading : null);
    const newConnectionsPerSec = counterRatePerSec(this.windowStart, current);
    this.windowStart = current ?? this.lastReading;

    const holdSec = worst ? details[0]!.holdSec : holdSeconds(kernel, twReuseApplies(kernel, false));
    const fresh = global?.newDestination.best ?? capacity?.usable ?? null;
    const sustainable = capacity && fresh !== null ? (worst ? worst.capacity : fresh) / holdSec : null;
    // Headroom is the sustainable rate less the worst destination's: without the socket table that
    // destination is unknown, so the headroom is too (the sustainable rate is then a ceiling).
    const headroom = sustainable === null || !a.table ? null : worst ? (worst.newPerSec === null ? null : sustainable - worst.newPerSec) : sustainable;

    return {
      severity,
      severityReason: severityReasonText,
      destinations,
      worst,
      soonest,
      diagnoses,
      rates: { newConnectionsPerSec, holdSec, sustainablePerDestinationPerSec: sustainable, headroomPerSec: headroom },
    };
  }

  // Stable address ids of every destination row, and the rows indexed by those ids.
  private stableIds(table: SocketTable, agg: TableAggregate, netns: string): StableIds {
    const n = agg.dest.count;
    const local = new Uint32Array(n);
    const remote = new Uint32Array(n);
    const index = new TripleMap(n);
    const cache = new Int32Array(table.addrs.length).fill(-1);
    const idOf = (a: number) => {
      if (cache[a]! < 0) cache[a] = this.addressIds.intern(netns, table.addrs[a] ?? '');
      return cache[a]!;
    };
    for (let d = 0; d < n; d++) {
      local[d] = idOf(agg.dest.localAddr[d]!);
      remote[d] = idOf(agg.dest.remoteAddr[d]!);
      index.set(local[d]!, remote[d]!, agg.dest.remotePort[d]!, d);
    }
    return { local, remote, index };
  }

  private describeDestination(
    snapshot: Snapshot,
    table: SocketTable,
    agg: TableAggregate,
    left: PortsLeft,
    basis: PortBasis,
    ids: StableIds,
    prev: PreviousSample | null,
    d: number,
    windowSec: number,
    elapsedSec: number | null,
    processes: { pid: number; name: string; sockets: number }[],
  ): DestinationDetail {
    const cfg = this.config;
    const dest = agg.dest;
    const localAddress = table.addrs[dest.localAddr[d]!] ?? '';
    const remoteAddress = table.addrs[dest.remoteAddr[d]!] ?? '';
    const remotePort = dest.remotePort[d]!;
    const key = destinationKey(snapshot.netns, localAddress, remoteAddress, remotePort);
    const reuse = dest.reuse[d] === 1;
    const holdSec = holdSeconds(snapshot.kernel, reuse);
    const inUse = dest.inUse[d]!;
    const blocking = inUse - dest.reusableTimeWait[d]!;
    // Capacity toward it: the ports left plus those its own blocking sockets take.
    const usable = left.best + blocking;
    const timeWait = dest.states[d * STATE_SLOTS + TCP_STATE.TIME_WAIT]!;
    const established = dest.states[d * STATE_SLOTS + TCP_STATE.ESTABLISHED]!;
    const open = inUse - timeWait;

    let openGrowth: number | null = null;
    if (prev) {
      const p = prev.destinations.get(ids.local[d]!, ids.remote[d]!, remotePort);
      openGrowth = open - (p >= 0 ? prev.open[p]! : 0);
    }
    const newPerSec = destinationNewPerSec({
      recentTimeWait: dest.recentTimeWait[d]!,
      unknownAgeTimeWait: dest.unknownAgeTimeWait[d]!,
      openGrowth,
      windowSec,
      elapsedSec,
    });
    const sustainablePerSec = usable / holdSec;

    const tracked: TrackedDestination = { key, localAddr: localAddress, remoteAddr: remoteAddress, remotePort };
    this.trends.record(tracked, { time: snapshot.time, blocking, established }, true);
    const points = this.trends.points(key);
    const tte = timeToExhaustion({
      usable,
      blocking,
      newPerSec,
      sustainablePerSec,
      holdSec,
      trend: fitTrend(points, 'blocking', snapshot.time, cfg.trendWindowSec),
      trendWindowSec: cfg.trendWindowSec,
    });

    return {
      usage: {
        key,
        netns: snapshot.netns,
        localAddress,
        remoteAddress,
        remotePort,
        inUse,
        blocking,
        capacity: usable,
        utilization: utilizationOf(blocking, usable),
        states: destinationStates(dest, d),
        newPerSec,
        sustainablePerSec,
        timeToExhaustionSec: tte,
        processes,
        basis,
      },
      reuse,
      holdSec,
      establishedTrend: fitTrend(points, 'established', snapshot.time, cfg.trendWindowSec),
    };
  }

  // Tracked destinations that are not listed this time still get a point (zero when they are gone),
  // so that a destination dropping out of the list does not keep a stale trend.
  private recordUnlistedTrends(snapshot: Snapshot, agg: TableAggregate, ids: StableIds, listed: readonly DestinationDetail[]): void {
    const listedKeys = new Set(listed.map((x) => x.usage.key));
    for (const t of this.trends.tracked()) {
      if (listedKeys.has(t.key)) continue;
      const l = this.addressIds.peek(snapshot.netns, t.localAddr);
      const r = this.addressIds.peek(snapshot.netns, t.remoteAddr);
      const d = l >= 0 && r >= 0 ? ids.index.get(l, r, t.remotePort) : -1;
      const point: TrendPoint =
        d >= 0
          ? {
              time: snapshot.time,
              blocking: agg.dest.inUse[d]! - agg.dest.reusableTimeWait[d]!,
              established: agg.dest.states[d * STATE_SLOTS + TCP_STATE.ESTABLISHED]!,
            }
          : { time: snapshot.time, blocking: 0, established: 0 };
      this.trends.record(t, point, false);
    }
  }

  private noteReading(r: CounterReading): void {
    if (!this.lastReading || r.time > this.lastReading.time) this.lastReading = r;
    this.windowStart ??= r;
  }

  // Keeps what the next sample compares against, and compacts address ids when they have doubled.
  // A sample without sockets leaves the previous one in place: the next sample then compares with the
  // last one that had sockets, over the longer interval.
  private remember(snapshot: Snapshot, agg: TableAggregate | null, ids: StableIds | null): void {
    if (!agg || !ids) return;
    const open = new Uint32Array(agg.dest.count);
    for (let d = 0; d < agg.dest.count; d++) open[d] = agg.dest.inUse[d]! - agg.dest.states[d * STATE_SLOTS + TCP_STATE.TIME_WAIT]!;
    this.previous = { time: snapshot.time, counters: snapshot.counters, destinations: ids.index, open };
    if (this.addressIds.size > this.compactAbove) {
      const keep = new Uint8Array(this.addressIds.size);
      this.owners.markAddressIds(keep);
      this.previous.destinations.forEach((a, b) => {
        keep[a] = 1;
        keep[b] = 1;
      });
      const oldToNew = this.addressIds.compact(keep);
      this.owners.remapAddresses(oldToNew);
      this.previous.destinations = remapFirstTwo(this.previous.destinations, oldToNew);
      this.compactAbove = Math.max(65_536, 2 * this.addressIds.size);
    }
  }
}

/** Stage 1's result: the table's aggregate, capacity and port model (null parts when unknown). */
interface Aggregated {
  table: SocketTable | null;
  /** The valid range, or null. */
  range: PortRange | null;
  /** Why nothing can be judged, or null. */
  unknownReason: string | null;
  agg: TableAggregate | null;
  reservedMask: Uint8Array | null;
  capacity: Capacity | null;
  model: PortModel | null;
  prev: PreviousSample | null;
  elapsedSec: number | null;
  windowSec: number;
}

/** Stage 2's result. */
interface Described {
  ids: StableIds | null;
  details: DestinationDetail[];
  summary: { processes: Sample['processes']; destinationProcesses: { pid: number; name: string; sockets: number }[][] };
  nameOf: (pid: number) => string;
  global: GlobalPressure | null;
  newDestination: PortBasis | null;
}

/** Stage 3's result. */
interface Judged {
  severity: SeverityOrUnknown;
  severityReason: string;
  destinations: DestinationUsage[];
  worst: DestinationUsage | null;
  soonest: { sec: number; dest: DestinationUsage } | null;
  diagnoses: Diagnosis[];
  rates: Sample['rates'];
}

function assembleSample(snapshot: Snapshot, cost: { wallMs: number; cpuMs: number }, cfg: AnalysisConfig, a: Aggregated, d: Described, j: Judged): Sample {
  const { capacity, agg } = a;
  const global = d.global;
  return {
    schema: 1,
    time: snapshot.time,
    platform: snapshot.platform,
    hostname: snapshot.hostname,
    severity: j.severity,
    severityReason: j.severityReason,
    thresholds: { warning: cfg.thresholds.warning, critical: cfg.thresholds.critical },
    kernel: snapshot.kernel,
    capacity: {
      rangeSize: capacity?.rangeSize ?? null,
      reserved: capacity?.reserved ?? 0,
      heldByListeners: capacity?.heldByListeners ?? 0,
      usable: capacity?.usable ?? null,
    },
    states: stateRecord(agg),
    totalSockets: a.table?.count ?? 0,
    socketTableRead: a.table !== null,
    worst: j.worst,
    destinations: j.destinations,
    destinationCount: agg?.dest.count ?? 0,
    global: {
      distinctPortsInUse: global?.distinctPortsInUse ?? 0,
      exclusivelyHeld: global?.exclusivelyHeld ?? capacity?.heldByListeners ?? 0,
      utilization: global?.utilization ?? 0,
      bindBeforeConnectEvidence: global?.bindBeforeConnectEvidence ?? false,
    },
    ...(d.newDestination ? { newDestination: d.newDestination } : {}),
    processes: d.summary.processes,
    rates: j.rates,
    timeToExhaustionSec: j.soonest?.sec ?? null,
    diagnoses: j.diagnoses,
    counters: snapshot.counters,
    sources: snapshot.sources,
    cost,
  };
}

interface StableIds {
  local: Uint32Array;
  remote: Uint32Array;
  /** (local id, remote id, remote port) → destination row. */
  index: TripleMap;
}

function readingOf(time: number, counters: KernelCounters): CounterReading | null {
  const v = counters.activeOpens;
  return v !== null && Number.isFinite(v) && Number.isFinite(time) ? { time, value: v } : null;
}

function stateRecord(agg: TableAggregate | null): Record<TcpStateName, number> {
  const out = Object.fromEntries(ALL_TCP_STATES.map((s) => [s, 0])) as Record<TcpStateName, number>;
  if (!agg) return out;
  for (let s = 0; s < STATE_SLOTS; s++) {
    const name = TCP_STATE_NAMES[s];
    if (name) out[name] = agg.stateCounts[s]!;
  }
  return out;
}

function portsOf(mask: Uint8Array, low: number, high: number): number[] {
  const out: number[] = [];
  for (let p = low; p <= high; p++) if (mask[p]) out.push(p);
  return out;
}

function closeWaitOwners(agg: TableAggregate | null, nameOf: (pid: number) => string): { total: number; owners: { pid: number; name: string; sockets: number }[] } {
  if (!agg) return { total: 0, owners: [] };
  let total = 0;
  const owners: { pid: number; name: string; sockets: number }[] = [];
  for (const [pid, n] of agg.closeWaitByPid) {
    total += n;
    if (pid > 0) owners.push({ pid, name: nameOf(pid), sockets: n });
  }
  owners.sort((a, b) => b.sockets - a.sockets || a.pid - b.pid);
  return { total, owners };
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
