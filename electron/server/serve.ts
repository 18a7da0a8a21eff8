// `portwatch serve`: starts the sampler, the monitor service and the dashboard server, prints the URL to
// open (with its token), and runs until interrupted.
import { existsSync, readFileSync, writeFileSync, renameSync, unlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSampler } from '../node/sampler/sampler.js';
import { createConnectFailureTracer } from '../node/platform/linux/tracer/connect-failure-tracer.js';
import { MonitorService, type SampleSource } from '../node/service/monitor-service.js';
import { machineTuning } from '../node/service/tuning-machine.js';
import type { TuningHostOptions } from '../node/service/tuning-host.js';
import type { HistoryStore } from '../node/history/history-store.js';
import { stateDirectory } from '../node/history/state-dir.js';
import type { PlatformName } from '../common/model.js';
import type { HostSummary } from '../common/hosts.js';
import type { MonitorEndpoint } from '../common/contract.js';
import { newToken } from './auth.js';
import { createDashboardServer, type DashboardServer } from './http-server.js';
import { PortwatchMetrics } from './metrics.js';
import { resolveNetnsScope } from '../node/sampler/netns-scope.js';
import { startHostWideMetrics } from './netns-serve.js';
import { HostSampler } from '../node/sampler/host-sampler.js';
import { createMetricsServer, type MetricsServer } from './metrics-server.js';
import { loadStaticFiles } from './static-files.js';
import { SERVE_USAGE, parseServeArgs, type ServeOptions } from './serve-args.js';
import { openBrowser } from './open-browser.js';
import { untilStopped } from './until-stopped.js';
import { fitHelp } from '../common/help-text.js';

export interface ServeIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

const EXIT_OK = 0;
const EXIT_USAGE = 64;
/** EX_UNAVAILABLE: the port was taken or could not be bound. */
const EXIT_UNAVAILABLE = 69;

const here = dirname(fileURLToPath(import.meta.url));

/** What the wizard says when serve runs without --allow-apply. */
export const SERVE_APPLY_OFF =
  'This dashboard was started without --allow-apply, so it shows the plan and the exact commands but changes nothing. To apply from here, restart it as `portwatch serve --allow-apply` (as root, or where sudo or pkexec can start Portwatch\'s helper); or copy the commands below into a root shell.';

/** The built renderer: out/renderer beside the sources (dev) or beside the built server (out/node/...). */
export function findRendererDir(): string | null {
  // Source tree, built tree, then the packaged app's resources/ (the CLI bundle in resources/cli).
  for (const d of [join(here, '../../out/renderer'), join(here, '../../../renderer'), join(here, '../renderer')]) {
    if (existsSync(join(d, 'index.html'))) return d;
  }
  return null;
}

function packageVersion(): string {
  for (const p of [join(here, '../../package.json'), join(here, '../../../../package.json')]) {
    try {
      const v = (JSON.parse(readFileSync(p, 'utf8')) as { version?: unknown }).version;
      if (typeof v === 'string') return v;
    } catch {
      // try the next layout
    }
  }
  return 'unknown';
}

/** Everything a running serve holds, for tests and for `runServe`. */
export interface RunningServe {
  url: string;
  port: number;
  /** Reads everything (the page, /ws, /metrics); written to --token-file; changes nothing. */
  token: string;
  /** With --allow-apply: the key in the printed URL that gives a browser the page credential (never in a file). */
  launchKey: string;
  service: MonitorService;
  /** The dashboard server, or the exporter with --metrics-only. */
  server: DashboardServer | MetricsServer;
  /** The families /metrics renders (other modules add theirs). */
  metrics: PortwatchMetrics;
  close(): Promise<void>;
}

/** Starts serving with a given sample source (the real sampler in runServe; a synthetic one in benchmarks). */
export async function startServe(
  opts: ServeOptions,
  sampler: SampleSource & { start?(): void; stop?(): Promise<void> },
  extra: {
    rendererDir?: string | null;
    platform?: PlatformName;
    history?: HistoryStore;
    tuning?: TuningHostOptions | null;
    hostname?: string;
    stateDir?: string;
    /** A dashboard of several hosts: the host picker's list, and the monitors `/ws?host=N` reaches. */
    hosts?: { list: () => HostSummary[]; endpoints: () => readonly MonitorEndpoint[] };
  } = {},
): Promise<RunningServe> {
  const token = newToken();
  const launchKey = newToken();
  const allowApply = opts.allowApply === true;
  const tuning =
    extra.tuning !== undefined
      ? extra.tuning
      : machineTuning({ allowApply, assumeHost: opts.assumeHost === true, ...(allowApply ? {} : { disabledReason: SERVE_APPLY_OFF }) }, () => sampler.latest());
  const version = packageVersion();
  const service = new MonitorService({
    sampler,
    tuning,
    ...(extra.history ? { history: extra.history } : {}),
    ...(extra.stateDir ? { stateDir: extra.stateDir } : {}),
    ...(extra.hosts ? { hosts: extra.hosts.list } : {}),
    version,
    platform: extra.platform ?? (process.platform === 'darwin' || process.platform === 'win32' ? process.platform : 'linux'),
    hostname: extra.hostname ?? hostname(),
  });
  const portwatchMetrics = new PortwatchMetrics({ version });
  let latestTick: Parameters<PortwatchMetrics['render']>[1] = null;
  sampler.onTick((t) => (latestTick = t));
  // Rendered per scrape (sample age moves on); cheap next to a sample.
  const metrics = (): string => portwatchMetrics.render(sampler.latest(), latestTick, Date.now());
  let server: DashboardServer | MetricsServer;
  if (opts.metricsOnly) {
    server = createMetricsServer({ metrics, token, host: opts.host, allowHosts: opts.allowHosts, public: opts.metricsPublic });
  } else {
    const rendererDir = extra.rendererDir === undefined ? findRendererDir() : extra.rendererDir;
    const files = rendererDir ? loadStaticFiles(rendererDir) : null;
    server = createDashboardServer({
      endpoint: service,
      metrics,
      token,
      host: opts.host,
      allowHosts: opts.allowHosts,
      metricsPublic: opts.metricsPublic,
      allowApply,
      launchKey,
      files,
      ...(extra.hosts ? { hostEndpoints: extra.hosts.endpoints } : {}),
    });
  }
  const port = await server.listen(opts.port);
  sampler.start?.();
  const shownHost = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  const url = `http://${shownHost}:${port}/?token=${token}${allowApply && !opts.metricsOnly ? `&page=${launchKey}` : ''}`;
  return {
    url,
    port,
    token,
    launchKey,
    service,
    server,
    metrics: portwatchMetrics,
    close: async () => {
      await server.close();
      await sampler.stop?.();
      service.close();
    },
  };
}

