// Exhaustion that happened between samples: from the TIME-WAIT timers (recent-holds.ts), the fullest
// moment of each destination in the last TIME-WAIT length; the worst one is remembered for that long, so a
// burst that filled the range and ended before the sample is reported ("exhausted 14 s ago: …") and keeps
// the severity up for a minute: a monitoring plugin polled every minute must not miss it.
import type { AnalysisConfig } from '../../common/config.js';
import type { Sample, Severity } from '../../common/model.js';
import type { RecentExhaustion } from '../../common/recent-exhaustion.js';
import type { Snapshot } from '../platform/types.js';
import { formatEndpoint, isLoopbackAddress } from './address.js';
import { destinationKey } from './destinations.js';
import { formatCount, formatDuration, formatRate } from './format.js';
import { closesByDestination, peakHolds } from './recent-holds.js';
import { maxSeverity, severityRank } from './severity.js';
import { holdSeconds, reuseRestsOnPeerTimestamps, twReuseApplies } from './tw-reuse.js';

/**
 * Timer resolution allowed for each close time (/proc/net/tcp counts in 10 ms clock ticks; netlink in
 * jiffies). The hold is shortened by twice this, so the count stays a lower bound.
 */
const TIMER_RESOLUTION_MS = 10;

/** The worst destination of one snapshot's TIME-WAIT timers, or null when none held a port. */
export function assessRecentHolds(snapshot: Snapshot, sample: Sample): RecentExhaustion | null {
  const t = snapshot.sockets;
  const range = snapshot.kernel.portRange;
  const usable = sample.capacity.usable;
  if (!t || !range || usable === null || usable <= 0) return null;
  const kernel = snapshot.kernel;
  const timeWaitMs = holdSeconds(kernel, false) * 1000;
  const capacityByKey = new Map(sample.destinations.map((d) => [d.key, d.capacity]));
  let worst: RecentExhaustion | null = null;
  for (const g of closesByDestination(t, range, snapshot.time, timeWaitMs)) {
    const localAddress = t.addrs[g.localAddr] ?? '';
    const remoteAddress = t.addrs[g.remoteAddr] ?? '';
    const key = destinationKey(snapshot.netns, localAddress, remoteAddress, g.remotePort);
    const capacity = capacityByKey.get(key) ?? usable;
    const reuse = twReuseApplies(kernel, isLoopbackAddress(localAddress) || isLoopbackAddress(remoteAddress));
    const holdSec = holdSeconds(kernel, reuse);
    const peak = peakHolds(g.closes, holdSec * 1000 - 2 * TIMER_RESOLUTION_MS, capacity);
    if (!peak) continue;
    const found: RecentExhaustion = {
      key,
      localAddress,
      remoteAddress,
      remotePort: g.remotePort,
      time: peak.reachedCapacityAt ?? peak.time,
      peak: peak.peak,
      capacity,
      exhausted: peak.peak >= capacity,
      closes: peak.peak,
      closeSpanSec: (peak.lastClose - peak.firstClose) / 1000,
      holdSec,
      reuse,
      sustainablePerSec: capacity / holdSec,
      basis: reuse && kernel.twReuseDelayMs === null ? 'timers-approximate-delay' : 'timers',
    };
    if (!worst || worse(found, worst)) worst = found;
  }
  return worst;
}

/** True when a is the more telling finding: exhaustion over a mere peak, then fuller, then more recent. */
export function worse(a: RecentExhaustion, b: RecentExhaustion): boolean {
  if (a.exhausted !== b.exhausted) return a.exhausted;
  if (a.exhausted) return a.time > b.time;
  const ra = a.peak / a.capacity;
  const rb = b.peak / b.capacity;
  return ra !== rb ? ra > rb : a.time > b.time;
}

/**
 * The level a recent peak justifies: a proven exhaustion is critical; a peak at or above the warning
 * threshold, or an exhaustion resting on an approximate reuse delay, is a warning (never page on a guess).
 */
export function recentSeverity(r: RecentExhaustion, cfg: AnalysisConfig): Severity {
  if (r.exhausted && r.basis === 'timers') return 'critical';
  if (r.peak / r.capacity >= cfg.thresholds.warning) return 'warning';
  return 'ok';
}

/** "Exhausted 14 s ago toward 127.0.0.1:8080: 200 of 200 ports, 200 connections closed within 0.4 s, above the 200/s that 1 s reuse sustains." */
export function describeRecentExhaustion(r: RecentExhaustion, now: number): string {
  const ago = formatDuration(Math.max(0, (now - r.time) / 1000));
  const toward = formatEndpoint(r.remoteAddress, r.remotePort);
  const head = r.exhausted ? `Exhausted ${ago} ago toward ${toward}` : `Peaked ${ago} ago toward ${toward}`;
  const span = r.closeSpanSec < 10 ? `${Math.round(r.closeSpanSec * 10) / 10} s` : formatDuration(r.closeSpanSec);
  let text = `${head}: ${formatCount(r.peak)} of ${formatCount(r.capacity)} ports held at once, ${formatCount(r.closes)} connections closed within ${span}`;
  const holder = r.reuse ? `${formatHold(r.holdSec)} reuse` : `the ${formatHold(r.holdSec)} TIME-WAIT`;
  const rate = r.closeSpanSec > 0 ? r.closes / r.closeSpanSec : Infinity;
  if (rate > r.sustainablePerSec) text += `, above the ${formatRate(r.sustainablePerSec)} that ${holder} sustains`;
  text += '.';
  if (r.basis === 'timers-approximate-delay') text += ' This kernel has no tcp_tw_reuse_delay; its reuse delay is up to 1 s, so this is an estimate.';
  // Reuse takes a TIME-WAIT only if its connection used timestamps: held longer otherwise, never shorter.
  if (r.reuse && reuseRestsOnPeerTimestamps(r.localAddress, r.remoteAddress)) {
    text += ' Reuse needs the peer to echo TCP timestamps; if it does not, each port stayed held for the whole TIME-WAIT, so at least this many were held at once.';
  }
  return text;
}

function formatHold(sec: number): string {
  return sec < 10 ? `${Math.round(sec * 1000) / 1000} s` : formatDuration(sec);
}

/** Remembers the worst recent finding for one TIME-WAIT length and puts it on every sample meanwhile. */
export class RecentExhaustionMemory {
  private remembered: RecentExhaustion | null = null;

  constructor(private config: AnalysisConfig) {}

  /** Takes new thresholds for the samples from now on, keeping the remembered finding. */
  configure(config: AnalysisConfig): void {
    this.config = config;
  }

  /** Adds `recentExhaustion` to the sample and raises its severity (with the reason) while the finding is recent. */
  apply(snapshot: Snapshot, sample: Sample): Sample {
    const windowMs = holdSeconds(snapshot.kernel, false) * 1000;
    if (this.remembered && sample.time - this.remembered.time > windowMs) this.remembered = null;
    const found = assessRecentHolds(snapshot, sample);
    if (found && recentSeverity(found, this.config) !== 'ok' && (!this.remembered || worse(found, this.remembered))) this.remembered = found;
    const r = this.remembered;
    sample.recentExhaustion = r;
    if (!r || sample.severity === 'unknown') return sample;
    const level = recentSeverity(r, this.config);
    if (severityRank(level) > severityRank(sample.severity)) {
      const now = sample.severityReason;
      sample.severity = maxSeverity(sample.severity, level);
      sample.severityReason = `${describeRecentExhaustion(r, sample.time)}${now ? ` Now: ${now}` : ''}`;
    }
    return sample;
  }
}
