// The monitor in this process: a sampler and the monitor service over it; a settings change reconfigures the
// sampler in place, so history, timeline and what the analysis remembers all carry on. The desktop app
// runs it either in its main process or inside a utility process (monitor-host.ts); see
// electron/main/monitor-process.ts for the choice.
import { hostname } from 'node:os';
import type { PlatformName } from '../common/model.js';
import { createSampler } from '../node/sampler/sampler.js';
import { createConnectFailureTracer } from '../node/platform/linux/tracer/connect-failure-tracer.js';
import { MonitorService } from '../node/service/monitor-service.js';
import { machineTuning } from '../node/service/tuning-machine.js';
import type { TuningHostOptions } from '../node/service/tuning-host.js';
import type { MonitorControl } from './monitor-control.js';
import type { MonitorConfig, SamplerLike } from './monitor-config.js';
import { NamespaceWatch, type NamespaceWatchOptions } from './namespace-watch.js';

export interface LocalMonitorOptions {
  config: MonitorConfig;
  version: string;
  /** Builds a sampler (default: the real one for this machine). */
  createSampler?: (config: MonitorConfig) => SamplerLike;
  platform?: PlatformName;
  hostname?: string;
  /** The tuning host (default: this machine, applying allowed for the app's own window); null: none. */
  tuning?: TuningHostOptions | null;
  /** Where episodes and history roll-ups survive restarts (default: $PORTWATCH_STATE_DIR, which the app sets to its user-data folder; unset: memory only). */
  stateDir?: string;
  /** How every namespace is watched when the setting says so (tests give their own access and sampler). */
  namespaces?: Omit<NamespaceWatchOptions, 'observe' | 'cleared'>;
}

/** This machine's platform name as the model spells it. */
export function platformName(p: NodeJS.Platform = process.platform): PlatformName {
  return p === 'darwin' || p === 'win32' ? p : 'linux';
}

/** Starts a sampler and a monitor service in this process. */
export function startLocalMonitor(opts: LocalMonitorOptions): MonitorControl {
  // The real sampler keeps the connect-failure tracer running with it (Linux; it says itself when it cannot);
  // the sampler of every namespace reads the same tracer, so each namespace's sample carries its own failures.
  const tracer = opts.createSampler ? null : createConnectFailureTracer();
  const create = opts.createSampler ?? ((c: MonitorConfig) => createSampler({ cpuBudget: c.cpuBudget, analysis: c.analysis, connectFailures: tracer }));
  const sampler = create(opts.config);
  const stateDir = opts.stateDir ?? process.env.PORTWATCH_STATE_DIR;
  const service = new MonitorService({
    sampler,
    // The desktop app applies through the helper with the system's elevation prompt; only requests the
    // IPC chokepoint marked as coming from the app's own window may change anything.
    tuning: opts.tuning === undefined ? machineTuning({ allowApply: true }, () => sampler.latest()) : opts.tuning,
    version: opts.version,
    platform: opts.platform ?? platformName(),
    hostname: opts.hostname ?? hostname(),
    ...(stateDir ? { stateDir } : {}),
  });
  sampler.start();
  // Every namespace of the host beside this one, when the setting (automatic by default) says so.
  const watch = new NamespaceWatch({ connectFailures: tracer, ...opts.namespaces, observe: (host) => service.observeNamespaces(host), cleared: () => service.clearNamespaces() });
  let noted: string | null = null;
  let current = opts.config;
  const follow = (config: MonitorConfig): void => {
    current = config;
    if (sampler.paused) return; // resume() follows it
    void watch.follow(config.allNamespaces, config.analysis).then(() => {
      // Said once per reason on the timeline (and so in the log): the user asked for more than this process can read.
      if (watch.note !== null && watch.note !== noted) service.notice('Watching this network namespace only', watch.note, 'warning');
      noted = watch.note;
    });
  };
  follow(opts.config);
  return {
    endpoint: service,
    get paused() {
      return sampler.paused;
    },
    pause(reason) {
      if (sampler.paused) return;
      sampler.pause();
      void watch.follow(false, current.analysis); // paused means every namespace, not only this one
      service.markGap(reason);
    },
    resume() {
      sampler.resume();
      follow(current);
    },
    configure(config) {
      try {
        sampler.configure(config);
        follow(config);
      } catch (err) {
        process.emitWarning(`Portwatch: could not apply the new sampling settings: ${err instanceof Error ? err.message : String(err)}`);
      }
    },
    onProblem() {
      return () => undefined; // in-process: a failure of the monitor is a failure of this process
    },
    async close() {
      await Promise.all([sampler.stop(), watch.close()]);
      service.close();
    },
  };
}
