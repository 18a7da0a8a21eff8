// The sampling loop: a cheap tick every second and a full sample on an adaptive schedule that keeps the
// monitor within its CPU budget. Never two full samples at once; stop() cancels, and a sample that
// finishes after stop() or pause() is dropped rather than delivered stale.
import type { Sample, SourceStatus, TickSample } from '../../common/model.js';
import type { ConnectFailure } from '../../common/connect-failures.js';
import { DEFAULT_ANALYSIS_CONFIG, type AnalysisConfig } from '../../common/config.js';
import { Analyzer } from '../engine/analyzer.js';
import type { SavedTrend } from '../engine/trend.js';
import { createBackend, loadSnapshotParser } from '../platform/index.js';
import type { Backend } from '../platform/types.js';
import type { SocketReading } from '../service/connection-list.js';
import { DEFAULT_SCHEDULE, checkCpuBudget, nextFullIntervalMs } from './schedule.js';
import { isBurst } from './burst-trigger.js';
import { SamplingStoppedError } from '../../common/errors/sampling-stopped-error.js';

export interface SamplerOptions {
  /** Share of one core the monitor may use (default 0.02). */
  cpuBudget?: number;
  /** Cheap tick period (default 1000 ms). */
  tickIntervalMs?: number;
  /** Bounds of the full-sample period (default 1 s .. 60 s). */
  minFullIntervalMs?: number;
  maxFullIntervalMs?: number;
  analysis?: AnalysisConfig;
  backend?: Backend;
  /** The kernel's own word on failed connects (Linux: the bpftrace tracer); started and stopped with the sampler. */
  connectFailures?: ConnectFailureSource | null;
}

/** A running source of observed connect() failures. Reading it never waits: both reads are copies of what it holds. */
export interface ConnectFailureSource {
  /** Starts it (returns at once; it says in status() when it cannot run). */
  start(): void;
  /** Stops it and everything it started. */
  stop(): Promise<void>;
  snapshot(): ConnectFailure[];
  status(): SourceStatus;
}

/** What a running sampler can take without being rebuilt. */
export type SamplerConfig = Pick<SamplerOptions, 'cpuBudget' | 'analysis'>;

type Listener<T> = (value: T) => void;

export class Sampler {
  private readonly backend: Backend;
  private readonly analyzer: Analyzer;
  private readonly schedule;
  private readonly tickIntervalMs: number;
  private readonly sampleListeners = new Set<Listener<Sample>>();
  private readonly tickListeners = new Set<Listener<TickSample>>();
  private latestSample: Sample | null = null;
  private latestReading: SocketReading | null = null;
  private running = false;
  private isPaused = false;
  /** Bumped on stop/pause so that results of reads started before are dropped. */
  private generation = 0;
  private tickTimer: NodeJS.Timeout | undefined;
  private fullTimer: NodeJS.Timeout | undefined;
  private inFlight: Promise<unknown> | null = null;
  private tickInFlight = false;
  private abort = new AbortController();
  private tickCpuMsPerSec = 0;
  private fullRunning = false;
  private lastFullStartedAt = -Infinity;
  private readonly connectFailures: ConnectFailureSource | null;

  constructor(opts: SamplerOptions = {}) {
    const budget = opts.cpuBudget ?? DEFAULT_SCHEDULE.cpuBudget;
    const bad = checkCpuBudget(budget);
    if (bad) throw new RangeError(bad);
    this.schedule = {
      cpuBudget: budget,
      minIntervalMs: opts.minFullIntervalMs ?? DEFAULT_SCHEDULE.minIntervalMs,
      maxIntervalMs: opts.maxFullIntervalMs ?? DEFAULT_SCHEDULE.maxIntervalMs,
    };
    this.tickIntervalMs = opts.tickIntervalMs ?? 1000;
    this.backend = opts.backend ?? createBackend();
    this.analyzer = new Analyzer(opts.analysis ?? DEFAULT_ANALYSIS_CONFIG);
    this.connectFailures = opts.connectFailures ?? null;
  }

  /**
   * Takes a new CPU budget and analysis settings while running: the next interval follows the new budget, the
   * analyzer keeps what it remembers. A bad budget changes nothing (RangeError naming it).
   */
  configure(config: SamplerConfig): void {
    const budget = config.cpuBudget ?? this.schedule.cpuBudget;
    const bad = checkCpuBudget(budget);
    if (bad) throw new RangeError(bad);
    this.schedule.cpuBudget = budget;
    if (config.analysis) this.analyzer.configure(config.analysis);
  }

  get paused(): boolean {
    return this.isPaused;
  }

  /** The analyzer's trend histories, kept across restarts by the monitor's state directory. */
  readonly trends = {
    save: (): SavedTrend[] => this.analyzer.saveTrends(),
    restore: (saved: readonly SavedTrend[], now: number): number => this.analyzer.restoreTrends(saved, now),
  };

  /** The most recent full sample, or null before the first one. */
  latest(): Sample | null {
    return this.latestSample;
  }

  /** The sockets of the latest full reading (for the connection list), or null before the first. */
  latestSockets(): SocketReading | null {
    return this.latestReading;
  }

  /** Calls listener with every full sample; returns the unsubscribe function. */
  onSample(listener: Listener<Sample>): () => void {
    this.sampleListeners.add(listener);
    return () => this.sampleListeners.delete(listener);
  }

  /** Calls listener with every cheap tick; returns the unsubscribe function. */
  onTick(listener: Listener<TickSample>): () => void {
    this.tickListeners.add(listener);
    return () => this.tickListeners.delete(listener);
  }

