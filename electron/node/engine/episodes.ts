// Turns the stream of samples into episodes: one starts at the first sample at warning or worse and ends
// at the first ok one; on the way it keeps its peak (highest severity, then fullest), the worst destination
// then and why. A sample that could not tell (unknown) neither starts nor ends one.
import type { Episode } from '../../common/episode.js';
import type { Sample, Severity } from '../../common/model.js';
import { formatEndpoint } from './address.js';
import { currentFailures, failureEndpoint } from '../../common/connect-failures.js';
import { severityRank } from './severity.js';

/** Longest silence after which an episode restored from disk is not resumed but closed where it was last seen. */
export const RESUME_WITHIN_MS = 5 * 60_000;

/** The utilization that made a sample what it is: the worst destination now, or its recent peak when fuller; full while the kernel refuses connects for lack of a port. */
function utilizationOf(s: Sample): number {
  if (currentFailures(s.connectFailures, s.time).length > 0) return 1;
  const now = Math.max(s.worst?.utilization ?? 0, s.global.utilization);
  const r = s.recentExhaustion;
  return r && r.capacity > 0 ? Math.max(now, r.peak / r.capacity) : now;
}

function worstOf(s: Sample): string | null {
  // Observed failures first: the destination the kernel refused is the worst, whatever the table says.
  const failed = currentFailures(s.connectFailures, s.time)[0];
  if (failed) return failureEndpoint(failed);
  const r = s.recentExhaustion;
  const recentFuller = r && r.capacity > 0 && r.peak / r.capacity > (s.worst?.utilization ?? 0);
  if (recentFuller) return formatEndpoint(r.remoteAddress, r.remotePort);
  return s.worst ? formatEndpoint(s.worst.remoteAddress, s.worst.remotePort) : null;
}

/** Follows samples and says when the current episode started, peaked higher or ended. */
export class EpisodeTracker {
  private current: Episode | null = null;
  private seq = 0;

  /** Resumes an episode left open by a previous run, unless the monitor stopped watching it too long before `now`. */
  constructor(open: Episode | null = null, now = Date.now()) {
    if (open && open.end === null) {
      if (now - open.lastSeen <= RESUME_WITHIN_MS) this.current = { ...open };
      else this.closedOnRestore = { ...open, end: open.lastSeen };
    }
  }

  /** An episode from the previous run that was closed when restoring (to be saved), or null. */
  readonly closedOnRestore: Episode | null = null;

  /** The episode going on, or null. */
  get open(): Episode | null {
    return this.current;
  }

  /** Takes one sample; returns the episode when it started, reached a new peak or ended (else null). */
  observe(s: Sample): Episode | null {
    if (s.severity === 'unknown') return null;
    const cur = this.current;
    if (s.severity === 'ok') {
      if (!cur) return null;
      this.current = null;
      return { ...cur, end: s.time, lastSeen: s.time };
    }
    const level: Exclude<Severity, 'ok'> = s.severity;
    const util = utilizationOf(s);
    if (!cur) {
      const started = Math.min(s.time, s.recentExhaustion?.time ?? s.time);
      this.current = {
        id: `${started}-${++this.seq}`,
        start: started,
        end: null,
        lastSeen: s.time,
        peakSeverity: level,
        peakTime: s.time,
        peakUtilization: util,
        worstDestination: worstOf(s),
        cause: s.severityReason,
      };
      return { ...this.current };
    }
    cur.lastSeen = s.time;
    const higher = severityRank(level) > severityRank(cur.peakSeverity) || (level === cur.peakSeverity && util > cur.peakUtilization);
    if (!higher) return null;
    Object.assign(cur, { peakSeverity: level, peakTime: s.time, peakUtilization: util, worstDestination: worstOf(s), cause: s.severityReason });
    return { ...cur };
  }
}
