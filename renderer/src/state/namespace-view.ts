// Which network namespace the dashboard shows, as pure functions of the monitor's HostSample: "all"
// (the worst namespace's panels, every namespace's destinations and processes in one table with a
// namespace column) or one namespace (every panel scoped to its Sample). Without a HostSample (the
// monitor watches only its own namespace) everything is the monitor's own sample, as before.
import { namespaceLabel, type HostSample, type NamespaceStatus } from '../../../electron/common/host-sample.js';
import { outboundUnknownReason, withOutbound, withSocketTable, type DestinationUsage, type ProcessUsage, type Sample, type SeverityOrUnknown } from '../../../electron/common/model.js';
import { endpoint } from '../format.js';

/** "all", or the id of one namespace ("net:[4026532301]"). */
export type NetnsChoice = string;
export const ALL_NAMESPACES: NetnsChoice = 'all';

/** One line of the namespace picker. */
export interface NamespaceRow {
  id: string;
  label: string;
  /** "unknown" when it could not be read (see status). */
  severity: SeverityOrUnknown;
  status: NamespaceStatus;
  error: string | null;
  portRange: string | null;
  /** Null when not read, or when its socket table could not be read. */
  sockets: number | null;
  /** Use of the worst destination (or of the whole range when fuller), 0–1; null when unknown. */
  use: number | null;
  /** Why the use is unknown though the namespace was sampled (outboundUnknownReason), or null. */
  useUnknown: string | null;
  worst: string | null;
  processes: string;
  own: boolean;
}

/** A process of one namespace (pids repeat across pid namespaces, so rows are keyed by both). */
export interface NamespacedProcess extends ProcessUsage {
  netns: string;
}

/** The picker's rows, in the HostSample's order (worst first). */
export function namespaceRows(host: HostSample): NamespaceRow[] {
  return host.namespaces.map((n) => {
    const s = n.sample;
    const worst = s?.worst ?? null;
    const known = withOutbound(s);
    return {
      id: n.identity.id,
      label: namespaceLabel(n.identity),
      severity: s?.severity ?? 'unknown',
      status: n.status,
      error: n.error ?? null,
      portRange: s?.kernel.portRange ? `${s.kernel.portRange.low}–${s.kernel.portRange.high}` : null,
      sockets: withSocketTable(s)?.totalSockets ?? null,
      use: known ? Math.max(worst?.utilization ?? 0, known.global.utilization) : null,
      useUnknown: s ? outboundUnknownReason(s) : null,
      worst: worst ? endpoint(worst.remoteAddress, worst.remotePort) : null,
      processes: n.identity.processes
        .slice(0, 3)
        .map((p) => `${p.name} (${p.pid})`)
        .join(', ') + (n.identity.processCount > 3 ? ` +${n.identity.processCount - 3}` : ''),
      own: n.identity.self,
    };
  });
}

/** Namespace id → label, for the tables' namespace column. */
export function namespaceLabels(host: HostSample): Map<string, string> {
  return new Map(host.namespaces.map((n) => [n.identity.id, namespaceLabel(n.identity)]));
}

/** The Sample the panels show: one namespace's, the worst one's for "all", the monitor's own without a HostSample. */
export function scopedSample(host: HostSample | null, own: Sample | null, choice: NetnsChoice): Sample | null {
  if (!host) return own;
  const id = choice === ALL_NAMESPACES ? host.worst : choice;
  const n = host.namespaces.find((x) => x.identity.id === id);
  if (!n) return choice === ALL_NAMESPACES ? own : null;
  // the monitor's own namespace is sampled every second by its own sampler: show the fresher one
  return n.identity.self && own && own.time >= (n.sample?.time ?? 0) ? own : n.sample;
}

/** The destinations table: every namespace's for "all" (fullest first), else the scoped sample's. */
export function scopedDestinations(host: HostSample | null, shown: Sample | null, choice: NetnsChoice): { rows: DestinationUsage[]; total: number } {
  if (!host || choice !== ALL_NAMESPACES) return { rows: shown?.destinations ?? [], total: shown?.destinationCount ?? 0 };
  const rows = host.namespaces.flatMap((n) => n.sample?.destinations ?? []).sort((a, b) => b.utilization - a.utilization);
  return { rows, total: host.namespaces.reduce((t, n) => t + (n.sample?.destinationCount ?? 0), 0) };
}

/** The processes table, each row with its namespace. */
export function scopedProcesses(host: HostSample | null, shown: Sample | null, choice: NetnsChoice): NamespacedProcess[] {
  if (!host || choice !== ALL_NAMESPACES) {
    const netns = choice === ALL_NAMESPACES ? '' : choice;
    return (shown?.processes ?? []).map((p) => ({ ...p, netns }));
  }
  return host.namespaces.flatMap((n) => (n.sample?.processes ?? []).map((p) => ({ ...p, netns: n.identity.id }))).sort((a, b) => b.sockets - a.sockets);
}
