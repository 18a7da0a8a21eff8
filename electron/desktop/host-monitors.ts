// One monitor per remote host in the desktop app's list: each host gets its own sampler over SSH
// (RemoteSampleSource), its own monitor service (severity, history, timeline) and its own folder for
// episodes and roll-ups, so hosts never mix. `sync` follows the list as the user edits it: new hosts
// start, removed ones stop (their shared SSH connection is left to ControlPersist), the order is the
// list's. Electron-free; the main process only calls sync, readings and close.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { AnalysisConfig } from '../common/config.js';
import type { MonitorEvent } from '../common/contract.js';
import type { Sample } from '../common/model.js';
import { ensureControlDir } from '../node/remote/control-dir.js';
import { RemoteSampleSource } from '../node/remote/remote-sample-source.js';
import type { RemoteHostStatus } from '../node/remote/remote-backend.js';
import type { SshRunner } from '../node/remote/ssh-command.js';
import { parseSshTarget } from '../node/remote/ssh-target.js';
import type { SshConnection } from '../node/remote/ssh-command.js';
import { ContractError } from '../common/contract.js';
import { RemoteTuningRunner } from '../node/remote/remote-apply-run.js';
import { gatherRemotePlanInput } from '../node/remote/remote-plan-input.js';
import { RemoteTuner } from '../node/remote/remote-tune.js';
import { formatSshTarget } from '../node/remote/ssh-target.js';
import { MonitorService } from '../node/service/monitor-service.js';
import type { TuningHostOptions } from '../node/service/tuning-host.js';
import { MAX_HOSTS } from './host-list.js';
import { HostLogins, type SpawnLoginPty } from './host-logins.js';

export interface HostMonitorsOptions {
  /** The private directory of the SSH control sockets (control-dir.ts). */
  controlDir: string;
  version: string;
  /** `ssh -F FILE`; absent: the user's own ssh configuration. */
  sshConfig?: string;
  /** Each host keeps its episodes and roll-ups in a folder of its own under `<stateDir>/hosts/`; absent: memory only. */
  stateDir?: string;
  analysis?: AnalysisConfig;
  /** Runs ssh (tests: inside a namespace); default /usr/bin/ssh. */
  runner?: SshRunner;
  /** Runs the terminal's ssh (a login, tuning) through another program, absolute path first (tests: `/usr/sbin/ip netns exec NS`, as `runner` does); default none. */
  loginLauncher?: readonly string[];
  /** Plan for a host's network namespace even when it looks like a container (as `tune --ssh --assume-host`). */
  assumeHost?: boolean;
  spawnLoginPty?: SpawnLoginPty;
  /** Seconds between counter ticks and bounds of the full-sample interval (RemoteSampleSource's defaults when absent). */
  tickSec?: number;
  minFullSec?: number;
}

/** One watched host as the tray and the window see it. */
export interface HostReading {
  label: string;
  sample: Sample | null;
  status: RemoteHostStatus;
  /** Why this host is not being watched at all (its SSH control directory is unsafe), or null. */
  problem: string | null;
  /** The host waits for the user (a password, a passphrase, a host key to accept): a login in the window would help. */
  needsLogin: boolean;
}

interface Watched {
  connection: SshConnection;
  source: RemoteSampleSource;
  service: MonitorService;
  unsubscribe: () => void;
}

/** The folder a host's episodes live in: readable, and distinct for distinct hosts. */
export function hostStateFolder(label: string): string {
  const hash = createHash('sha256').update(label).digest('hex').slice(0, 10);
  return `${label.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 60)}-${hash}`;
}

/** The monitors of the remote hosts, kept in step with the host list. */
export class HostMonitors {
  private readonly watched = new Map<string, Watched>();
  private order: string[] = [];
  /** Null until checked; then '' when the control directory is safe, else why not. */
  private controlDirProblem: string | null = null;
  private readonly listeners = new Set<(label: string, sample: Sample) => void>();
  private readonly eventListeners = new Set<(label: string, event: MonitorEvent) => void>();

  private readonly opts: HostMonitorsOptions;
  /** Logins in the window's terminal, one at most per host; their events go out with the host's own. */
  readonly logins: HostLogins;

  constructor(opts: HostMonitorsOptions) {
    this.opts = { ...opts };
    this.logins = new HostLogins({
      connectionOf: (label) => this.watched.get(label)?.connection ?? null,
      loggedIn: (label) => this.watched.get(label)?.source.readNow(),
      emit: (label, event) => notifyAll(this.eventListeners, label, event as MonitorEvent),
      ...(opts.loginLauncher ? { launcher: opts.loginLauncher } : {}),
      ...(opts.spawnLoginPty ? { spawnPty: opts.spawnLoginPty } : {}),
    });
  }

  /** Starts the hosts new to `hosts`, stops those no longer in it, and takes its order (at once; the promise is the stopping). */
  sync(hosts: readonly string[]): Promise<void> {
    const wanted = hosts.slice(0, MAX_HOSTS);
    const gone = [...this.watched.entries()].filter(([h]) => !wanted.includes(h));
    for (const [h] of gone) this.watched.delete(h);
    this.logins.keep(wanted);
    for (const h of wanted) if (!this.watched.has(h)) this.start(h);
    this.order = this.controlDirProblem ? wanted : wanted.filter((h) => this.watched.has(h));
    return Promise.all(gone.map(([, w]) => stopWatched(w))).then(() => undefined);
  }

