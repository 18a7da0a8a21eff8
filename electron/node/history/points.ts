// How a sample or a tick becomes one history point (the fields of history-frame.ts, in order).
import type { Sample, SeverityOrUnknown, TickSample } from '../../common/model.js';
import { SEVERITY_ORDER } from '../../common/model.js';
import { ALL_TCP_STATES } from '../../common/tcp-state.js';
import type { HistoryPoint } from '../../common/history-frame.js';

/** Severity as a number for charts: unknown 0, ok 1, warning 2, critical 3, exhausted 4. */
export function severityLevel(s: SeverityOrUnknown): number {
  return SEVERITY_ORDER.indexOf(s);
}

/**
 * True when the sample could not read the socket table: its counts are not zeros but unknown, so history
 * records a gap. (The engine reports that as severity "unknown" with no socket at all.)
 */
export function socketReadingMissing(s: Sample): boolean {
  if (s.severity !== 'unknown' || s.totalSockets !== 0) return false;
  const bad = s.sources.filter((x) => x.status === 'failed' || x.status === 'timeout');
  return bad.length > 0 || s.sources.length === 0;
}

/** The sample-track point of a sample (a gap marker when its socket reading failed). */
export function samplePoint(s: Sample): HistoryPoint {
  if (socketReadingMissing(s)) return { time: s.time, gap: true, values: [] };
  const values: (number | null)[] = ALL_TCP_STATES.map((name) => s.states[name] ?? 0);
  values.push(
    s.totalSockets,
    s.worst ? s.worst.utilization : 0,
    s.global.utilization,
    s.worst ? s.worst.blocking : 0,
    s.capacity.usable,
    severityLevel(s.severity),
    s.rates.newConnectionsPerSec,
  );
  return { time: s.time, gap: false, values };
}

/** The tick-track point of a tick. */
export function tickPoint(t: TickSample): HistoryPoint {
  return {
    time: t.time,
    gap: false,
    values: [t.newConnectionsPerSec, t.sockstat ? t.sockstat.inuse : null, t.sockstat ? t.sockstat.tw : null],
  };
}
