// The dashboard's shared state: what the monitor last said, the connection, the timeline and the chosen
// window. Fields are $state.raw: each is replaced whole when a message arrives, never deeply proxied.
import type { MonitorInfo, TimelineEvent } from '../../../electron/common/contract.js';
import type { Episode } from '../../../electron/common/episode.js';
import type { Sample, TickSample } from '../../../electron/common/model.js';
import type { PortwatchClient } from '../api/client.js';
import type { ConnectionState } from '../api/transport.js';
import { HistoryModel } from './history-model.js';
import { MAX_EPISODES_SHOWN, mergeEpisodes, upsertEpisode } from './episode-list.js';
import type { HostSample } from '../../../electron/common/host-sample.js';
import { ALL_NAMESPACES, scopedSample, type NetnsChoice } from './namespace-view.js';

const MAX_EVENTS = 200;
/** Buckets per window (each drawn as up to two points: min and max): about one point per two pixels of a wide chart. */
export const CHART_BUCKETS = 300;

/** Everything the dashboard shows, fed by one client. */
export class MonitorState {
  connection = $state.raw<ConnectionState>('connecting');
  info = $state.raw<MonitorInfo | null>(null);
  sample = $state.raw<Sample | null>(null);
  tick = $state.raw<TickSample | null>(null);
  events = $state.raw<TimelineEvent[]>([]);
  /** Episodes the monitor keeps (warning or worse), oldest first; empty when it keeps none. */
  episodes = $state.raw<Episode[]>([]);
  windowSec = $state.raw(300);
  /** Every namespace of the host, when the monitor watches them all (else null). */
  host = $state.raw<HostSample | null>(null);
  /** Which namespace the panels show: "all" or one namespace's id. */
  netns = $state.raw<NetnsChoice>(ALL_NAMESPACES);
  /** The Sample every panel shows: the chosen namespace's (the monitor's own without a HostSample). */
  readonly shown = $derived(scopedSample(this.host, this.sample, this.netns));
  error = $state.raw<string | null>(null);
  /** When the connection to the monitor was lost (epoch ms), null while connected or never connected. */
  disconnectedSince = $state.raw<number | null>(null);
  private everOpen = false;
  readonly history = new HistoryModel();
  private readonly off: (() => void)[] = [];
  private loadSeq = 0;

  constructor(readonly client: PortwatchClient) {
    this.off.push(
      client.onState((s) => {
        this.connection = s;
        if (s === 'open') {
          this.everOpen = true;
          this.disconnectedSince = null;
          void this.load();
        } else if (this.everOpen && this.disconnectedSince === null) {
          this.disconnectedSince = Date.now();
        }
      }),
      client.onEvent((e) => {
        switch (e.event) {
          case 'sample':
            this.sample = e.data;
            break;
          case 'tick':
            this.tick = e.data;
            break;
          case 'history':
            this.history.add(e.data.track, e.data.point);
            break;
          case 'namespaces':
            this.host = e.data;
            break;
          case 'timeline':
            this.events = [...this.events, e.data].slice(-MAX_EVENTS);
            break;
          case 'episode':
            this.episodes = upsertEpisode(this.episodes, e.data);
            break;
        }
      }),
    );
  }

  /** Shows another window (seconds). */
  setWindow(sec: number): void {
    if (sec === this.windowSec) return;
    this.windowSec = sec;
    void this.loadHistory();
  }

  /** Scopes every panel to one namespace, or "all". */
  chooseNamespace(choice: NetnsChoice): void {
    this.netns = choice;
  }

  /** Stops listening. */
  dispose(): void {
    for (const f of this.off) f();
    this.client.close();
  }

  private async load(): Promise<void> {
    try {
      const [info, snap, events, host] = await Promise.all([
        this.client.getInfo(),
        this.client.getSnapshot(),
        this.client.getEvents({ limit: MAX_EVENTS }),
        // a monitor of an older version has no such method: then it shows its own namespace only
        this.client.getNamespaces().catch(() => null),
      ]);
      this.info = info;
      if (host && (!this.host || host.time >= this.host.time)) this.host = host;
      if (snap.sample && (!this.sample || snap.sample.time >= this.sample.time)) this.sample = snap.sample;
      if (snap.tick && (!this.tick || snap.tick.time >= this.tick.time)) this.tick = snap.tick;
      this.events = events;
      this.error = null;
      await Promise.all([this.loadHistory(), this.loadEpisodes()]);
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    }
  }

  private async loadEpisodes(): Promise<void> {
    try {
      this.episodes = mergeEpisodes(await this.client.getEpisodes({ limit: MAX_EPISODES_SHOWN }), this.episodes);
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    }
  }

  private async loadHistory(): Promise<void> {
    const seq = ++this.loadSeq;
    this.history.beginLoad();
    try {
      const w = await this.client.getHistory({ windowSec: this.windowSec, buckets: Math.min(CHART_BUCKETS, this.windowSec) });
      if (seq === this.loadSeq) this.history.setWindow(w); // a newer request won: drop this answer
    } catch (err) {
      if (seq !== this.loadSeq) return;
      this.history.cancelLoad();
      this.error = err instanceof Error ? err.message : String(err);
    }
  }
}
