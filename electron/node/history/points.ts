// How a sample or a tick becomes one history point: one extractor per field of history-frame.ts, keyed by the
// field's name, so a field added there without an extractor here (or the other way round) does not compile.
import type { Sample, SeverityOrUnknown, TickSample } from '../../common/model.js';
import { SEVERITY_ORDER, rangeUnknown, socketsUnknown } from '../../common/model.js';
import { ALL_TCP_STATES, type TcpStateName } from '../../common/tcp-state.js';
import { extractValues, type FieldExtractors, type HistoryPoint } from '../../common/history-frame.js';

/** Severity as a number for charts: unknown 0, ok 1, warning 2, critical 3, exhausted 4. */
export function severityLevel(s: SeverityOrUnknown): number {
  return SEVERITY_ORDER.indexOf(s);
}

/**
 * Where each sample-track field comes from (states not seen count 0; no worst destination: 0). Use is a
 * share of usable ports: when the range could not be read there is none, so it is unknown, not 0.
 */
export const SAMPLE_EXTRACTORS: FieldExtractors<'sample', Sample> = {
  ...tcpStateExtractors(),
  totalSockets: (s) => s.totalSockets,
  worstUtilization: (s) => (rangeUnknown(s) ? null : s.worst ? s.worst.utilization : 0),
  globalUtilization: (s) => (rangeUnknown(s) ? null : s.global.utilization),
  worstBlocking: (s) => (rangeUnknown(s) ? null : s.worst ? s.worst.blocking : 0),
  usable: (s) => s.capacity.usable,
  severity: (s) => severityLevel(s.severity),
  newPerSec: (s) => s.rates.newConnectionsPerSec,
};

/** Where each tick-track field comes from (no sockstat on this platform: unknown). */
export const TICK_EXTRACTORS: FieldExtractors<'tick', TickSample> = {
  newConnectionsPerSec: (t) => t.newConnectionsPerSec,
  sockstatInuse: (t) => (t.sockstat ? t.sockstat.inuse : null),
  sockstatTw: (t) => (t.sockstat ? t.sockstat.tw : null),
};

function tcpStateExtractors(): Record<TcpStateName, (s: Sample) => number> {
  return Object.fromEntries(ALL_TCP_STATES.map((name) => [name, (s: Sample) => s.states[name] ?? 0])) as Record<TcpStateName, (s: Sample) => number>;
}

/** The sample-track point of a sample: a gap marker when no socket table was read (its counts are unknown, not 0). */
export function samplePoint(s: Sample): HistoryPoint {
  if (socketsUnknown(s)) return { time: s.time, gap: true, values: [] };
  return { time: s.time, gap: false, values: extractValues('sample', SAMPLE_EXTRACTORS, s) };
}

/** The tick-track point of a tick. */
export function tickPoint(t: TickSample): HistoryPoint {
  return { time: t.time, gap: false, values: extractValues('tick', TICK_EXTRACTORS, t) };
}
