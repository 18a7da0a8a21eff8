// The short sentences the tray and the notifications show: what is running out, where, and how soon.
// "10.0.3.7:5432 — 96 % of ports in use, about 4 min left". English, locale-independent numbers.
import type { DestinationUsage, Sample, SeverityOrUnknown } from '../common/model.js';
import { formatEndpoint } from '../node/engine/address.js';
import { formatCount, formatDuration, formatPercent } from '../node/engine/format.js';
import { currentFailures, errnoName, failureEndpoint, type ConnectFailure } from '../common/connect-failures.js';

/** Where the pressure is and how much of the range it takes. */
export interface PressureCause {
  /** "10.0.3.7:5432", or "all destinations" when ports held for everyone dominate. */
  where: string;
  /** "96 % of ports in use, about 4 min left". */
  what: string;
  /** The destination's stable key when the cause is one destination (for "open the app at it"). */
  destinationKey: string | null;
}

/** "nginx (pid 812) in pod web-7: 1,204 connects failed in the last minute (EADDRNOTAVAIL)" at the failed destination. */
function failureCause(sample: Sample, f: ConnectFailure): PressureCause {
  const n = f.recentCount ?? f.count;
  const dest = sample.destinations.find((d) => d.remoteAddress === f.remoteAddress && d.remotePort === f.remotePort);
  return {
    where: failureEndpoint(f),
    what: `${f.name} (pid ${f.pid})${f.place ? ` in ${f.place}` : ''}: ${formatCount(n)} ${f.syscall}${n === 1 ? '' : 's'} failed${f.recentCount === undefined ? '' : ' in the last minute'} (${errnoName(f.errno)})`,
    destinationKey: dest?.key ?? null,
  };
}

/** A headline word for each severity. */
export const SEVERITY_WORDS: Record<SeverityOrUnknown, string> = {
  unknown: 'no reading',
  ok: 'ok',
  warning: 'warning',
  critical: 'critical',
  exhausted: 'exhausted',
};

/** "about 4 min left", "no port left", or "" when no trend says it will run out. */
export function timeLeftText(utilization: number, timeToExhaustionSec: number | null): string {
  if (utilization >= 1) return 'no port left';
  if (timeToExhaustionSec === null || !Number.isFinite(timeToExhaustionSec) || timeToExhaustionSec < 0) return '';
  return `about ${formatDuration(timeToExhaustionSec)} left`;
}

/** "96 % of ports in use, about 4 min left" for one destination. */
export function destinationUseText(d: Pick<DestinationUsage, 'utilization' | 'timeToExhaustionSec'>): string {
  const left = timeLeftText(d.utilization, d.timeToExhaustionSec);
  return `${formatPercent(d.utilization)} of ports in use${left ? `, ${left}` : ''}`;
}

/**
 * What drives the sample's severity: the worst destination, or the ports held for every destination
 * (listeners, bound-only and bind()-before-connect sockets) when those take a larger share. Null when the
 * sample says nothing about ports (no range, no outbound socket).
 */
export function pressureCause(sample: Sample): PressureCause | null {
  // Connects the kernel refused are the cause whatever the table says (observed, not inferred).
  const failed = currentFailures(sample.connectFailures, sample.time)[0];
  if (failed) return failureCause(sample, failed);
  const w = sample.worst;
  const g = sample.global;
  if (g.utilization > 0 && g.utilization >= (w?.utilization ?? 0)) {
    return {
      where: 'all destinations',
      what: `${formatPercent(g.utilization)} of the range held by listening and bound sockets`,
      destinationKey: null,
    };
  }
  if (!w) return null;
  return { where: formatEndpoint(w.remoteAddress, w.remotePort), what: destinationUseText(w), destinationKey: w.key };
}

/** "10.0.3.7:5432 — 96 % of ports in use, about 4 min left", or the sample's own reason when no cause is known. */
export function pressureLine(sample: Sample): string {
  const c = pressureCause(sample);
  return c ? `${c.where} — ${c.what}` : sample.severityReason;
}
