// Which host the desktop window shows. The page carries it as `?host=N`, as a `serve --ssh` dashboard
// does: 0 (or no parameter) is this computer, 1… the hosts of the settings' list in their order. The main
// process reads it from the sending frame's URL, so the renderer's host picker works unchanged and a page
// can only ever ask about the host it was loaded for. Electron-free.
import type { Sample } from '../common/model.js';
import { MAX_PICKER_HOSTS, type HostSummary } from '../common/hosts.js';
import { unreachableReason } from '../node/remote/remote-backend.js';
import { APP_INDEX_URL, APP_ORIGIN } from './app-files.js';
import type { HostReading } from './host-monitors.js';

/** The scope of this computer (the local monitor). */
export const THIS_COMPUTER = 0;
/** How this computer is named in the host picker. */
export const THIS_COMPUTER_LABEL = 'This computer';

/**
 * The host scope of a page URL of the app: 0 without a `host` parameter, N for `?host=N`; null for a URL
 * that is not the app's page or carries anything else in its query (it is refused, not guessed).
 */
export function hostScopeOf(url: string | null): number | null {
  if (url === null) return null;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (`${u.protocol}//${u.host}` !== APP_ORIGIN || u.username !== '' || u.password !== '') return null;
  // '' is how WHATWG URL (Node's) reads app://portwatch; Chromium normalises it to '/'.
  if (u.pathname !== '' && u.pathname !== '/' && u.pathname !== '/index.html') return null;
  if (u.search === '') return THIS_COMPUTER;
  const m = /^\?host=(\d{1,2})$/.exec(u.search);
  if (!m) return null;
  const n = Number(m[1]);
  return n < MAX_PICKER_HOSTS ? n : null;
}

/** The page of host `scope`, opened at a destination when a key is given (the renderer reads #destination=…). */
export function hostPageUrl(scope: number, destinationKey: string | null): string {
  const query = scope === THIS_COMPUTER ? '' : `?host=${scope}`;
  return `${APP_INDEX_URL}${query}${destinationKey === null ? '' : `#destination=${encodeURIComponent(destinationKey)}`}`;
}

/** The scope of a listed host (1…), or this computer's when the label is not (or no longer) listed. */
export function scopeOfHost(label: string | null, readings: readonly HostReading[]): number {
  if (label === null) return THIS_COMPUTER;
  const i = readings.findIndex((r) => r.label === label);
  return i < 0 ? THIS_COMPUTER : i + 1;
}

/** The listed host a scope names, or null for this computer and for a scope past the list's end. */
export function hostOfScope(scope: number, readings: readonly HostReading[]): HostReading | null {
  return scope === THIS_COMPUTER ? null : (readings[scope - 1] ?? null);
}

/** The host picker's list as the page of `current` sees it: this computer first, then every listed host. */
export function desktopHostSummaries(local: Sample | null, readings: readonly HostReading[], current: number): HostSummary[] {
  const mine: HostSummary = {
    index: THIS_COMPUTER,
    label: THIS_COMPUTER_LABEL,
    severity: local?.severity ?? 'unknown',
    severityReason: (local?.severityReason ?? 'Waiting for the first reading').slice(0, 2000),
    current: current === THIS_COMPUTER,
  };
  const hosts = readings.slice(0, MAX_PICKER_HOSTS - 1).map((r, i): HostSummary => {
    const reason = r.problem ?? r.sample?.severityReason ?? unreachableReason(r.status) ?? 'Waiting for the first reading';
    const summary: HostSummary = { index: i + 1, label: r.label, severity: r.problem ? 'unknown' : (r.sample?.severity ?? 'unknown'), severityReason: reason.slice(0, 2000), current: current === i + 1 };
    return r.needsLogin && !r.problem ? { ...summary, canLogIn: true } : summary;
  });
  return [mine, ...hosts];
}
