// Where the page is asked to go by its URL fragment, live: `#wizard` opens the tuning wizard,
// `#destination=<encodeURIComponent(DestinationUsage.key)>` opens the dashboard at one destination (the
// desktop app's notifications and tray link there), `#connections?…` opens the list of every socket, filtered
// (state/connections-route.ts). Read on load and on every hashchange.
import type { ConnectionFilter } from '../../../electron/common/connections.js';
import { parseConnectionsHash } from './connections-route.js';

/** What a fragment asks for. */
export type Route = { view: 'dashboard'; destination: string | null } | { view: 'wizard' } | { view: 'connections'; filter: ConnectionFilter };

/** Parses a location.hash ("#wizard", "#destination=…"); anything else is the plain dashboard. */
export function parseHash(hash: string): Route {
  const h = hash.startsWith('#') ? hash.slice(1) : hash;
  if (h === 'wizard') return { view: 'wizard' };
  const connections = parseConnectionsHash(h);
  if (connections) return { view: 'connections', filter: connections };
  if (h.startsWith('destination=')) {
    try {
      const key = decodeURIComponent(h.slice('destination='.length));
      if (key.length > 0 && key.length <= 400) return { view: 'dashboard', destination: key };
    } catch {
      // a malformed escape: the plain dashboard
    }
  }
  return { view: 'dashboard', destination: null };
}

/** The route of the page, following the fragment. */
export class Navigation {
  route = $state.raw<Route>({ view: 'dashboard', destination: null });
  /** Increases on every navigation (so the same destination asked twice scrolls to it twice). */
  seq = $state.raw(0);

  constructor(private readonly w: Window | undefined = typeof window === 'undefined' ? undefined : window) {
    if (!w) return;
    this.read();
    w.addEventListener('hashchange', () => this.read());
  }

  /** Opens the wizard (#wizard). */
  openWizard(): void {
    if (this.w) this.w.location.hash = 'wizard';
  }

  /** Back to the dashboard (clears the fragment without adding a history entry for it). */
  openDashboard(): void {
    if (!this.w) return;
    this.w.history.pushState(null, '', this.w.location.pathname + this.w.location.search);
    this.read();
  }

  private read(): void {
    this.route = parseHash(this.w?.location.hash ?? '');
    this.seq++;
  }
}
