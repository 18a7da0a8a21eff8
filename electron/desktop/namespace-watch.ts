// The desktop monitor across every network namespace: a HostSampler beside the monitor's own sampler
// while the "all namespaces" setting says so (automatic by default: see namespace-alerts.ts). Its
// HostSamples go to the monitor service (the dashboard's namespace picker, episodes per namespace and the
// `namespaces` event that the main process turns into the tray headline and notifications). A settings
// change starts or stops it in place; changes are applied one at a time, in order.
import type { AnalysisConfig } from '../common/config.js';
import type { HostSample } from '../common/host-sample.js';
import { hostReadSupport } from '../node/platform/linux/host-read.js';
import { HOST_SAMPLE_INTERVAL_MS, HostSampler, type HostSamplerOptions } from '../node/sampler/host-sampler.js';
import { inHostNamespace } from '../node/sampler/netns-scope.js';
import { watchesAllNamespaces, type NamespaceAccess } from './namespace-alerts.js';

/** The part of HostSampler the watch drives (HostSampler satisfies it). */
export interface HostSamplerLike {
  onSample(listener: (host: HostSample) => void): () => void;
  start(intervalMs: number): void;
  stop(): Promise<void>;
}

export interface NamespaceWatchOptions {
  /** Where every HostSample goes (MonitorService.observeNamespaces). */
  observe: (host: HostSample) => void;
  /** Told when the watch stops, so what was shown of the other namespaces is dropped. */
  cleared?: () => void;
  /** Whether this process could read every namespace (default: asks the kernel and the addon). */
  access?: () => Promise<NamespaceAccess>;
  /** Default: a real HostSampler with the given analysis settings (and the monitor's failure tracer, read only). */
  createSampler?: (analysis: AnalysisConfig) => HostSamplerLike;
  /** The failure tracer the monitor's own sampler runs: each namespace's sample then carries its failures. */
  connectFailures?: HostSamplerOptions['connectFailures'];
  intervalMs?: number;
}

/** What the machine allows: root with the native reader, and whether this is the host's own namespace. */
export async function namespaceAccess(platform: NodeJS.Platform = process.platform): Promise<NamespaceAccess> {
  if (platform !== 'linux') return { canReadHost: false, inHostNamespace: false };
  return { canReadHost: hostReadSupport().ok, inHostNamespace: await inHostNamespace() };
}

/** Starts, stops and restarts the host-wide sampler to follow the setting. */
export class NamespaceWatch {
  private sampler: HostSamplerLike | null = null;
  private unsubscribe: (() => void) | null = null;
  private analysisKey = '';
  private chain: Promise<void> = Promise.resolve();
  private closed = false;
  private lastNote: string | null = null;

  constructor(private readonly o: NamespaceWatchOptions) {}

  /** True while every namespace is being sampled. */
  get running(): boolean {
    return this.sampler !== null;
  }

  /** Why the setting asked for every namespace and got this one only, or null. */
  get note(): string | null {
    return this.lastNote;
  }

  /** Follows a setting (true, false, null = automatic) with these analysis settings; resolves once applied. */
  follow(setting: boolean | null | undefined, analysis: AnalysisConfig): Promise<void> {
    this.chain = this.chain.then(() => this.applyNow(setting ?? null, analysis)).catch((err: unknown) => {
      process.emitWarning(`Portwatch: could not follow the all-namespaces setting: ${err instanceof Error ? err.message : String(err)}`);
    });
    return this.chain;
  }

  /** Stops sampling for good. */
  close(): Promise<void> {
    this.closed = true;
    this.chain = this.chain.then(() => this.stopSampler());
    return this.chain;
  }

  private async applyNow(setting: boolean | null, analysis: AnalysisConfig): Promise<void> {
    if (this.closed) return;
    const access = setting === false ? { canReadHost: false, inHostNamespace: false } : await (this.o.access ?? namespaceAccess)();
    const decision = watchesAllNamespaces(setting, access);
    this.lastNote = decision.note;
    const key = JSON.stringify(analysis);
    // The per-namespace analyzers take their settings at creation: new thresholds mean a new sampler.
    if (this.sampler && (!decision.on || key !== this.analysisKey)) await this.stopSampler();
    if (!decision.on || this.sampler || this.closed) return;
    const sampler = (this.o.createSampler ?? ((a: AnalysisConfig) => new HostSampler({ analysis: a, connectFailures: this.o.connectFailures ?? null })))(analysis);
    this.unsubscribe = sampler.onSample(this.o.observe);
    this.sampler = sampler;
    this.analysisKey = key;
    sampler.start(this.o.intervalMs ?? HOST_SAMPLE_INTERVAL_MS);
  }

  private async stopSampler(): Promise<void> {
    const s = this.sampler;
    if (!s) return;
    this.sampler = null;
    this.unsubscribe?.();
    this.unsubscribe = null;
    await s.stop();
    this.o.cleared?.();
  }
}
