// `portwatch check` on a host with every namespace: the namespaces worst first (who lives in each),
// then the ordinary report of the worst one. The JSON document is that namespace's Sample (so every
// consumer of `check --json` keeps working) with a `host` member listing every namespace.
import { namespaceLabel, worstNamespace, type HostSample, type NamespaceIdentity, type NamespaceSample, type NamespaceStatus, type UnseenProcesses } from '../common/host-sample.js';
import type { DestinationUsage, PortRange, Sample, SeverityOrUnknown } from '../common/model.js';
import { withSocketTable } from '../common/model.js';
import { describeFailure, type ConnectFailure } from '../common/connect-failures.js';
import { cell, formatPercent, hostPort } from './format.js';
import { span, wrapLines, type Line } from './paint.js';
import { reportLines, type ReportWidth } from './report.js';

/** One namespace in `check --json`'s `host.namespaces`. */
export interface NamespaceSummary {
  identity: NamespaceIdentity;
  status: NamespaceStatus;
  error?: string;
  severity: SeverityOrUnknown;
  severityReason: string;
  portRange: PortRange | null;
  /** Null when its socket table could not be read. */
  totalSockets: number | null;
  worst: DestinationUsage | null;
  /** Connects the kernel refused in this namespace (the tracer; only when it ran). */
  connectFailures?: ConnectFailure[];
}

/** What `check --json` prints on a host: the worst namespace's Sample plus every namespace. */
export type HostCheckDocument = Sample & {
  host: { scope: 'host'; namespace: NamespaceIdentity; vanished: number; unseen?: UnseenProcesses; namespaces: NamespaceSummary[] };
};

/** The summary of one namespace. */
export function summarizeNamespace(n: NamespaceSample): NamespaceSummary {
  const s = n.sample;
  return {
    identity: n.identity,
    status: n.status,
    ...(n.error ? { error: n.error } : {}),
    severity: s?.severity ?? 'unknown',
    severityReason: s?.severityReason ?? n.error ?? '',
    portRange: s?.kernel.portRange ?? null,
    totalSockets: withSocketTable(s)?.totalSockets ?? null,
    worst: s?.worst ?? null,
    ...(s?.connectFailures ? { connectFailures: s.connectFailures } : {}),
  };
}

/** The JSON document, or null when no namespace could be read (the caller then reports its own). */
export function hostCheckDocument(host: HostSample): HostCheckDocument | null {
  const worst = worstNamespace(host);
  if (!worst?.sample) return null;
  return {
    ...worst.sample,
    host: { scope: 'host', namespace: worst.identity, vanished: host.vanished, ...(host.unseen ? { unseen: host.unseen } : {}), namespaces: host.namespaces.map(summarizeNamespace) },
  };
}

// Names from /run/netns are any file name: no control character reaches the terminal.
const printable = (t: string): string => t.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');

/** Who lives in a namespace besides its label: containers, ip-netns names, processes. */
export function describeResidents(id: NamespaceIdentity): string {
  const parts: string[] = [];
  const containers = id.containers.slice(0, 3).map((c) => printable(c.name ?? c.id.slice(0, 12)));
  if (containers.length) parts.push(`${id.containers[0]!.runtime} container${containers.length > 1 ? 's' : ''} ${containers.join(', ')}`);
  if (id.names.length && !namespaceLabel(id).startsWith('netns ')) parts.push(`netns ${printable(id.names.join(', '))}`);
  // every process not in a namespace of its own lives in the host's: listing them says nothing
  const procs = id.host ? [] : id.processes.slice(0, 3).map((p) => `${printable(p.name)}(${p.pid})`);
  if (procs.length) parts.push(`process${id.processCount === 1 ? '' : 'es'} ${procs.join(', ')}${id.processCount > 3 ? ` +${id.processCount - 3}` : ''}`);
  return parts.join(' · ');
}

/**
 * The report as styled lines: every namespace worst first, then the worst namespace's full report, fitting
 * `width` columns (long lines wrap; null: every line whole, --wide).
 */
export function hostReportLines(host: HostSample, width: ReportWidth = 80): Line[] {
  const out: string[] = [];
  const worst = worstNamespace(host);
  out.push(`Network namespaces: ${host.namespaces.length}${host.vanished ? ` (${host.vanished} vanished while sampling)` : ''}, worst first`);
  out.push(`  ${cell('SEVERITY', 9)} ${cell('RANGE', 11)} ${cell('SOCKETS', 7)} ${cell('WORST', 22)} ${cell('USE', 5)} NAMESPACE`);
  for (const n of host.namespaces.slice(0, 20)) {
    const s = n.sample;
    const range = s?.kernel.portRange ? `${s.kernel.portRange.low}-${s.kernel.portRange.high}` : '—';
    const w = s?.worst;
    out.push(
      `  ${cell(s ? s.severity.toUpperCase() : n.status.toUpperCase(), 9)} ${cell(range, 11)} ${cell(String(withSocketTable(s)?.totalSockets ?? '—'), 7)} ${cell(w ? hostPort(w.remoteAddress, w.remotePort) : '—', 22)} ${cell(w ? formatPercent(w.utilization) : '—', 5)} ${printable(namespaceLabel(n.identity))}`,
    );
    const who = describeResidents(n.identity);
    if (who) out.push(`      ${who}`);
    if (n.error) out.push(`      ${printable(n.error)}`);
    // observed, not inferred: the kernel refused these connects in this namespace
    const failed = s?.connectFailures ?? [];
    if (failed[0]) out.push(`      ${printable(describeFailure(failed[0]))}${failed.length > 1 ? ` (+${failed.length - 1} more)` : ''}`);
  }
  if (host.namespaces.length > 20) out.push(`  … and ${host.namespaces.length - 20} more`);
  // What this reading could not see is said, not left out: a pod only they hold is missing above.
  if (host.unseen) {
    const n = host.unseen.processes;
    out.push(`  Not seen: ${n} process${n === 1 ? '' : 'es'} — ${host.unseen.examples.map(printable).join(', ')}${n > host.unseen.examples.length ? ', …' : ''}: ${printable(host.unseen.why)}`);
  }
  out.push('');
  if (!worst?.sample) {
    out.push('No namespace could be read.');
    return wrapLines(out.map((l) => [span(l)]), width, 2);
  }
  const top = worst.sample.worst?.processes[0];
  out.push(`Worst namespace: ${printable(namespaceLabel(worst.identity))} (${worst.identity.id})${top ? `, most of it by ${printable(top.name)}(${top.pid})` : ''}`);
  out.push('');
  return [...wrapLines(out.map((l) => [span(l)]), width, 2), ...reportLines(worst.sample, width)];
}