  /** Starts both loops (the first full sample at once); a started sampler keeps the process alive until stop(). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.isPaused = false;
    this.abort = new AbortController();
    this.connectFailures?.start();
    this.scheduleTick(0);
    this.scheduleFull(0);
  }

  /** Stops both loops and the failure tracer, cancels reads in flight and waits for them to settle. */
  async stop(): Promise<void> {
    this.running = false;
    this.halt();
    await Promise.all([this.inFlight?.catch(() => undefined), this.connectFailures?.stop()]);
    await this.backend.close?.();
  }

  pause(): void {
    if (!this.running || this.isPaused) return;
    this.isPaused = true;
    this.halt();
  }

  resume(): void {
    if (!this.running || !this.isPaused) return;
    this.isPaused = false;
    this.abort = new AbortController();
    this.scheduleTick(0);
    this.scheduleFull(0);
  }

  /** Takes one tick and one full sample now (for one-shot use such as `portwatch check`). */
  async sampleOnce(): Promise<Sample> {
    await this.tick(this.generation);
    const s = await this.full(this.generation);
    if (!s) throw new SamplingStoppedError('sampling was stopped before the sample was taken');
    return s;
  }

  private halt(): void {
    this.generation++;
    this.abort.abort();
    clearTimeout(this.tickTimer);
    clearTimeout(this.fullTimer);
  }

  private scheduleTick(delayMs: number): void {
    this.tickTimer = setTimeout(() => {
      const gen = this.generation;
      void this.tick(gen).finally(() => {
        if (this.running && !this.isPaused && gen === this.generation) this.scheduleTick(this.tickIntervalMs);
      });
    }, delayMs);
  }

  private scheduleFull(delayMs: number): void {
    clearTimeout(this.fullTimer);
    this.fullTimer = setTimeout(() => {
      const gen = this.generation;
      const started = performance.now();
      this.fullRunning = true;
      this.lastFullStartedAt = Date.now();
      const run = this.full(gen).finally(() => (this.fullRunning = false));
      this.inFlight = run;
      void run.then((s) => {
        if (!this.running || this.isPaused || gen !== this.generation) return;
        const interval = s ? nextFullIntervalMs(s.cost.cpuMs, this.tickCpuMsPerSec, this.schedule) : this.schedule.maxIntervalMs / 4;
        this.scheduleFull(Math.max(0, interval - (performance.now() - started)));
      });
    }, delayMs);
  }

  private async tick(gen: number): Promise<void> {
    if (this.tickInFlight) return; // the previous tick is stuck: skip rather than pile up
    this.tickInFlight = true;
    try {
      await this.backend.ready?.(); // as for a full sample: loading is not the tick's cost
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const tick = await this.backend.readTick(this.abort.signal);
      if (gen !== this.generation) return;
      const ts = this.analyzer.addTick(tick);
      const cpu = process.cpuUsage(cpu0);
      const cpuMs = (cpu.user + cpu.system) / 1000;
      ts.cost = { wallMs: performance.now() - t0, cpuMs };
      this.tickCpuMsPerSec = 0.8 * this.tickCpuMsPerSec + 0.2 * (cpuMs * (1000 / this.tickIntervalMs));
      this.emit(this.tickListeners, ts);
      // A burst above what the range sustains: sample now, while its TIME-WAIT timers tell the story.
      if (this.running && !this.isPaused && !this.fullRunning && isBurst(ts, this.latestSample, this.lastFullStartedAt, this.schedule.minIntervalMs)) {
        this.scheduleFull(0);
      }
    } finally {
      this.tickInFlight = false;
    }
  }

  private async full(gen: number): Promise<Sample | null> {
    // Loading the platform's code (the first time) is not the sample's cost: the schedule spaces samples by it.
    await this.backend.ready?.();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const raw = await this.backend.readAll(this.abort.signal);
    const parse = await loadSnapshotParser(raw.platform);
    if (gen !== this.generation) return null;
    const snapshot = parse(raw);
    const cpu = process.cpuUsage(cpu0);
    // The tracer's failures are a copy of what it already holds: taking them never waits on bpftrace.
    const traced = this.connectFailures ? { failures: this.connectFailures.snapshot(), status: this.connectFailures.status() } : undefined;
    const sample = this.analyzer.analyze(
      snapshot,
      {
        wallMs: performance.now() - t0,
        cpuMs: (cpu.user + cpu.system) / 1000,
      },
      traced,
    );
    // The analysis itself is part of the cost the budget must cover.
    const cpuAll = process.cpuUsage(cpu0);
    sample.cost = { wallMs: performance.now() - t0, cpuMs: (cpuAll.user + cpuAll.system) / 1000 };
    this.latestSample = sample;
    this.latestReading = { time: snapshot.time, netns: snapshot.netns, sockets: snapshot.sockets, processNames: snapshot.processNames, timeWaitSec: snapshot.kernel.timeWaitSec };
    this.emit(this.sampleListeners, sample);
    return sample;
  }

  private emit<T>(listeners: Set<Listener<T>>, value: T): void {
    for (const l of listeners) {
      try {
        l(value);
      } catch (err) {
        // A failing consumer (a closed socket, a UI bug) must not stop the monitor.
        process.emitWarning(`Portwatch listener failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
}

/** A sampler for this machine's platform. */
export function createSampler(opts: SamplerOptions = {}): Sampler {
  return new Sampler(opts);
}
