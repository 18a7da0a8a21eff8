// The newest episode, for the tray: asked of the monitor once when the app starts (so an episode from
// before a restart is still shown), then kept current by the monitor's `episode` events (started, new
// peak, ended). A monitor without episodes (no state directory) simply leaves it null.
import { RESULT_SCHEMAS, type MonitorEndpoint } from '../common/contract.js';
import type { Episode } from '../common/episode.js';
import { validate } from '../common/schema.js';

export class LastEpisode {
  private value: Episode | null = null;
  private readonly off: () => void;
  private disposed = false;

  constructor(endpoint: MonitorEndpoint, onChange: () => void) {
    this.off = endpoint.subscribe((e) => {
      if (e.event !== 'episode' || !this.newer(e.data)) return;
      this.value = e.data;
      onChange();
    });
    void endpoint.handle({ id: 0, method: 'getEpisodes', params: { limit: 1 } }).then((r) => {
      if (this.disposed || !r.ok) return;
      const list = validate(RESULT_SCHEMAS.getEpisodes, r.result, 'getEpisodes');
      const last = list.ok ? list.value.at(-1) : undefined;
      if (last && this.newer(last)) {
        this.value = last;
        onChange();
      }
    });
  }

  /** The newest episode known (going on or ended), or null. */
  get(): Episode | null {
    return this.value;
  }

  /** Stops listening. */
  dispose(): void {
    this.disposed = true;
    this.off();
  }

  // An event may overtake the first answer: the same episode updated, or a later one, wins.
  private newer(e: Episode): boolean {
    const v = this.value;
    return v === null || e.id === v.id ? v === null || e.lastSeen >= v.lastSeen : e.start >= v.start;
  }
}
