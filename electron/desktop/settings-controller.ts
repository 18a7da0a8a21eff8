// The desktop settings while the app runs: loaded (and repaired) at start, saved on every change made
// from the tray, and re-read when the user edits settings.json by hand. A clean edit is applied (what
// the monitor uses goes to the monitor, launch at login to the OS); a bad one is reported and the
// running settings stay.
import { join } from 'node:path';
import type { MonitorConfig } from './monitor-config.js';
import type { DesktopSettings } from './settings.js';
import { loadSettings, saveSettings, SETTINGS_FILE, settingsText, watchSettings, type SettingsRead } from './settings-store.js';

/** How long "Mute notifications for an hour" mutes. */
export const MUTE_MS = 3_600_000;

/** What the settings controller tells the rest of the app. */
export interface SettingsHooks {
  log(line: string): void;
  /** A notice for the user about the settings file (not a severity notification). */
  notify(title: string, body: string): void;
  /** Sampling or analysis settings changed by a hand edit. */
  monitorConfig(config: MonitorConfig): void;
  /** launchAtLogin changed by a hand edit. */
  launchAtLogin(enabled: boolean): void;
  /** Anything changed (the tray redraws). */
  changed(): void;
  /** The remote host list changed (from the tray or by a hand edit). */
  hosts?(list: readonly string[]): void;
}

/** What the monitor takes from the settings. */
export function monitorConfigOf(s: DesktopSettings): MonitorConfig {
  return { cpuBudget: s.sampling.cpuBudget, analysis: s.analysis, allNamespaces: s.allNamespaces };
}

/** The running settings and their file. */
export class SettingsController {
  private settings: DesktopSettings | null = null;
  /** The text this app last wrote: the file watcher ignores our own writes. */
  private lastOwnWrite = '';

  constructor(
    private readonly dir: string,
    private readonly clock: () => number,
    private readonly hooks: SettingsHooks,
  ) {}

  get path(): string {
    return join(this.dir, SETTINGS_FILE);
  }

  /** The running settings, null before load(). */
  current(): DesktopSettings | null {
    return this.settings;
  }

  /** The running settings; throws before load() (a wiring mistake, not bad input). */
  get value(): DesktopSettings {
    if (!this.settings) throw new Error('SettingsController: settings used before load()');
    return this.settings;
  }

  /** Loads the file at start; what was repaired is logged and told to the user once. */
  load(): DesktopSettings {
    const loaded = loadSettings(this.dir, this.clock);
    this.settings = loaded.settings;
    this.lastOwnWrite = settingsText(loaded.settings);
    if (loaded.problems.length > 0) {
      for (const p of loaded.problems) this.hooks.log(`settings: ${p}`);
      const kept = loaded.keptAs ? ` The old file is kept as ${loaded.keptAs}.` : '';
      this.hooks.notify('Portwatch: settings repaired', `${firstOfMany(loaded.problems)}; defaults are used instead.${kept}`);
    }
    return loaded.settings;
  }

  /** Makes `next` the running settings and saves it (a failed save is logged; the app runs on). */
  persist(next: DesktopSettings): void {
    this.settings = next;
    this.lastOwnWrite = settingsText(next);
    try {
      saveSettings(this.dir, next);
    } catch (err) {
      this.hooks.log(`could not save ${this.path}: ${String(err)}`);
    }
    this.hooks.changed();
  }

  /** Epoch ms until which notifications are muted, or null when they are not (now). */
  mutedUntil(): number | null {
    const until = this.value.notifications.mutedUntil;
    return until !== null && until > this.clock() ? until : null;
  }

  /** The tray's mute item: mutes for MUTE_MS from now, or unmutes. */
  toggleMute(): void {
    const s = this.value;
    this.persist({ ...s, notifications: { ...s.notifications, mutedUntil: this.mutedUntil() === null ? this.clock() + MUTE_MS : null } });
  }

  /** Records launch at login (the OS side is the autostart controller's job). */
  setLaunchAtLogin(enabled: boolean): void {
    this.persist({ ...this.value, launchAtLogin: enabled });
  }

  /** Saves a new remote host list (edited from the tray; see host-list.ts). */
  setHosts(list: string[]): void {
    // The monitors follow first, so the redraw that persist() asks for shows the new list.
    this.hooks.hosts?.(list);
    this.persist({ ...this.value, hosts: list });
  }

  /** Follows hand edits of the file until the returned function is called. */
  watch(): () => void {
    return watchSettings(this.dir, (r) => this.onFile(r), (text) => text === this.lastOwnWrite);
  }

  /** A settings file edited by hand: applied when clean, else reported and the running settings kept. */
  onFile(r: SettingsRead): void {
    if (r.kind !== 'parsed' || r.problems.length > 0) {
      const problems = r.kind === 'parsed' ? r.problems : [r.kind === 'missing' ? 'file removed' : r.problem];
      this.hooks.log(`settings file not applied: ${problems.join('; ')}`);
      this.hooks.notify('Portwatch: settings not applied', `${firstOfMany(problems)}. The previous settings stay in effect.`);
      return;
    }
    const prev = this.value;
    const next = r.settings;
    this.settings = next;
    if (JSON.stringify(monitorConfigOf(prev)) !== JSON.stringify(monitorConfigOf(next))) this.hooks.monitorConfig(monitorConfigOf(next));
    if (prev.launchAtLogin !== next.launchAtLogin) this.hooks.launchAtLogin(next.launchAtLogin);
    if (JSON.stringify(prev.hosts) !== JSON.stringify(next.hosts)) this.hooks.hosts?.(next.hosts);
    this.hooks.changed();
  }
}

/** "first problem (and 2 more)". */
function firstOfMany(problems: readonly string[]): string {
  return `${problems[0]}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`;
}
