// What the tray shows, computed from what the app knows: the latest sample, the monitor's problem, the
// last episode, the pause and the settings. Electron-free: electron/main/tray.ts only draws it.
import type { Episode } from '../common/episode.js';
import type { HostSample } from '../common/host-sample.js';
import type { Sample } from '../common/model.js';
import { attributionNote, type AttributionStatus } from './attribution.js';
import type { DesktopSettings } from './settings.js';
import type { TrayState } from './tray-state.js';
import { hostMenuLine, hostTrayState, trayStateWithHosts, type HostTrayInput } from './hosts-tray.js';
import { trayStateWithNamespaces } from './namespace-alerts.js';

/** What the menu shows besides the tray state. */
export interface TrayMenuState {
  paused: boolean;
  /** Local "HH:MM" until which notifications are muted, or null. */
  mutedUntil: string | null;
  launchAtLogin: boolean;
  /** The tuning wizard, or why it cannot be opened yet. */
  tuning: { available: true } | { available: false; note: string };
  attribution: AttributionStatus;
  /** The remote hosts in list order, each with its one-line state ("lb1 — critical"). */
  hosts?: readonly { label: string; line: string }[];
}

/** The tray's picture and menu at one moment. */
export interface TrayView {
  state: TrayState;
  menu: TrayMenuState;
}

export interface TrayModelOptions {
  attribution: AttributionStatus;
  tuning: TrayMenuState['tuning'];
  clock: () => number;
}

/** Remembers what the tray is drawn from and turns it into a TrayView. */
export class TrayModel {
  private latest: Sample | null = null;
  private problem: string | null = null;
  private last: TrayState | null = null;
  private episodeSource: { get(): Episode | null } | null = null;
  private hostSource: { readings(): readonly HostTrayInput[] } | null = null;
  private host: HostSample | null = null;

  constructor(private readonly o: TrayModelOptions) {}

  /** The newest sample. */
  sample(sample: Sample): void {
    this.latest = sample;
  }

  /** The newest reading of every namespace of this computer (null: not watched, or no longer). */
  namespaces(host: HostSample | null): void {
    this.host = host;
  }

  /** Why the monitor is not sampling, or null when it is again. */
  monitorProblem(problem: string | null): void {
    this.problem = problem;
  }

  /** Where the newest episode is read (last-episode.ts), once the monitor runs. */
  episodes(source: { get(): Episode | null }): void {
    this.episodeSource = source;
  }

  /** Where the remote hosts' readings are read (host-monitors.ts), once they run. */
  hosts(source: { readings(): readonly HostTrayInput[] }): void {
    this.hostSource = source;
  }

  /** The tray state last computed (null before the first view). */
  lastState(): TrayState | null {
    return this.last;
  }

  /** The view now. */
  view(paused: boolean, settings: DesktopSettings): TrayView {
    const now = this.o.clock();
    const hosts = this.hostSource?.readings() ?? [];
    const own = { sample: this.latest, paused, monitorProblem: this.problem, attributionNote: attributionNote(this.o.attribution), lastEpisode: this.episodeSource?.get() ?? null, now };
    // The worst of this computer, its other namespaces and every host, named (hosts-tray.ts, namespace-alerts.ts).
    const state = trayStateWithNamespaces(trayStateWithHosts(own, hosts), this.host, now);
    this.last = state;
    const until = settings.notifications.mutedUntil;
    return {
      state,
      menu: {
        paused,
        mutedUntil: until !== null && until > now ? clockText(until) : null,
        launchAtLogin: settings.launchAtLogin,
        tuning: this.o.tuning.available ? { available: true } : { available: false, note: this.o.tuning.note },
        attribution: this.o.attribution,
        ...(hosts.length > 0 ? { hosts: hosts.map((h) => ({ label: h.label, line: hostMenuLine(h.label, hostTrayState(h, now)) })) } : {}),
      },
    };
  }
}

/** Local "HH:MM" of an epoch ms. */
export function clockText(epochMs: number): string {
  const d = new Date(epochMs);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}