  /** Every host in list order with its latest sample and reachability. */
  readings(): HostReading[] {
    return this.order.map((label) => {
      const w = this.watched.get(label);
      if (!w) return { label, sample: null, status: { state: 'never', since: null, message: '' }, problem: this.controlDirProblem || 'not started', needsLogin: false };
      const status = w.source.status();
      return { label, sample: w.source.latest(), status, problem: null, needsLogin: status.state === 'needs-login' || status.state === 'host-key-unknown' };
    });
  }

  /** New analysis settings for every host, running or started later (a hand edit of the settings file). */
  configure(analysis: AnalysisConfig): void {
    this.opts.analysis = analysis;
    for (const w of this.watched.values()) w.source.configure(analysis);
  }

  /** The contract endpoint of one host (its dashboard), or null when it is not watched. */
  service(label: string): MonitorService | null {
    return this.watched.get(label)?.service ?? null;
  }

  /** Calls listener with every new sample of any host. */
  onSample(listener: (label: string, sample: Sample) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Calls listener with every contract event of any host's monitor (what its dashboard page is sent). */
  onEvent(listener: (label: string, event: MonitorEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /** Stops every host. */
  async close(): Promise<void> {
    await this.sync([]);
    this.listeners.clear();
    this.eventListeners.clear();
  }

  /**
   * The wizard on a host's page: planned from that host's own reading, applied there by Portwatch's fixed
   * remote script in the page's terminal (sudo asks there unless the login is root), the countdown held by
   * the host itself.
   */
  private remoteTuning(connection: SshConnection, source: RemoteSampleSource): TuningHostOptions {
    const runner = this.opts.runner;
    const tuner = new RemoteTuner({ connection, ...(runner ? { runner } : {}), ...(this.opts.loginLauncher ? { launcher: this.opts.loginLauncher } : {}) });
    const remote = new RemoteTuningRunner(tuner, connection.target.user === 'root');
    return {
      allowApply: true,
      planInput: async () => {
        await remote.learnLogin().catch(() => undefined); // who the login is decides sudo; a failure shows in the read below
        const { input, status } = await gatherRemotePlanInput({ connection, ...(runner ? { runner } : {}), intervalSec: 0, assumeHost: this.opts.assumeHost === true, options: {} });
        if (status.state !== 'connected') throw new ContractError('unavailable', status.message || `${formatSshTarget(connection.target)} could not be read`);
        // One fresh reading for the settings and the held ports; the monitor's sample for rates and diagnoses.
        const s = source.latest();
        return s && source.status().state === 'connected' ? { ...input, sample: s } : input;
      },
      runner: () => remote,
      remoteHost: formatSshTarget(connection.target),
    };
  }

  private start(label: string): void {
    // Anyone who can open a control socket rides the connection: no host is read until the folder is ours alone.
    if (this.controlDirProblem === null) {
      try {
        ensureControlDir(this.opts.controlDir);
        this.controlDirProblem = '';
      } catch (err) {
        this.controlDirProblem = err instanceof Error ? err.message : String(err);
      }
    }
    if (this.controlDirProblem) return;
    let target;
    try {
      target = parseSshTarget(label);
    } catch (err) {
      // The list was checked when it was read; a host that still fails is skipped, not fatal.
      process.emitWarning(`Portwatch: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    const connection: SshConnection = { target, controlDir: this.opts.controlDir, ...(this.opts.sshConfig ? { configFile: this.opts.sshConfig } : {}) };
    const source = new RemoteSampleSource({
      connection,
      ...(this.opts.analysis ? { analysis: this.opts.analysis } : {}),
      ...(this.opts.runner ? { runner: this.opts.runner } : {}),
      ...(this.opts.tickSec !== undefined ? { tickSec: this.opts.tickSec } : {}),
      ...(this.opts.minFullSec !== undefined ? { minFullSec: this.opts.minFullSec } : {}),
    });
    const service = new MonitorService({
      sampler: source,
      tuning: this.remoteTuning(connection, source),
      version: this.opts.version,
      platform: 'linux',
      hostname: label,
      ...(this.opts.stateDir ? { stateDir: join(this.opts.stateDir, 'hosts', hostStateFolder(label)) } : {}),
    });
    const fromSamples = source.onSample((s) => notifyAll(this.listeners, label, s));
    const fromEvents = service.subscribe((e) => notifyAll(this.eventListeners, label, e));
    const unsubscribe = (): void => {
      fromSamples();
      fromEvents();
    };
    this.watched.set(label, { connection, source, service, unsubscribe });
    source.start();
  }
}

/** Calls every listener; one that throws is reported and does not stop the others. */
function notifyAll<T>(listeners: ReadonlySet<(label: string, value: T) => void>, label: string, value: T): void {
  for (const l of listeners) {
    try {
      l(label, value);
    } catch (err) {
      process.emitWarning(`Portwatch: host listener failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

async function stopWatched(w: Watched): Promise<void> {
  w.unsubscribe();
  await w.source.stop();
  w.service.close();
}
