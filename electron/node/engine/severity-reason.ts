// The one sentence that says why the severity is what it is, with the numbers and the destination.
import type { AnalysisConfig } from '../../common/config.js';
import type { DestinationUsage, Severity } from '../../common/model.js';
import { formatDestination } from './address.js';
import type { Capacity } from './capacity.js';
import { formatCount, formatDuration, formatPercent } from './format.js';
import type { GlobalPressure } from './global-pressure.js';

/** What the sentence is built from. */
export interface ReasonInput {
  level: Severity;
  /** The level is held above the raw one until recovery is confirmed. */
  holding: boolean;
  config: AnalysisConfig;
  capacity: Capacity;
  worst: DestinationUsage | null;
  global: GlobalPressure | null;
  /** The soonest time to exhaustion and its destination. */
  soonest: { sec: number; dest: DestinationUsage } | null;
  /** True when the best estimate says more than the level, but rests on inference (never paged on). */
  capped?: boolean;
}

/** "127.0.0.1 → 127.0.0.1:8080: 10 of 10 usable ports in use (100 %)." and variants. */
export function severityReason(x: ReasonInput): string {
  const worstUtil = x.worst?.utilization ?? 0;
  const g = x.global;
  let s: string;
  if (g && g.utilization > 0 && g.utilization >= worstUtil) {
    const who = [g.heldExact > 0 ? 'listening and bound-only sockets' : '', g.heldInferred > 0 ? 'sockets that, by inference, were bound before connect()' : '']
      .filter(Boolean)
      .join(' and ');
    s = `${formatCount(g.exclusivelyHeld)} of ${formatCount(x.capacity.rangeSize - x.capacity.reserved)} ports are held for every destination by ${who} (${formatPercent(g.utilization)})`;
  } else if (x.worst) {
    const w = x.worst;
    s = `${formatDestination(w.localAddress, w.remoteAddress, w.remotePort)}: ${formatCount(w.blocking)} of ${formatCount(w.capacity)} usable ports in use (${formatPercent(w.utilization)})`;
  } else {
    s = `No outbound connection uses the ephemeral range (${formatCount(x.capacity.usable)} usable ports)`;
  }
  const t = x.soonest;
  if (t && t.sec > 0 && t.sec < x.config.ttlWarningSec) {
    const who = t.dest === x.worst ? 'it' : formatDestination(t.dest.localAddress, t.dest.remoteAddress, t.dest.remotePort);
    s += `; at the current pace ${who} runs out in about ${formatDuration(t.sec)}`;
  }
  if (x.capped) s += ` (held at ${x.level}: this rests on inference the kernel has not confirmed)`;
  if (x.holding) {
    const threshold = x.level === 'exhausted' ? 1 : x.level === 'critical' ? x.config.thresholds.critical : x.config.thresholds.warning;
    s += ` (staying ${x.level} until ${x.config.recoverSamples} samples in a row are below ${formatPercent(threshold - x.config.hysteresis)})`;
  }
  return `${s}.`;
}
