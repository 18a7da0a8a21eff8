// `portwatch check`: one report (human or JSON) from live sampling or from a capture bundle; `--watch`
// keeps sampling and refreshes the report in place.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Sample } from '../common/model.js';
import { DEFAULT_ANALYSIS_CONFIG, parseAnalysisConfig, type AnalysisConfig } from '../common/config.js';
import { Analyzer } from '../node/engine/analyzer.js';
import { readBundle, BundleError } from '../node/capture/bundle.js';
import { createBackend, parseSnapshot } from '../node/platform/index.js';
import { Sampler } from '../node/sampler/sampler.js';
import { EXIT, severityExitCode } from './exit-codes.js';
import { parseCommandArgs, type Io } from './args.js';
import { renderReport } from './report.js';
import { cleanTerminalFields, terminalSafeJson } from '../common/terminal-text.js';
import { TERMINAL_CONTROL, terminalSafeIo, writeTerminalControl } from './terminal-io.js';
import { checkOverSsh } from './check-ssh.js';
import { parseSeconds } from './args.js';
import { HostSampler } from '../node/sampler/host-sampler.js';
import type { HostSample } from '../common/host-sample.js';
import { hostCheckDocument, renderHostReport } from './host-report.js';
import { resolveNetnsScope } from '../node/sampler/netns-scope.js';

const OPTIONS = {
  json: { type: 'boolean' },
  watch: { type: 'boolean' },
  bundle: { type: 'string' },
  ssh: { type: 'string' },
  'ssh-config': { type: 'string' },
  interval: { type: 'string' },
  'no-owners': { type: 'boolean' },
  netns: { type: 'string' },
  warning: { type: 'string' },
  critical: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const HELP = `Usage: portwatch check [options]
  --json            print one JSON document (the Sample; see README) instead of the report
  --watch           keep sampling; refresh the report in place (with --json: one JSON document per line)
  --bundle DIR      analyse a capture made by \`portwatch capture\` instead of this machine
  --ssh [USER@]HOST[:PORT]
                    check a remote host over your own ssh (nothing installed there; see README)
  --ssh-config FILE with --ssh: the ssh configuration file to use (ssh -F FILE)
  --interval SEC    seconds between the two samples a check takes, so rates are known (default 1; 0 = one sample)
  --no-owners       do not look up owning processes (faster; no per-process view)
  --netns SCOPE     host: every network namespace (containers, pods), worst first; self: only this
                    one (default: host when root in the host's namespace, else self)
  --warning RATIO   utilisation at which to warn (default ${DEFAULT_ANALYSIS_CONFIG.thresholds.warning})
  --critical RATIO  utilisation that is critical (default ${DEFAULT_ANALYSIS_CONFIG.thresholds.critical})
Exit status: 0 ok, 1 warning, 2 critical or exhausted, 3 unknown (also for bad arguments).
`;

/** Runs `portwatch check`; resolves to the exit status. */
export async function runCheck(args: string[], rawIo: Io, signal?: AbortSignal): Promise<number> {
  const io = terminalSafeIo(rawIo);
  const v = parseCommandArgs('check', args, OPTIONS, io);
  if (!v) return EXIT.unknown;
  if (v.help) {
    io.stdout.write(HELP);
    return EXIT.ok;
  }
  const config = buildConfig(v.warning, v.critical, io);
  if (!config) return EXIT.unknown;
  const interval = parseSeconds(v.interval, 1, '--interval', 0, 3600);
  if (typeof interval === 'string') {
    io.stderr.write(`portwatch check: ${interval}\n`);
    return EXIT.unknown;
  }
  const emit = (s: Sample): void => {
    // Every string of the sample came from outside: cleaned field by field, so none can even start a line.
    io.stdout.write(v.json ? terminalSafeJson(s) + (v.watch ? '\n' : '') : renderReport(cleanTerminalFields(s)));
  };
  if (v['ssh-config'] !== undefined && v.ssh === undefined) {
    io.stderr.write('portwatch check: --ssh-config needs --ssh HOST\n');
    return EXIT.unknown;
  }
  if (v.ssh !== undefined) {
    if (v.watch || v.bundle !== undefined || v.netns !== undefined) {
      io.stderr.write(`portwatch check: --ssh cannot be combined with ${v.watch ? '--watch' : v.bundle !== undefined ? '--bundle' : '--netns (a remote host is read in the namespace of the login)'}\n`);
      return EXIT.unknown;
    }
    return checkOverSsh({ host: v.ssh, configFile: v['ssh-config'], config, interval, emit, json: v.json === true }, io);
  }
  if (v.bundle !== undefined) {
    if (v.watch) {
      io.stderr.write('portwatch check: --watch cannot be combined with --bundle (a capture does not change)\n');
      return EXIT.unknown;
    }
    return checkBundle(v.bundle, config, io, emit, v.json === true);
  }
  const scope = await resolveNetnsScope(v.netns);
  if ('error' in scope) {
    io.stderr.write(`portwatch check: ${scope.error}\n`);
    return EXIT.unknown;
  }
  if (scope.scope === 'host') {
    const host = new HostSampler({ analysis: config, owners: !v['no-owners'] });
    return v.watch ? watchHost(host, io, v.json === true, interval, signal) : checkHost(host, io, v.json === true, interval);
  }
  const sampler = new Sampler({ analysis: config, backend: createBackend(process.platform, { owners: !v['no-owners'] }) });
  if (v.watch) return watch(sampler, io, emit, v.json === true, signal);
  let sample = await sampler.sampleOnce();
  if (interval > 0) {
    await sleep(interval * 1000);
    sample = await sampler.sampleOnce();
  }
  await sampler.stop(); // closes the backend's kept-open handles
  emit(sample);
  if (v.json) io.stdout.write('\n');
  return severityExitCode(sample.severity);
}

function buildConfig(warning: string | undefined, critical: string | undefined, io: Io): AnalysisConfig | null {
  const thresholds: Record<string, unknown> = { ...DEFAULT_ANALYSIS_CONFIG.thresholds };
  for (const [name, text] of [['warning', warning], ['critical', critical]] as const) {
    if (text === undefined) continue;
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n)) {
      io.stderr.write(`portwatch check: --${name} must be a ratio such as 0.8, got ${JSON.stringify(text)}\n`);
      return null;
    }
    thresholds[name] = n;
  }
  const { config, errors } = parseAnalysisConfig({ ...DEFAULT_ANALYSIS_CONFIG, thresholds });
  if (errors.length > 0) {
    io.stderr.write(`portwatch check: ${errors.join('; ')}\n`);
    return null;
  }
  return config;
}

