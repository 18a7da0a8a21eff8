// The human-readable report of `portwatch check`: the headline first, then the evidence. Fits 80 columns
// (long lines wrap, the destinations table takes two lines a row); `--wide` keeps every line whole.
import type { DestinationUsage, Sample } from '../common/model.js';
import { outboundUnknownReason, rangeUnknown, socketsUnknown } from '../common/model.js';
import { ALL_TCP_STATES } from '../common/tcp-state.js';
import { cell, formatDuration, formatNumber, formatPercent, formatRate, hostPort } from './format.js';
import { formatCountOf } from '../common/format.js';
import { plainText, span, wrapLines, type Line, type Span } from './paint.js';
import { reuseRestsOnPeerTimestamps } from '../node/engine/tw-reuse.js';

const STATE_SHORT: Record<string, string> = {
  ESTABLISHED: 'ESTAB', 'TIME-WAIT': 'TW', 'CLOSE-WAIT': 'CLOSE-WAIT', 'SYN-SENT': 'SYN-SENT', 'FIN-WAIT-1': 'FIN1', 'FIN-WAIT-2': 'FIN2',
};

/** The report's width: columns to fit, or null for every line whole (--wide). */
export type ReportWidth = number | null;

const n = (v: number | null): Span => span(formatNumber(v), 'number');

/** The severity line: always the first thing a reader (and check --watch) shows. */
export function severityLine(s: Sample): Line {
  return [span('Severity: '), span(s.severity.toUpperCase(), s.severity), span(` — ${s.severityReason}`)];
}

/** `check --short`: severity, worst destination, its use and the time left, on one line. */
export function shortLine(s: Sample): Line {
  const w = s.worst;
  const out: Line = [span(s.severity.toUpperCase(), s.severity)];
  if (!w) {
    const why = socketsUnknown(s) ? 'sockets unknown (no socket source could be read)' : rangeUnknown(s) ? 'outbound connections unknown (the ephemeral port range is unknown)' : 'no outbound connection in the ephemeral range';
    return [...out, span(` · ${why}`)];
  }
  out.push(span(` · ${hostPort(w.remoteAddress, w.remotePort)} · use `), span(formatPercent(w.utilization), 'number'), span(` (${formatNumber(w.blocking)}/${formatNumber(w.capacity)})`));
  const tte = w.utilization >= 1 ? 'no port left' : s.timeToExhaustionSec !== null ? `${formatDuration(s.timeToExhaustionSec)} left` : 'not running out';
  out.push(span(` · ${tte}`));
  return out;
}

function destinationRows(d: DestinationUsage, width: ReportWidth): Line[] {
  const states = Object.entries(d.states).map(([name, v]) => `${STATE_SHORT[name] ?? name} ${formatNumber(v)}`).join(' ');
  const procs = d.processes.slice(0, 3).map((p) => `${p.name}(${p.pid}) ${formatNumber(p.sockets)}`).join(', ');
  const sev = d.severity;
  const use = span(cell(formatPercent(d.utilization), 6), sev && sev !== 'ok' ? sev : 'number');
  const inUse = cell(`${formatNumber(d.blocking)}/${formatNumber(d.capacity)}`, 15);
  const tte = cell(formatDuration(d.timeToExhaustionSec), 10);
  if (width === null) {
    return [[span(`  ${cell(d.localAddress, 16)} ${cell(hostPort(d.remoteAddress, d.remotePort), 28)} `), use, span(` ${inUse} ${tte} ${states}${procs ? ` · ${procs}` : ''}`)]];
  }
  return [
    [span(`  ${cell(hostPort(d.remoteAddress, d.remotePort), 30)} `), use, span(` ${inUse} ${tte.trimEnd()}`)],
    ...wrapLines([[span(`      from ${d.localAddress} · ${states}${procs ? ` · ${procs}` : ''}`, 'dim')]], width, 2),
  ];
}

