// Turns consecutive samples into timeline events: severity changes, sources degraded or recovered,
// diagnoses appearing or clearing. Pure: it only compares a sample with the one before.
import type { Sample, SourceStatus } from '../../common/model.js';
import { SEVERITY_ORDER } from '../../common/model.js';
import type { TimelineEvent } from '../../common/contract.js';

/** A timeline event before the service numbers it. */
export type TimelineDraft = Omit<TimelineEvent, 'seq'>;

const healthy = (s: SourceStatus['status']): boolean => s === 'ok' || s === 'unsupported';

/** Remembers the previous sample and reports what changed. */
export class TimelineDeriver {
  private prev: Sample | null = null;

  /** The events that the step from the previous sample to `s` produces. */
  observe(s: Sample): TimelineDraft[] {
    const prev = this.prev;
    this.prev = s;
    const out: TimelineDraft[] = [];
    const prevSeverity = prev?.severity ?? 'unknown';
    if (s.severity !== prevSeverity && !(prev === null && s.severity === 'ok')) {
      const worse = SEVERITY_ORDER.indexOf(s.severity) > SEVERITY_ORDER.indexOf(prevSeverity);
      out.push({
        time: s.time,
        kind: 'severity',
        level: s.severity === 'critical' || s.severity === 'exhausted' ? 'critical' : s.severity === 'warning' ? 'warning' : 'info',
        title: `Severity ${worse ? 'rose' : 'fell'} from ${prevSeverity} to ${s.severity}`,
        detail: s.severityReason,
      });
    }
    const before = new Map((prev?.sources ?? []).map((x) => [x.name, x]));
    for (const src of s.sources) {
      const was = before.get(src.name);
      const wasHealthy = was ? healthy(was.status) : true;
      if (wasHealthy && !healthy(src.status)) {
        out.push({
          time: s.time,
          kind: 'source',
          level: 'warning',
          title: `Source ${src.name} ${src.status}`,
          detail: src.error ?? `reading ${src.name} returned ${src.status}`,
        });
      } else if (was && !wasHealthy && healthy(src.status)) {
        out.push({ time: s.time, kind: 'source', level: 'info', title: `Source ${src.name} recovered`, detail: `was ${was.status}${was.error ? `: ${was.error}` : ''}` });
      }
    }
    const prevDiag = new Set((prev?.diagnoses ?? []).map((d) => d.id));
    const nowDiag = new Set(s.diagnoses.map((d) => d.id));
    for (const d of s.diagnoses) {
      if (!prevDiag.has(d.id)) out.push({ time: s.time, kind: 'diagnosis', level: d.severity, title: `Diagnosis: ${d.title}`, detail: d.summary });
    }
    for (const d of prev?.diagnoses ?? []) {
      if (!nowDiag.has(d.id)) out.push({ time: s.time, kind: 'diagnosis', level: 'info', title: `Cleared: ${d.title}`, detail: 'no longer observed' });
    }
    return out;
  }
}
