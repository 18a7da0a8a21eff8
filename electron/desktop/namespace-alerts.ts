// The desktop app across every network namespace of the host, Electron-free: whether to watch them all
// (the "all namespaces" setting, automatic by default: on when Portwatch is root in the host's own
// namespace and its addon can enter the others), the tray headline that names the worst namespace (its
// pod or container), and notifications judged per namespace that say which one. electron/main only
// shows what these return.
import { namespaceLabel, worstNamespace, type HostSample } from '../common/host-sample.js';
import { NotificationPolicy, type NotificationDraft } from './notification-policy.js';
import type { NotificationSettings } from './settings.js';
import { pressureLine, SEVERITY_WORDS } from './severity-text.js';
import { TRAY_RANK } from './hosts-tray.js';
import { fitTooltip, STALE_AFTER_MS, type TrayState } from './tray-state.js';

/** What decides the automatic setting. */
export interface NamespaceAccess {
  /** Root (CAP_SYS_ADMIN) and an addon with readNetns (hostReadSupport().ok). */
  canReadHost: boolean;
  /** This process shares pid 1's network namespace (inHostNamespace()). */
  inHostNamespace: boolean;
}

/** Whether the app watches every namespace: the setting when set, else on exactly when it can from the host. */
export function watchesAllNamespaces(setting: boolean | null, access: NamespaceAccess): { on: boolean; note: string | null } {
  if (setting === false) return { on: false, note: null };
  if (access.canReadHost && (setting === true || access.inHostNamespace)) return { on: true, note: null };
  if (setting === true) return { on: false, note: 'Watching every network namespace needs root and the native reader; watching this one only.' };
  return { on: false, note: null };
}

/** The tray's headline for the whole host: the worst namespace's severity and pressure, and where. */
export function namespaceHeadline(host: HostSample): string {
  const worst = worstNamespace(host);
  if (!worst?.sample) return `${host.namespaces.length} network namespaces, none could be read`;
  const where = namespaceLabel(worst.identity);
  const others = host.namespaces.filter((n) => n !== worst && n.sample && n.sample.severity === worst.sample!.severity).length;
  const also = others > 0 ? ` (and ${others} more at ${worst.sample.severity})` : '';
  return `${worst.sample.severity.toUpperCase()} in ${where}${also}: ${pressureLine(worst.sample)}`;
}

/**
 * The tray with the host's other namespaces: when the worst of them is worse than what the tray shows (this
 * namespace and the remote hosts), it leads, named by its pod or container. A paused monitor, a stale
 * host reading or a worst namespace that is the monitor's own change nothing.
 */
export function trayStateWithNamespaces(state: TrayState, host: HostSample | null, now: number): TrayState {
  if (!host || state.icon === 'paused' || now - host.time > STALE_AFTER_MS) return state;
  const worst = worstNamespace(host);
  if (!worst?.sample || worst.identity.self) return state;
  const severity = worst.sample.severity;
  if (TRAY_RANK[severity] <= TRAY_RANK[state.icon]) return state;
  const head = `Portwatch — ${SEVERITY_WORDS[severity]} in ${namespaceLabel(worst.identity)}`;
  return {
    ...state,
    icon: severity,
    severity,
    tooltip: fitTooltip([head, pressureLine(worst.sample), `${host.namespaces.length} ${host.namespaces.length === 1 ? 'namespace' : 'namespaces'} watched`]),
    statusLine: namespaceHeadline(host),
  };
}

/** A notification that names its namespace. */
export interface NamespaceNotification extends NotificationDraft {
  netns: string;
  label: string;
}

/** One notification policy per namespace (what each was last told), dropped when the namespace is gone. */
export class NamespaceNotifications {
  private readonly policies = new Map<string, NotificationPolicy>();

  /**
   * Observes one HostSample; returns what to show, worst namespace first. The monitor's own namespace is
   * left out when `skipSelf` (its own sample already goes through the app's policy).
   */
  observe(host: HostSample, settings: NotificationSettings, now: number, minuteOfDay: number, skipSelf = true): NamespaceNotification[] {
    const shown: NamespaceNotification[] = [];
    const present = new Set<string>();
    for (const ns of host.namespaces) {
      if (skipSelf && ns.identity.self) continue;
      const id = ns.identity.id;
      present.add(id);
      if (!ns.sample) continue;
      let policy = this.policies.get(id);
      if (!policy) this.policies.set(id, (policy = new NotificationPolicy()));
      const d = policy.observe(ns.sample, settings, now, minuteOfDay);
      if (!('show' in d)) continue;
      const label = namespaceLabel(ns.identity);
      shown.push({ ...d.show, title: `${d.show.title} in ${label}`, body: `${label} (${id}): ${d.show.body}`, netns: id, label });
    }
    for (const id of this.policies.keys()) if (!present.has(id)) this.policies.delete(id);
    return shown;
  }

  /** Namespaces followed now (bounded by those that exist). */
  size(): number {
    return this.policies.size;
  }
}
