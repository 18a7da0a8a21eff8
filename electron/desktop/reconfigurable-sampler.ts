// A sample source whose sampler can be replaced while the monitor service keeps running: changing the
// CPU budget or the thresholds in the settings builds a new sampler with the new options, and the
// service (its history and timeline) keeps listening to the same source.
import type { Sample, TickSample } from '../common/model.js';
import type { AnalysisConfig } from '../common/config.js';
import type { SampleSource } from '../node/service/monitor-service.js';

/** What configures a sampler. */
export interface MonitorConfig {
  /** Share of one core the monitor may use. */
  cpuBudget: number;
  analysis: AnalysisConfig;
}

/** The part of Sampler this needs (Sampler satisfies it). */
export interface SamplerLike extends SampleSource {
  start(): void;
  stop(): Promise<void>;
  pause(): void;
  resume(): void;
}

type Listener<T> = (v: T) => void;

/** A SampleSource over a sampler that configure() replaces. */
export class ReconfigurableSampler implements SampleSource {
  private current: SamplerLike;
  private unwire: () => void;
  private running = false;
  private isPaused = false;
  private lastSample: Sample | null = null;
  private readonly sampleListeners = new Set<Listener<Sample>>();
  private readonly tickListeners = new Set<Listener<TickSample>>();
  /** Serialises configure() calls so two swaps never overlap. */
  private swapping: Promise<void> = Promise.resolve();

  constructor(
    private readonly create: (config: MonitorConfig) => SamplerLike,
    config: MonitorConfig,
  ) {
    this.current = create(config);
    this.unwire = this.wire(this.current);
  }

  get paused(): boolean {
    return this.isPaused;
  }

  latest(): Sample | null {
    return this.current.latest() ?? this.lastSample;
  }

  onSample(listener: Listener<Sample>): () => void {
    this.sampleListeners.add(listener);
    return () => this.sampleListeners.delete(listener);
  }

  onTick(listener: Listener<TickSample>): () => void {
    this.tickListeners.add(listener);
    return () => this.tickListeners.delete(listener);
  }

  start(): void {
    this.running = true;
    this.isPaused = false;
    this.current.start();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.swapping;
    await this.current.stop();
  }

  pause(): void {
    if (!this.running || this.isPaused) return;
    this.isPaused = true;
    this.current.pause();
  }

  resume(): void {
    if (!this.running || !this.isPaused) return;
    this.isPaused = false;
    this.current.resume();
  }

  /** Replaces the sampler with one built for `config`; resolves once the new one runs (or waits, when paused). */
  configure(config: MonitorConfig): Promise<void> {
    this.swapping = this.swapping.then(async () => {
      const old = this.current;
      this.unwire();
      await old.stop();
      const next = this.create(config);
      this.current = next;
      this.unwire = this.wire(next);
      if (this.running) {
        next.start();
        if (this.isPaused) next.pause();
      }
    });
    return this.swapping;
  }

  private wire(s: SamplerLike): () => void {
    const offSample = s.onSample((sample) => {
      this.lastSample = sample;
      for (const l of this.sampleListeners) l(sample);
    });
    const offTick = s.onTick((tick) => {
      for (const l of this.tickListeners) l(tick);
    });
    return () => {
      offSample();
      offTick();
    };
  }
}
