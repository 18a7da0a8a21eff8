// What the desktop app needs from its monitor, wherever it runs (in the main process or in a utility
// process): the contract endpoint the window talks to, and the controls the tray and settings use.
import type { MonitorEndpoint } from '../common/contract.js';
import type { MonitorConfig } from './monitor-config.js';

/** A running monitor as the desktop app drives it. */
export interface MonitorControl {
  /** The contract: what the IPC chokepoint forwards validated requests to, and the source of events. */
  readonly endpoint: MonitorEndpoint;
  readonly paused: boolean;
  /** Pauses sampling (the history shows a gap with this reason). */
  pause(reason: string): void;
  resume(): void;
  /** Applies a new CPU budget and analysis configuration. */
  configure(config: MonitorConfig): void;
  /** Calls listener with a problem of the monitor itself (its process died), or null when it is fine again. */
  onProblem(listener: (problem: string | null) => void): () => void;
  /** Stops sampling and releases everything. */
  close(): Promise<void>;
}
