// The tray when the app also watches remote hosts: it shows the worst of this computer and every host,
// and names the host. A host that cannot be read is "unknown: Unreachable since …" and ranks above every
// ok host, so a silent host is never shown as ok; a warning anywhere still ranks above it. Pure.
import type { Sample } from '../common/model.js';
import { fitTooltip, trayState, type TrayIconName, type TrayInput, type TrayState } from './tray-state.js';
import { SEVERITY_WORDS } from './severity-text.js';

/** One remote host's latest reading. */
export interface HostTrayInput {
  /** The host as listed ("ops@lb2:2222"). */
  label: string;
  /** Its latest sample (unknown with "Unreachable since …" while it does not answer), null before the first. */
  sample: Sample | null;
  /** Why the host is not being watched at all, or null. */
  problem?: string | null;
}

/** How bad each tray state is: an unknown host outranks ok ones, never a warning. */
export const TRAY_RANK: Record<TrayIconName, number> = { ok: 0, paused: 1, unknown: 2, warning: 3, critical: 4, exhausted: 5 };

/** The tray state for one host on its own (what its menu line and the worst-of choice use). */
export function hostTrayState(host: HostTrayInput, now: number): TrayState {
  return trayState({ sample: host.sample, paused: false, monitorProblem: host.problem ?? null, attributionNote: null, now });
}

/** "Critical on lb1: 10.0.3.7:5432 — 96 % …", "lb1 unknown: Unreachable since …": one host's status line. */
export function hostStatusLine(label: string, s: TrayState): string {
  if (s.icon === 'unknown') return `${label} unknown: ${s.statusLine}`;
  if (s.icon === 'ok') return `${label} ok`;
  return `${capitalize(SEVERITY_WORDS[s.severity])} on ${label}: ${s.statusLine.replace(/^[^:]*: /, '')}`;
}

/** The tray for this computer plus the hosts: the worst of them (this computer first on a tie), named. */
export function trayStateWithHosts(local: TrayInput, hosts: readonly HostTrayInput[]): TrayState {
  const own = trayState(local);
  if (hosts.length === 0) return own;
  const states = hosts.map((h) => ({ label: h.label, state: hostTrayState(h, local.now) }));
  let worst: (typeof states)[number] | null = null;
  for (const h of states) if (TRAY_RANK[h.state.icon] > TRAY_RANK[worst?.state.icon ?? own.icon]) worst = h;
  const notOk = states.filter((h) => h.state.icon !== 'ok');
  const summary = notOk.length === 0 ? `${hosts.length} ${hosts.length === 1 ? 'host' : 'hosts'} ok` : `${notOk.length} of ${hosts.length} ${hosts.length === 1 ? 'host' : 'hosts'} not ok`;
  if (worst === null) {
    const lines = own.tooltip.split('\n');
    return { ...own, tooltip: fitTooltip([lines[0]!, lines[1] ?? '', summary, ...lines.slice(2)].filter((l) => l !== '')) };
  }
  const status = hostStatusLine(worst.label, worst.state);
  const head = `Portwatch — ${SEVERITY_WORDS[worst.state.severity]} on ${worst.label}`;
  return { ...own, icon: worst.state.icon, severity: worst.state.severity, tooltip: fitTooltip([head, status.slice(status.indexOf(': ') + 2), summary]), statusLine: status };
}

/** The severity of each host for a menu line: "lb1 — critical". */
export function hostMenuLine(label: string, state: TrayState): string {
  return `${label} — ${state.severity === 'unknown' ? 'unknown' : SEVERITY_WORDS[state.severity]}`;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
