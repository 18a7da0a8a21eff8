// What the desktop app's settings change in a running monitor, and the part of the sampler that takes it.
import type { AnalysisConfig } from '../common/config.js';
import type { SampleSource } from '../node/service/monitor-service.js';

/** What configures a sampler. */
export interface MonitorConfig {
  /** Share of one core the monitor may use. */
  cpuBudget: number;
  analysis: AnalysisConfig;
  /** Watch every network namespace of the host: true, false, or null (automatic; see namespace-alerts.ts). Absent: null. */
  allNamespaces?: boolean | null;
}

/** The part of Sampler the desktop monitor needs (Sampler satisfies it). */
export interface SamplerLike extends SampleSource {
  start(): void;
  stop(): Promise<void>;
  pause(): void;
  resume(): void;
  /** Takes new settings while running, keeping what the analysis remembers; throws and changes nothing on a bad one. */
  configure(config: MonitorConfig): void;
}