function writeTokenFile(path: string, token: string): void {
  // Written beside its final name then renamed, created 0600 so no other user can read it at any moment.
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, token + '\n', { mode: 0o600, flag: 'wx' });
  try {
    renameSync(tmp, path);
  } catch (err) {
    unlinkSync(tmp);
    throw err;
  }
}

/** Runs `portwatch serve args…`; resolves to the exit status when interrupted (or when signal aborts). */
export async function runServe(args: string[], io: ServeIo, signal?: AbortSignal): Promise<number> {
  const parsed = parseServeArgs(args);
  if (!parsed.ok) {
    io.stderr.write(`portwatch serve: ${parsed.error}\nRun \`portwatch serve --help\` for usage.\n`);
    return EXIT_USAGE;
  }
  const opts = parsed.options;
  if (opts.help) {
    io.stdout.write(fitHelp(SERVE_USAGE));
    return EXIT_OK;
  }
  if (opts.ssh !== undefined && opts.ssh.length > 0) {
    const { runServeRemote } = await import('./serve-remote.js');
    return runServeRemote(opts, io, signal);
  }
  const scope = await resolveNetnsScope(opts.netns);
  if ('error' in scope) {
    io.stderr.write(`portwatch serve: ${scope.error}\nRun \`portwatch serve --help\` for usage.\n`);
    return EXIT_USAGE;
  }
  // The kernel's own word on failed connects runs as long as serve does (Linux; it says itself when it cannot).
  const tracer = opts.failureTracer === false ? null : createConnectFailureTracer({ syscalls: opts.traceSyscalls === true });
  const sampler = createSampler({ connectFailures: tracer });
  let running: RunningServe;
  try {
    running = await startServe(opts, sampler, { stateDir: stateDirectory() });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'EADDRINUSE' ? `port ${opts.port} is already in use` : e.code === 'EADDRNOTAVAIL' ? `address ${opts.host} is not on this machine` : e.message;
    io.stderr.write(`portwatch serve: cannot listen on ${opts.host}:${opts.port}: ${why}\n`);
    await sampler.stop();
    return EXIT_UNAVAILABLE;
  }
  if (opts.tokenFile) {
    try {
      writeTokenFile(opts.tokenFile, running.token);
    } catch (err) {
      io.stderr.write(`portwatch serve: --token-file ${opts.tokenFile}: ${(err as Error).message.replace(running.token, '<token>')}\n`);
      await running.close();
      return EXIT_USAGE;
    }
  }
  // Ctrl-C from here on stops cleanly (roll-ups saved, token file removed), even while the browser is
  // still being opened: before, a SIGINT in that moment met Node's default and killed serve outright.
  const stopped = untilStopped(signal);
  // Host-wide, each namespace's sample carries the failures traced in it (the sampler runs the tracer; this only reads it).
  const hostWide = scope.scope === 'host' ? startHostWideMetrics(running.metrics.registry, new HostSampler({ connectFailures: tracer })) : null;
  // every namespace's episodes are kept beside the monitor's own, each naming its namespace
  hostWide?.sampler.onSample((host) => running.service.observeNamespaces(host));
  const metricsUrl = `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${running.port}/metrics`;
  if (opts.metricsOnly) {
    io.stdout.write(`Portwatch exporter: ${metricsUrl}${opts.metricsPublic ? ' (no token needed)' : ` (token required: Authorization: Bearer <token>${opts.tokenFile ? `, the token is in ${opts.tokenFile}` : ''})`}\n`);
  } else {
    if (!findRendererDir()) io.stderr.write('portwatch serve: the dashboard is not built (npm run build:renderer); /metrics and /ws work meanwhile.\n');
    io.stdout.write(`Portwatch dashboard: ${running.url}\n`);
    io.stdout.write(`Metrics: ${metricsUrl}${opts.metricsPublic ? ' (public)' : ' (token required: Authorization: Bearer <token>)'}\n`);
  }
  if (opts.allowApply) io.stdout.write('Applying is ON (--allow-apply): the tuning wizard on this dashboard page may change kernel settings through Portwatch\'s helper; every change reverts by itself unless kept.\n');
  if (opts.open && !(await openBrowser(running.url))) io.stderr.write('portwatch serve: could not start a browser; open the URL above by hand.\n');

  await stopped;
  await hostWide?.stop();
  await running.close();
  if (opts.tokenFile) {
    try {
      unlinkSync(opts.tokenFile);
    } catch {
      // already gone
    }
  }
  return EXIT_OK;
}