// What the free-port figures rest on (docs/port-model.md): the worst destination and a new one.
function portsLeftLines(s: Sample): Line[] {
  const out: Line[] = [];
  const line = (what: string, b: NonNullable<Sample['newDestination']>): void => {
    out.push([span(`Ports left ${what}: `), span(`${formatNumber(b.left)}${b.low === b.high ? '' : ` (${formatNumber(b.low)}–${formatNumber(b.high)})`}`, 'number')]);
    out.push([span(`  ${b.reason}`)]);
  };
  if (s.worst?.basis) line(`toward ${hostPort(s.worst.remoteAddress, s.worst.remotePort)}`, s.worst.basis);
  if (s.newDestination) line('toward a new destination', s.newDestination);
  return out;
}

/** The report as styled lines. */
export function reportLines(s: Sample, width: ReportWidth = 80): Line[] {
  const out: Line[] = [];
  const when = new Date(s.time).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  out.push([span(`Portwatch · ${s.hostname || 'unknown host'}${s.worst?.netns ? ` · ${s.worst.netns}` : ''} · ${when}`, 'heading')]);
  out.push(severityLine(s));
  out.push([]);
  // Nothing read (a host that did not answer): every figure below would be a default, not this host's.
  if (s.sources.length > 0 && s.sources.every((x) => x.status !== 'ok')) {
    out.push([span('Nothing could be read, so nothing is known of this host\'s ports: see the sources below.')]);
    out.push([]);
    out.push(sourcesLine(s));
    return wrapLines(out, width);
  }
  const k = s.kernel;
  const c = s.capacity;
  const tableUnread = socketsUnknown(s);
  const outboundUnknown = outboundUnknownReason(s) !== null;
  if (k.portRange && !rangeUnknown(s)) {
    // Without the socket table the listeners are unknown: the range less reserved ports is only a ceiling.
    out.push([
      span(`Ephemeral range ${k.portRange.low}–${k.portRange.high} (${formatNumber(c.rangeSize)} ports) − reserved ${formatNumber(c.reserved)} − held by listeners ${tableUnread ? 'unknown = usable at most ' : `${formatNumber(c.heldByListeners)} = usable `}`),
      n(c.usable),
    ]);
  } else if (k.portRange) {
    out.push([span(`Ephemeral range ${k.portRange.low}–${k.portRange.high}: not a valid range, so capacity is unknown`)]);
  } else {
    out.push([span('Ephemeral range: unknown (the range could not be read)')]);
  }
  const reuse = k.twReuse === null ? 'unknown' : ['off', 'on', 'loopback only'][k.twReuse];
  out.push([span(`TIME-WAIT holds a port ${k.timeWaitSec} s: ${k.timeWaitSource} · tcp_tw_reuse ${reuse}${k.twReuseDelayMs !== null ? ` (delay ${formatNumber(k.twReuseDelayMs)} ms)` : ''}`)]);
  // A hold shorter than TIME-WAIT is reuse, which takes a port only from a connection that used timestamps.
  const w = s.worst;
  const restsOnPeer = s.rates.holdSec < k.timeWaitSec && (!w || reuseRestsOnPeerTimestamps(w.localAddress, w.remoteAddress));
  out.push([
    span('New connections '),
    span(formatRate(s.rates.newConnectionsPerSec), 'number'),
    span(
      ` · sustainable per destination ${tableUnread ? 'at most ' : ''}${formatRate(s.rates.sustainablePerDestinationPerSec)} (hold ${s.rates.holdSec} s${restsOnPeer ? ` if the peer echoes TCP timestamps, else ${k.timeWaitSec} s` : ''}) · headroom ${formatRate(s.rates.headroomPerSec)}`,
    ),
  ]);
  out.push(
    outboundUnknown
      ? [span(`Time to exhaustion: unknown (it rests on the ${tableUnread ? 'socket table' : 'ephemeral port range'})`)]
      : [span('Time to exhaustion: '), span(formatDuration(s.timeToExhaustionSec), s.timeToExhaustionSec !== null ? 'warning' : 'number')],
  );
  if (s.global.exclusivelyHeld > 0 || s.global.bindBeforeConnectEvidence) {
    out.push([
      span(`Global pressure: ${formatNumber(s.global.exclusivelyHeld)} ports held exclusively (${formatPercent(s.global.utilization)})${s.global.bindBeforeConnectEvidence ? ' — some by inference: bind() before connect()' : ''}`),
    ]);
  }
  out.push(...portsLeftLines(s));
  out.push([]);
  if (tableUnread) {
    out.push([span('Sockets: unknown. No socket source could be read (see the sources below), so nothing is known of destinations, states or processes.')]);
  } else if (outboundUnknown) {
    out.push([span('Outbound connections: unknown. The ephemeral port range is unknown, and an outbound connection is one whose local port is inside it.')]);
  } else if (s.destinations.length === 0) {
    out.push([span('No outbound connection uses the ephemeral range.')]);
  } else {
    out.push([span(`Destinations (${Math.min(s.destinations.length, 10)} of ${formatNumber(s.destinationCount)}, worst first)`, 'heading')]);
    out.push(
      width === null
        ? [span(`  ${cell('FROM', 16)} ${cell('TO', 28)} ${cell('USE', 6)} ${cell('IN USE', 15)} ${cell('TTE', 10)} STATES · PROCESSES`, 'dim')]
        : [span(`  ${cell('TO', 30)} ${cell('USE', 6)} ${cell('IN USE', 15)} TTE`, 'dim')],
    );
    for (const d of s.destinations.slice(0, 10)) out.push(...destinationRows(d, width));
  }
  if (!tableUnread) out.push([], [span(`States (${formatCountOf(s.totalSockets, 'socket')}): ${ALL_TCP_STATES.filter((x) => s.states[x] > 0).map((x) => `${x} ${formatNumber(s.states[x])}`).join(' · ') || 'none'}`)]);
  if (s.processes.length > 0) {
    out.push([span('Top processes: ' + s.processes.slice(0, 5).map((p) => `${p.name}(${p.pid}) ${formatNumber(p.sockets)} open + ${formatNumber(p.timeWait)} TIME-WAIT`).join(' · '))]);
  }
  if (s.diagnoses.length > 0) {
    out.push([]);
    out.push([span('Diagnosis', 'heading')]);
    for (const d of s.diagnoses) {
      out.push([span('  '), span(`[${d.severity}]`, d.severity === 'info' ? 'dim' : d.severity), span(` ${d.title}`)]);
      out.push([span(`    ${d.summary}`)]);
      for (const e of d.evidence) out.push([span(`    · ${e}`)]);
      for (const r of d.recommendations) out.push([span(`    → ${r.kind === 'kernel' ? '(kernel) ' : r.kind === 'investigate' ? '(check) ' : ''}${r.text}`)]);
    }
  }
  out.push([]);
  out.push(sourcesLine(s));
  return wrapLines(out, width);
}

/** Which sources were read, and why the others were not. */
function sourcesLine(s: Sample): Line {
  const bad = s.sources.filter((x) => x.status !== 'ok');
  return [
    span(
      `Sources: ${s.sources.length - bad.length} ok` +
        (bad.length ? `; ${bad.map((x) => `${x.name} ${x.status}${x.error ? ` (${x.error})` : ''}`).join('; ')}` : '') +
        ` · sample cost ${formatNumber(s.cost.wallMs)} ms wall, ${formatNumber(s.cost.cpuMs)} ms CPU`,
      'dim',
    ),
  ];
}

/** Renders a sample as plain text, fitting `width` columns (80 by default; null: every line whole). */
export function renderReport(s: Sample, width: ReportWidth = 80): string {
  return plainText(reportLines(s, width));
}