async function checkBundle(dir: string, config: AnalysisConfig, io: Io, emit: (s: Sample) => void, json: boolean): Promise<number> {
  let reads;
  try {
    reads = await readBundle(dir);
  } catch (err) {
    if (err instanceof BundleError) {
      io.stderr.write(`portwatch check: ${err.message}\n`);
      return EXIT.unknown;
    }
    throw err;
  }
  const analyzer = new Analyzer(config);
  let sample: Sample | null = null;
  for (const raw of reads) {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const snapshot = parseSnapshot(raw);
    const cpu = process.cpuUsage(cpu0);
    sample = analyzer.analyze(snapshot, { wallMs: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000 });
  }
  emit(sample!);
  if (json) io.stdout.write('\n');
  return severityExitCode(sample!.severity);
}

async function watch(sampler: Sampler, io: Io, emit: (s: Sample) => void, json: boolean, signal?: AbortSignal): Promise<number> {
  const tty = (io.stdout as NodeJS.WriteStream).isTTY === true;
  sampler.onSample((s) => {
    if (!json && tty) writeTerminalControl(io.stdout, TERMINAL_CONTROL.homeAndClear); // refresh in place
    emit(s);
    if (!json && !tty) io.stdout.write('\n');
  });
  sampler.start();
  await new Promise<void>((resolve) => {
    const done = (): void => resolve();
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
    signal?.addEventListener('abort', done, { once: true });
  });
  await sampler.stop();
  const last = sampler.latest();
  return last ? severityExitCode(last.severity) : EXIT.unknown;
}

function emitHost(host: HostSample, io: Io, json: boolean): void {
  if (!json) {
    io.stdout.write(renderHostReport(cleanTerminalFields(host)));
    return;
  }
  const doc = hostCheckDocument(host);
  // no namespace could be read: the host document itself says why, namespace by namespace
  io.stdout.write(terminalSafeJson(doc ?? host));
}

async function checkHost(sampler: HostSampler, io: Io, json: boolean, interval: number): Promise<number> {
  let host = await sampler.sampleOnce();
  if (interval > 0) {
    await sleep(interval * 1000);
    host = await sampler.sampleOnce();
  }
  emitHost(host, io, json);
  if (json) io.stdout.write('\n');
  return severityExitCode(host.severity);
}

async function watchHost(sampler: HostSampler, io: Io, json: boolean, interval: number, signal?: AbortSignal): Promise<number> {
  const tty = (io.stdout as NodeJS.WriteStream).isTTY === true;
  sampler.onSample((h) => {
    if (!json && tty) writeTerminalControl(io.stdout, TERMINAL_CONTROL.homeAndClear);
    emitHost(h, io, json);
    io.stdout.write('\n');
  });
  // every namespace is read each round: not faster than once a second
  sampler.start(Math.max(1, interval) * 1000);
  await new Promise<void>((resolve) => {
    const done = (): void => resolve();
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
    signal?.addEventListener('abort', done, { once: true });
  });
  await sampler.stop();
  const last = sampler.latest();
  return last ? severityExitCode(last.severity) : EXIT.unknown;
}
