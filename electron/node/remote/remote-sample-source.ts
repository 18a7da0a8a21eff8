// A remote host as a sample source for the monitor service (serve, the desktop app): the ordinary
// Sampler over a RemoteBackend, whose samples say "unknown: unreachable since …" while the host does not
// answer. Reads are round trips over SSH, so the cheap tick and the full samples come less often than
// for the local machine.
import type { Sample, TickSample } from '../../common/model.js';
import type { AnalysisConfig } from '../../common/config.js';
import { Sampler } from '../sampler/sampler.js';
import type { SampleSource } from '../service/monitor-service.js';
import { createRemoteBackend, withRemoteStatus, type RemoteBackend, type RemoteHostStatus } from './remote-backend.js';
import type { SshConnection, SshRunner } from './ssh-command.js';

/** Options for one remote host's sampling. */
export interface RemoteSampleSourceOptions {
  connection: SshConnection;
  analysis?: AnalysisConfig;
  runner?: SshRunner;
  /** Seconds between counter ticks (default 5: each is a round trip). */
  tickSec?: number;
  /** Bounds of the full-sample interval in seconds (default 5..60). */
  minFullSec?: number;
  maxFullSec?: number;
}

/** One remote host's samples, with its reachability applied. */
export class RemoteSampleSource implements SampleSource {
  readonly backend: RemoteBackend;
  private readonly sampler: Sampler;

  constructor(opts: RemoteSampleSourceOptions) {
    this.backend = createRemoteBackend({ connection: opts.connection, ...(opts.runner ? { runner: opts.runner } : {}) });
    this.sampler = new Sampler({
      backend: this.backend,
      ...(opts.analysis ? { analysis: opts.analysis } : {}),
      tickIntervalMs: (opts.tickSec ?? 5) * 1000,
      minFullIntervalMs: (opts.minFullSec ?? 5) * 1000,
      maxFullIntervalMs: (opts.maxFullSec ?? 60) * 1000,
    });
  }

  /** "user@host:port" as the user wrote it. */
  get label(): string {
    return this.backend.label;
  }

  get paused(): boolean {
    return this.sampler.paused;
  }

  /** How the host is doing (connected, unreachable since …, needs login, host key changed). */
  status(): RemoteHostStatus {
    return this.backend.status();
  }

  latest(): Sample | null {
    const s = this.sampler.latest();
    return s ? this.decorate(s) : null;
  }

  onSample(listener: (s: Sample) => void): () => void {
    return this.sampler.onSample((s) => listener(this.decorate(s)));
  }

  onTick(listener: (t: TickSample) => void): () => void {
    return this.sampler.onTick(listener);
  }

  start(): void {
    this.sampler.start();
  }

  /** New analysis settings (thresholds, windows) from the next sample on; what the analyzer remembers stays. */
  configure(analysis: AnalysisConfig): void {
    this.sampler.configure({ analysis });
  }

  stop(): Promise<void> {
    return this.sampler.stop();
  }

  /** Reads again at once (a login just made the shared connection); a read in flight is dropped. */
  readNow(): void {
    if (this.sampler.paused) return;
    this.sampler.pause();
    this.sampler.resume();
  }

  /** One tick and one full sample now. */
  async sampleOnce(): Promise<Sample> {
    return this.decorate(await this.sampler.sampleOnce());
  }

  private decorate(s: Sample): Sample {
    const d = withRemoteStatus(s, this.backend.status());
    return d.hostname ? d : { ...d, hostname: this.backend.label };
  }
}
