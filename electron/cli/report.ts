// The human-readable report of `portwatch check`: the headline first, then the evidence.
import type { Sample } from '../common/model.js';
import { ALL_TCP_STATES } from '../common/tcp-state.js';
import { cell, formatDuration, formatPercent, formatRate, hostPort } from './format.js';

const STATE_SHORT: Record<string, string> = {
  ESTABLISHED: 'ESTAB', 'TIME-WAIT': 'TW', 'CLOSE-WAIT': 'CLOSE-WAIT', 'SYN-SENT': 'SYN-SENT', 'FIN-WAIT-1': 'FIN1', 'FIN-WAIT-2': 'FIN2',
};

/** Renders a sample as plain text (no colour codes, so it reads the same in a pipe or a mail). */
export function renderReport(s: Sample): string {
  const out: string[] = [];
  const when = new Date(s.time).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  out.push(`Portwatch · ${s.hostname || 'unknown host'}${s.worst?.netns ? ` · ${s.worst.netns}` : ''} · ${when}`);
  out.push(`Severity: ${s.severity.toUpperCase()} — ${s.severityReason}`);
  out.push('');
  const k = s.kernel;
  const c = s.capacity;
  if (k.portRange) {
    out.push(
      `Ephemeral range ${k.portRange.low}–${k.portRange.high} (${c.rangeSize} ports) − reserved ${c.reserved} − held by listeners ${c.heldByListeners} = usable ${c.usable ?? '—'}`,
    );
  } else {
    out.push('Ephemeral range: unknown (the range could not be read)');
  }
  const reuse = k.twReuse === null ? 'unknown' : ['off', 'on', 'loopback only'][k.twReuse];
  out.push(
    `TIME-WAIT holds a port ${k.timeWaitSec} s: ${k.timeWaitSource} · tcp_tw_reuse ${reuse}${k.twReuseDelayMs !== null ? ` (delay ${k.twReuseDelayMs} ms)` : ''}`,
  );
  out.push(
    `New connections ${formatRate(s.rates.newConnectionsPerSec)} · sustainable per destination ${formatRate(s.rates.sustainablePerDestinationPerSec)} (hold ${s.rates.holdSec} s) · headroom ${formatRate(s.rates.headroomPerSec)}`,
  );
  out.push(`Time to exhaustion: ${formatDuration(s.timeToExhaustionSec)}`);
  if (s.global.exclusivelyHeld > 0 || s.global.bindBeforeConnectEvidence) {
    out.push(
      `Global pressure: ${s.global.exclusivelyHeld} ports held exclusively (${formatPercent(s.global.utilization)})${s.global.bindBeforeConnectEvidence ? ' — some by inference: bind() before connect()' : ''}`,
    );
  }
  out.push(...portsLeftLines(s));
  out.push('');
  if (s.destinations.length === 0) {
    out.push('No outbound connection uses the ephemeral range.');
  } else {
    out.push(`Destinations (${Math.min(s.destinations.length, 10)} of ${s.destinationCount}, worst first)`);
    out.push(`  ${cell('FROM', 16)} ${cell('TO', 28)} ${cell('IN USE', 16)} ${cell('USE', 6)} ${cell('TTE', 8)} STATES · PROCESSES`);
    for (const d of s.destinations.slice(0, 10)) {
      const states = Object.entries(d.states).map(([n, v]) => `${STATE_SHORT[n] ?? n} ${v}`).join(' ');
      const procs = d.processes.slice(0, 3).map((p) => `${p.name}(${p.pid}) ${p.sockets}`).join(', ');
      out.push(
        `  ${cell(d.localAddress, 16)} ${cell(hostPort(d.remoteAddress, d.remotePort), 28)} ${cell(`${d.blocking}/${d.capacity}`, 16)} ${cell(formatPercent(d.utilization), 6)} ${cell(formatDuration(d.timeToExhaustionSec), 8)} ${states}${procs ? ` · ${procs}` : ''}`,
      );
    }
  }
  out.push('');
  out.push(`States (${s.totalSockets} sockets): ${ALL_TCP_STATES.filter((n) => s.states[n] > 0).map((n) => `${n} ${s.states[n]}`).join(' · ') || 'none'}`);
  if (s.processes.length > 0) {
    out.push('Top processes: ' + s.processes.slice(0, 5).map((p) => `${p.name}(${p.pid}) ${p.sockets} open + ${p.timeWait} TIME-WAIT`).join(' · '));
  }
  if (s.diagnoses.length > 0) {
    out.push('');
    out.push('Diagnosis');
    for (const d of s.diagnoses) {
      out.push(`  [${d.severity}] ${d.title}`);
      out.push(`    ${d.summary}`);
      for (const e of d.evidence) out.push(`    · ${e}`);
      for (const r of d.recommendations) out.push(`    → ${r.kind === 'kernel' ? '(kernel) ' : r.kind === 'investigate' ? '(check) ' : ''}${r.text}`);
    }
  }
  const bad = s.sources.filter((x) => x.status !== 'ok');
  out.push('');
  out.push(
    `Sources: ${s.sources.length - bad.length} ok` +
      (bad.length ? `; ${bad.map((x) => `${x.name} ${x.status}${x.error ? ` (${x.error})` : ''}`).join('; ')}` : '') +
      ` · sample cost ${s.cost.wallMs.toFixed(0)} ms wall, ${s.cost.cpuMs.toFixed(0)} ms CPU`,
  );
  return out.join('\n') + '\n';
}

// What the free-port figures rest on (docs/port-model.md): the worst destination and a new one.
function portsLeftLines(s: Sample): string[] {
  const out: string[] = [];
  const line = (what: string, b: NonNullable<Sample['newDestination']>) => {
    out.push(`Ports left ${what}: ${b.left}${b.low === b.high ? '' : ` (${b.low}–${b.high})`}`);
    out.push(...wrap(b.reason, 80, '  '));
  };
  if (s.worst?.basis) line(`toward ${hostPort(s.worst.remoteAddress, s.worst.remotePort)}`, s.worst.basis);
  if (s.newDestination) line('toward a new destination', s.newDestination);
  return out;
}

// Words into lines of at most `width` columns (a longer word gets a line of its own).
function wrap(text: string, width: number, indent: string): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const word of text.split(/\s+/)) {
    if (cur && indent.length + cur.length + 1 + word.length > width) {
      lines.push(indent + cur);
      cur = word;
    } else cur = cur ? `${cur} ${word}` : word;
  }
  if (cur) lines.push(indent + cur);
  return lines;
}
