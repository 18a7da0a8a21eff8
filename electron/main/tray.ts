// The tray icon: its image follows severity (a different shape per level, so it reads without colour),
// its tooltip names the worst destination, and its menu holds the app's controls. The icon and menu are
// rebuilt only when what they show changes (Linux trays flicker on every setContextMenu).
import type { MenuItemConstructorOptions } from 'electron';
import { join } from 'node:path';
import type { TrayMenuState } from '../desktop/tray-model.js';
import type { TrayIconName, TrayState } from '../desktop/tray-state.js';
import type { ElectronApi, TrayLike } from './electron-api.js';

export type { TrayMenuState };

/** What the menu's items do. */
export interface TrayActions {
  open(): void;
  togglePause(): void;
  openTuning(): void;
  toggleMute(): void;
  toggleLaunchAtLogin(): void;
  explainAttribution(): void;
  openSettingsFile(): void;
  openLogFolder(): void;
  quit(): void;
  /** Moves a remote host one place up (-1) or down (+1) in the list. */
  moveHost?(label: string, delta: -1 | 1): void;
  removeHost?(label: string): void;
}

/** The tray PNG for an icon name on a platform (Electron adds the @2x sibling; macOS gets template images). */
export function trayIconPath(dir: string, name: TrayIconName, platform: NodeJS.Platform): string {
  if (platform === 'darwin') return join(dir, `${name}Template.png`);
  return join(dir, `${name}-${platform === 'win32' ? 16 : 22}.png`);
}

/** The tray menu. */
export function trayMenuTemplate(state: TrayState, m: TrayMenuState, a: TrayActions): MenuItemConstructorOptions[] {
  const items: MenuItemConstructorOptions[] = [{ label: state.statusLine.slice(0, 120), enabled: false }];
  if (state.episodeLine !== null) items.push({ label: state.episodeLine.slice(0, 120), enabled: false });
  if (m.attribution.kind === 'own-processes') items.push({ label: 'Process names: your own processes only — why?', click: () => a.explainAttribution() });
  items.push(
    { type: 'separator' },
    { label: 'Open Portwatch', click: () => a.open() },
    { label: m.paused ? 'Resume sampling' : 'Pause sampling', click: () => a.togglePause() },
    m.tuning.available
      ? { label: 'Tuning wizard…', click: () => a.openTuning() }
      : { label: `Tuning wizard… (${m.tuning.note})`, enabled: false },
    { type: 'separator' },
    ...hostItems(m.hosts ?? [], a),
    m.mutedUntil === null
      ? { label: 'Mute notifications for an hour', click: () => a.toggleMute() }
      : { label: `Unmute notifications (muted until ${m.mutedUntil})`, click: () => a.toggleMute() },
    { label: 'Launch at login', type: 'checkbox', checked: m.launchAtLogin, click: () => a.toggleLaunchAtLogin() },
    { label: 'Open settings file', click: () => a.openSettingsFile() },
    { label: 'Open log folder', click: () => a.openLogFolder() },
    { type: 'separator' },
    { label: 'Quit Portwatch', click: () => a.quit() },
  );
  return items;
}

/** One submenu per remote host (its state as the label; move and remove inside), then how to add one. */
function hostItems(hosts: readonly { label: string; line: string }[], a: TrayActions): MenuItemConstructorOptions[] {
  const items: MenuItemConstructorOptions[] = hosts.map((h, i) => ({
    label: h.line.slice(0, 120),
    submenu: [
      { label: 'Move up', enabled: i > 0, click: () => a.moveHost?.(h.label, -1) },
      { label: 'Move down', enabled: i < hosts.length - 1, click: () => a.moveHost?.(h.label, 1) },
      { label: 'Remove from Portwatch', click: () => a.removeHost?.(h.label) },
    ],
  }));
  // Electron has no text prompt: hosts are typed into the settings file ("hosts": ["ops@lb2:2222"]), applied when saved.
  items.push({ label: hosts.length === 0 ? 'Watch a remote host… (settings file)' : 'Add a remote host… (settings file)', click: () => a.openSettingsFile() }, { type: 'separator' });
  return items;
}

/** Owns the tray icon and keeps it in step with the state it is given. */
export class TrayController {
  private readonly tray: TrayLike;
  private shownIcon: string;
  private shownTooltip = '';
  private shownMenu = '';

  constructor(
    private readonly api: Pick<ElectronApi, 'Tray' | 'Menu'>,
    private readonly iconDir: string,
    private readonly platform: NodeJS.Platform,
    private readonly actions: TrayActions,
  ) {
    this.shownIcon = trayIconPath(iconDir, 'unknown', platform);
    this.tray = new api.Tray(this.shownIcon);
    // A left click opens the window where the platform reports clicks (Windows, macOS, some Linux trays).
    this.tray.on('click', () => actions.open());
  }

  /** Shows state; touches the OS tray only for what changed. */
  update(state: TrayState, menu: TrayMenuState): void {
    const icon = trayIconPath(this.iconDir, state.icon, this.platform);
    if (icon !== this.shownIcon) {
      this.tray.setImage(icon);
      this.shownIcon = icon;
    }
    if (state.tooltip !== this.shownTooltip) {
      this.tray.setToolTip(state.tooltip);
      this.shownTooltip = state.tooltip;
    }
    const template = trayMenuTemplate(state, menu, this.actions);
    const key = JSON.stringify(template.map((i) => [i.label, i.enabled, i.checked, i.type, Array.isArray(i.submenu) ? i.submenu.map((j) => [j.label, j.enabled]) : null]));
    if (key !== this.shownMenu) {
      this.tray.setContextMenu(this.api.Menu.buildFromTemplate(template));
      this.shownMenu = key;
    }
  }

  destroy(): void {
    this.tray.destroy();
  }
}
