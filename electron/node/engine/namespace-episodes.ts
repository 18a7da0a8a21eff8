// Episodes per network namespace: one EpisodeTracker per namespace of a HostSample, so a pod that runs out
// of ports has its own episode that says which pod (or container, or ip-netns name) it was. A namespace
// that is gone ends its open episode where it was last seen; one that could not be read this time (refused,
// timed out) neither starts nor ends one, like an unknown sample.
import type { Episode } from '../../common/episode.js';
import { namespaceLabel, type HostSample } from '../../common/host-sample.js';
import { EpisodeTracker } from './episodes.js';

interface Followed {
  tracker: EpisodeTracker;
  netns: { id: string; label: string };
}

/** Follows HostSamples; observe() returns the episodes that started, peaked higher or ended. */
export class NamespaceEpisodes {
  private readonly followed = new Map<string, Followed>();
  private readonly resumable = new Map<string, Episode>();

  /**
   * `open`: namespace episodes a previous run left open (resumed when their namespace is seen again
   * soon enough, see EpisodeTracker). `skipSelf`: leave the monitor's own namespace to its own tracker.
   */
  constructor(
    open: readonly Episode[] = [],
    private readonly opts: { skipSelf?: boolean; now?: number } = {},
  ) {
    for (const e of open) if (e.end === null && e.netns) this.resumable.set(e.netns.id, e);
  }

  /** Episodes open now, one per namespace at most. */
  openEpisodes(): Episode[] {
    return [...this.followed.values()].flatMap((f) => (f.tracker.open ? [this.tag(f.tracker.open, f)] : []));
  }

  /** Takes one HostSample. */
  observe(host: HostSample): Episode[] {
    const changed: Episode[] = [];
    const present = new Set<string>();
    for (const ns of host.namespaces) {
      const id = ns.identity.id;
      if (this.opts.skipSelf && ns.identity.self) continue;
      present.add(id);
      let f = this.followed.get(id);
      if (!f) {
        const resumed = this.resumable.get(id) ?? null;
        this.resumable.delete(id);
        f = { tracker: new EpisodeTracker(resumed, this.opts.now ?? host.time), netns: { id, label: namespaceLabel(ns.identity) } };
        this.followed.set(id, f);
        if (f.tracker.closedOnRestore) changed.push(this.tag(f.tracker.closedOnRestore, f));
      }
      // the label may sharpen (a container's name appears once the runtime wrote it)
      f.netns = { id, label: namespaceLabel(ns.identity) };
      if (!ns.sample) continue;
      const e = f.tracker.observe(ns.sample);
      if (e) changed.push(this.tag(e, f));
    }
    for (const [id, f] of this.followed) {
      if (present.has(id)) continue;
      this.followed.delete(id);
      const open = f.tracker.open;
      if (open) changed.push(this.tag({ ...open, end: open.lastSeen }, f));
    }
    return changed;
  }

  private tag(e: Episode, f: Followed): Episode {
    // trackers number their episodes from 1 each: the namespace keeps ids unique on the machine
    const id = e.id.endsWith(`@${f.netns.id}`) ? e.id : `${e.id}@${f.netns.id}`;
    return { ...e, id, netns: { ...f.netns } };
  }
}
