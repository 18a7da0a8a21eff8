// When to show an OS notification. The policy remembers what the user was last told and notifies when
// the severity climbs above it or comes back to ok from warning or worse. Notifications that cannot be
// shown now (rate limit, quiet hours, mute, notifications off) are not lost but folded: the next chance
// tells the state as it is then, and nothing when it went back to what the user already knows.
import { SEVERITY_ORDER, type Sample, type Severity, type SeverityOrUnknown } from '../common/model.js';
import { inQuietHours, parseClock } from './quiet-hours.js';
import type { NotificationSettings } from './settings.js';
import { pressureCause, pressureLine } from './severity-text.js';
import { currentFailures, failureEndpoint } from '../common/connect-failures.js';

/** A notification to show. */
export interface NotificationDraft {
  /** failures: connects started failing toward a destination the user was not yet told about (observed by the kernel). */
  kind: 'upward' | 'recovery' | 'failures';
  severity: Severity;
  title: string;
  /** What and where: "10.0.3.7:5432 — 96 % of ports in use, about 4 min left". */
  body: string;
  /** The destination to open the app at when clicked, or null for the overview. */
  destinationKey: string | null;
}

/** Why nothing was shown for a change worth telling (for logs and tests). */
export type Deferral = 'disabled' | 'muted' | 'quiet-hours' | 'rate-limited';

/** The outcome of observing one sample. */
export type PolicyDecision = { show: NotificationDraft } | { defer: Deferral } | { nothing: true };

const rank = (s: SeverityOrUnknown): number => SEVERITY_ORDER.indexOf(s);

const TITLES: Record<Severity, string> = {
  ok: 'Portwatch: back to normal',
  warning: 'Portwatch: ephemeral ports filling up',
  critical: 'Portwatch: ephemeral ports nearly exhausted',
  exhausted: 'Portwatch: ephemeral ports exhausted',
};

/** Failing destinations remembered as told, at most (the tracer reports at most 1,000 keys). */
const TOLD_FAILURES_KEPT = 1000;

/** Decides, sample by sample, what to notify. */
export class NotificationPolicy {
  /** What the user was last told (or would assume at start: all is well). */
  private told: Severity = 'ok';
  private lastShownAt = Number.NEGATIVE_INFINITY;
  /** Destinations whose failed connects the user was told about, while they go on failing. */
  private readonly toldFailures = new Set<string>();

  /** What the user last heard. */
  get lastTold(): Severity {
    return this.told;
  }

  /** Observes one sample at `now` (epoch ms) with local time `minuteOfDay`; returns what to do. */
  observe(sample: Sample, settings: NotificationSettings, now: number, minuteOfDay: number): PolicyDecision {
    const current = sample.severity;
    if (current === 'unknown') return { nothing: true }; // no reading is not news
    // Destinations failing now that the user has not heard of: news even at a level already told.
    const failing = currentFailures(sample.connectFailures, sample.time).map(failureEndpoint);
    for (const t of this.toldFailures) if (!failing.includes(t)) this.toldFailures.delete(t);
    const newlyFailing = failing.filter((d) => !this.toldFailures.has(d));
    let kind: NotificationDraft['kind'] | null = null;
    if (current !== 'ok' && rank(current) > rank(this.told)) kind = 'upward';
    else if (newlyFailing.length > 0) kind = 'failures';
    else if (current === 'ok' && this.told !== 'ok') kind = 'recovery';
    else if (rank(current) < rank(this.told)) this.told = current; // eased but not recovered: a climb back is news again
    if (kind === null) return { nothing: true };

    const deferral = this.deferral(settings, now, minuteOfDay);
    if (deferral) return { defer: deferral };
    this.told = current;
    this.lastShownAt = now;
    for (const d of failing) if (this.toldFailures.size < TOLD_FAILURES_KEPT) this.toldFailures.add(d);
    return { show: draftFor(kind, current, sample) };
  }

  private deferral(s: NotificationSettings, now: number, minuteOfDay: number): Deferral | null {
    if (!s.enabled) return 'disabled';
    if (s.mutedUntil !== null && now < s.mutedUntil) return 'muted';
    if (s.quietHours.enabled) {
      const start = parseClock(s.quietHours.start);
      const end = parseClock(s.quietHours.end);
      if (start !== null && end !== null && inQuietHours(minuteOfDay, start, end)) return 'quiet-hours';
    }
    if (now - this.lastShownAt < s.minIntervalSec * 1000) return 'rate-limited';
    return null;
  }
}

function draftFor(kind: NotificationDraft['kind'], severity: Severity, sample: Sample): NotificationDraft {
  const cause = pressureCause(sample);
  const body = kind === 'recovery' && !cause ? 'No destination is close to running out of ephemeral ports.' : pressureLine(sample);
  const title = kind === 'failures' ? 'Portwatch: connects failing for lack of a port' : TITLES[severity];
  return { kind, severity, title, body, destinationKey: cause?.destinationKey ?? null };
}
