// What every diagnosis reads: the analysed sample so far plus the details the Sample does not carry.
import type { AnalysisConfig } from '../../common/config.js';
import type { DestinationUsage, KernelCounters, KernelSettings, PlatformName, PortRange, Severity } from '../../common/model.js';
import type { Capacity } from './capacity.js';
import type { GlobalPressure } from './global-pressure.js';
import type { TrendFit } from './trend.js';

/** One listed destination with what the diagnoses need beyond DestinationUsage. */
export interface DestinationDetail {
  usage: DestinationUsage;
  /** tcp_tw_reuse applies to new outgoing connections toward it. */
  reuse: boolean;
  /** Seconds a closed connection holds a port toward it. */
  holdSec: number;
  /** Fit of its ESTABLISHED count over the trend window. */
  establishedTrend: TrendFit | null;
}

/** Input of every diagnosis. */
export interface DiagnosisContext {
  platform: PlatformName;
  kernel: KernelSettings;
  config: AnalysisConfig;
  /** The valid ephemeral range, or null when unknown. */
  range: PortRange | null;
  capacity: Capacity | null;
  /** Listed destinations, worst first. */
  destinations: DestinationDetail[];
  global: GlobalPressure | null;
  /** Ports held by listening or bound-only sockets (anywhere), ascending. */
  heldPorts: readonly number[];
  /** Listening ports inside the range, ascending. */
  listenersInRange: readonly number[];
  closeWait: { total: number; owners: { pid: number; name: string; sockets: number }[] };
  /** This sample's level before hysteresis ('unknown' without range or sockets). */
  level: Severity | 'unknown';
  counters: KernelCounters;
  /** Counters of the previous sample, for deltas (null on the first sample). */
  previousCounters: KernelCounters | null;
  /** Seconds since the previous sample (null on the first). */
  elapsedSec: number | null;
  /** Epoch ms of this sample. */
  time: number;
}
