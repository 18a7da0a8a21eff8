// `portwatch serve --ssh HOST …`: one dashboard (and /metrics) per remote host, each with its own
// sampler over SSH, severity, history and episodes; a host that does not answer is "unknown:
// unreachable since …". Tuning is off for remote hosts here (the plan is shown, nothing is applied).
import { ControlDirError, defaultControlDir, ensureControlDir } from '../node/remote/control-dir.js';
import { RemoteSampleSource } from '../node/remote/remote-sample-source.js';
import { parseSshTarget } from '../node/remote/ssh-target.js';
import type { ServeOptions } from './serve-args.js';
import type { MonitorEndpoint } from '../common/contract.js';
import { MAX_PICKER_HOSTS, type HostSummary } from '../common/hosts.js';
import { unreachableReason } from '../node/remote/remote-backend.js';
import { untilStopped } from './until-stopped.js';
import { startServe, type RunningServe, type ServeIo } from './serve.js';

const EXIT_OK = 0;
const EXIT_USAGE = 64;
const EXIT_UNAVAILABLE = 69;

/** Runs one dashboard per --ssh host until interrupted; resolves to the exit status. */
export async function runServeRemote(opts: ServeOptions, io: ServeIo, signal?: AbortSignal): Promise<number> {
  let controlDir: string;
  try {
    controlDir = ensureControlDir(defaultControlDir());
  } catch (err) {
    if (err instanceof ControlDirError) {
      io.stderr.write(`portwatch serve: ${err.message}\n`);
      return EXIT_USAGE;
    }
    throw err;
  }
  const running: RunningServe[] = [];
  const sources = (opts.ssh ?? []).map(
    (host) => new RemoteSampleSource({ connection: { target: parseSshTarget(host), controlDir, ...(opts.sshConfig ? { configFile: opts.sshConfig } : {}) } }),
  );
  // Every host's page offers the picker, and its connection may switch to any host (/ws?host=N).
  const endpoints = (): MonitorEndpoint[] => running.map((r) => r.service);
  for (const [i, source] of sources.entries()) {
    const port = opts.port === 0 ? 0 : opts.port + i;
    try {
      running.push(await startServe({ ...opts, port }, source, { tuning: null, hostname: source.label, hosts: { list: () => hostSummaries(sources, i), endpoints } }));
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      io.stderr.write(`portwatch serve: cannot listen on ${opts.host}:${port} for ${source.label}: ${e.code === 'EADDRINUSE' ? 'the port is already in use' : e.message}\n`);
      await Promise.all(sources.slice(i).map((s) => s.stop()));
      await Promise.all(running.map((r) => r.close()));
      return EXIT_UNAVAILABLE;
    }
    const r = running.at(-1)!;
    io.stdout.write(`Portwatch dashboard for ${source.label}: ${r.url}\n`);
    io.stdout.write(`  metrics: http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${r.port}/metrics${opts.metricsPublic ? ' (public)' : ' (token required)'}\n`);
  }
  io.stdout.write('Remote hosts are read over ssh without prompting: log in first (`portwatch check --ssh HOST` in a terminal) where a password or host key question is needed.\n');
  await untilStopped(signal);
  await Promise.all(running.map((r) => r.close()));
  return EXIT_OK;
}

/** The host picker's list as the page of host `current` sees it: every host with its latest severity. */
export function hostSummaries(sources: readonly RemoteSampleSource[], current: number): HostSummary[] {
  return sources.slice(0, MAX_PICKER_HOSTS).map((s, index) => {
    const latest = s.latest();
    const reason = latest?.severityReason ?? unreachableReason(s.status()) ?? 'Waiting for the first reading';
    return { index, label: s.label, severity: latest?.severity ?? 'unknown', severityReason: reason.slice(0, 2000), current: index === current };
  });
}
