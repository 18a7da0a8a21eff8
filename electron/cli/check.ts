// `portwatch check`: one report (human or JSON) from live sampling or from a capture bundle; `--watch`
// keeps sampling and refreshes the report in place. What only one mode needs (bundles, SSH, every
// namespace, the watch screen, --since) is imported when that mode runs: a plain check starts faster.
import { setTimeout as sleep } from 'node:timers/promises';
import { outboundUnknownReason, type Sample } from '../common/model.js';
import { DEFAULT_ANALYSIS_CONFIG, parseAnalysisConfig, type AnalysisConfig } from '../common/config.js';
import { Analyzer } from '../node/engine/analyzer.js';
import { createBackend } from '../node/platform/index.js';
import { Sampler } from '../node/sampler/sampler.js';
import { EXIT, severityExitCode } from './exit-codes.js';
import { parseCommandArgs, type Io } from './args.js';
import { reportLines, shortLine } from './report.js';
import { colorWanted, fitWidth, outputColumns, span, wrapLines, writeLines, type Line } from './paint.js';
import type { WatchScreen } from './watch-screen.js';
import { startProgress } from './progress.js';
import { cleanTerminalFields, terminalSafeJson } from '../common/terminal-text.js';
import { terminalSafeIo } from './terminal-io.js';
import { parseSeconds } from './args.js';
import type { HostSampler } from '../node/sampler/host-sampler.js';
import { CheckTracer, checkTracerWanted, REMOTE_TRACER_STATUS } from './check-tracer.js';
import type { HostSample } from '../common/host-sample.js';
import { hostCheckDocument, hostReportLines } from './host-report.js';
import { resolveNetnsScope } from '../node/sampler/netns-scope.js';
import { MIN_TREND_INTERVAL_SEC, trendNote, trendSteps } from './check-trend.js';

const OPTIONS = {
  json: { type: 'boolean' },
  watch: { type: 'boolean' },
  bundle: { type: 'string' },
  ssh: { type: 'string' },
  'ssh-config': { type: 'string' },
  interval: { type: 'string' },
  'no-owners': { type: 'boolean' },
  short: { type: 'boolean' },
  wide: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  netns: { type: 'string' },
  warning: { type: 'string' },
  critical: { type: 'string' },
  since: { type: 'string' },
  'trace-syscalls': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const HELP = `Usage: portwatch check [options]
  --json            print one JSON document (the Sample; see README) instead of the report
  --short           one line: severity, worst destination, its use and the time left (for scripts, prompts)
  --wide            every line whole (the report fits 80 columns, or the terminal's width, otherwise)
  --no-color        no colour (also off with NO_COLOR set, or when the output is not a terminal)
  --watch           keep sampling: on a terminal, a full-screen view refreshed in place (q or Ctrl-C
                    quits); otherwise one report after another (with --json: one JSON document per line)
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
  --trace-syscalls  trace failed connects on the syscall tracepoints: also bind() failures (EADDRINUSE)
                    and connects of sockets bound beforehand, at a cost to every syscall on the host
                    while the check runs (default: connects that found no free port only, nearly free)
  --since DURATION  instead of sampling: the episodes (warning or worse) that \`portwatch serve\` or the
                    desktop app recorded on this machine within DURATION (90s, 15m, 2h, 7d); exit status
                    is the worst of them (3 when no monitor has recorded any)
Exit status: 0 ok, 1 warning, 2 critical or exhausted, 3 unknown (also for bad arguments).
`;

/** Runs `portwatch check`; resolves to the exit status. */
export async function runCheck(args: string[], rawIo: Io, signal?: AbortSignal): Promise<number> {
  const io = terminalSafeIo(rawIo);
  const v = parseCommandArgs('check', args, OPTIONS, io);
  if (!v) return EXIT.unknown;
  if (v.help) {
    // loaded only for --help: the wrapping rules are not needed to start a check
    io.stdout.write((await import('../common/help-text.js')).fitHelp(HELP));
    return EXIT.ok;
  }
  if (v.since !== undefined) return (await import('./check-since.js')).runCheckSince(v.since, v.json === true, io);
  const config = buildConfig(v.warning, v.critical, io);
  if (!config) return EXIT.unknown;
  const interval = parseSeconds(v.interval, 1, '--interval', 0, 3600);
  if (typeof interval === 'string') {
    io.stderr.write(`portwatch check: ${interval}\n`);
    return EXIT.unknown;
  }
  if (v.json && (v.short || v.wide)) {
    io.stderr.write(`portwatch check: --${v.short ? 'short' : 'wide'} is for the human report; --json prints everything\n`);
    return EXIT.unknown;
  }
  const out = io.stdout as NodeJS.WriteStream;
  const color = colorWanted(rawIo.stdout, v['no-color'] === true);
  const width = (cols: number): number | null => fitWidth(cols, v.wide === true);
  const humanLines = (s: Sample, cols: number): Line[] => (v.short ? [shortLine(s)] : reportLines(s, width(cols)));
  const termCols = (): number => outputColumns(out);
  // host-wide: every namespace, then the worst one's report, the same width rules
  const hostLines = (h: HostSample, cols: number): Line[] => hostReportLines(cleanTerminalFields(h), width(cols));
  const emit = (s: Sample): void => {
    // Every string of the sample came from outside: cleaned field by field, so none can even start a line.
    if (v.json) io.stdout.write(terminalSafeJson(s) + (v.watch ? '\n' : ''));
    else writeLines(io.stdout, humanLines(cleanTerminalFields(s), termCols()), color);
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
    // the tracer watches this machine's kernel: the remote report says so among its sources
    const emitRemote = (s: Sample): void => emit({ ...s, sources: [...s.sources, REMOTE_TRACER_STATUS] });
    const { checkOverSsh } = await import('./check-ssh.js');
    return checkOverSsh({ host: v.ssh, configFile: v['ssh-config'], config, interval, emit: emitRemote, json: v.json === true }, io);
  }
  const watchView: WatchView | null =
    v.watch && !v.json && out.isTTY === true
      ? { screen: new (await import('./watch-screen.js')).WatchScreen(out, process.stdin.isTTY ? process.stdin : null, color, v.short ? 0 : 1), lines: humanLines }
      : null;
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
  // The kernel's own word on failed connects (Linux, root, bpftrace), for the length of the check or of
  // the watch; a check of one instant (--interval 0 without --watch) watches no time, so has none.
  const tracer = checkTracerWanted() && (v.watch || interval > 0) ? await CheckTracer.start(rawIo.stderr, { syscalls: v['trace-syscalls'] === true }) : null;
  if (scope.scope === 'host') {
    const { HostSampler } = await import('../node/sampler/host-sampler.js');
    const host = new HostSampler({ analysis: config, owners: !v['no-owners'] });
    const human: HostHuman = { lines: hostLines, width, cols: termCols, color };
    return v.watch ? watchHost(host, io, v.json === true, interval, signal, watchView, tracer, human) : checkHost(host, io, v.json === true, interval, v.short === true, human, tracer);
  }
  const sampler = new Sampler({ analysis: config, backend: createBackend(process.platform, { owners: !v['no-owners'] }) });
  if (v.watch) return watch(sampler, io, emit, v.json === true, signal, watchView, tracer);
  let sample = await sampler.sampleOnce();
  // A long interval is sampled in steps, so the trend has points to fit (time to exhaustion).
  const steps = trendSteps(interval);
  for (let k = 0; k < steps; k++) {
    await waitWithProgress(rawIo.stderr, interval / steps);
    sample = await sampler.sampleOnce();
  }
  await sampler.stop(); // closes the backend's kept-open handles
  if (tracer) {
    await tracer.finish();
    sample = tracer.sample(sample);
  } else if (process.platform === 'linux') {
    sample = { ...sample, sources: [...sample.sources, TRACER_NOT_RUN] };
  }
  emit(sample);
  if (v.json) io.stdout.write('\n');
  // A longer check would not help when what the trend rests on is unknown: the report says so instead.
  else if (!v.short && sample.timeToExhaustionSec === null && outboundUnknownReason(sample) === null && interval < MIN_TREND_INTERVAL_SEC) writeLines(io.stdout, wrapLines([[span(trendNote(interval))]], width(termCols())), color);
  return severityExitCode(sample.severity);
}

/** What --json and --wide say of the tracer when the check is an instant. */
const TRACER_NOT_RUN = {
  name: 'connect-tracer',
  status: 'unsupported',
  durationMs: 0,
  error: 'not run: --interval 0 is an instant, with no time to trace failed connects (fix: check --interval 5 or longer)',
} as const;

/**
 * The analysis settings from --warning and --critical, refused in the words of those flags: the command
 * line has no defaults to fall back on quietly, as a configuration file does.
 */
function buildConfig(warning: string | undefined, critical: string | undefined, io: Io): AnalysisConfig | null {
  const d = DEFAULT_ANALYSIS_CONFIG;
  const given = { warning, critical };
  const thresholds = { ...d.thresholds };
  for (const name of ['warning', 'critical'] as const) {
    const text = given[name];
    if (text === undefined) continue;
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n) || n <= 0 || n > 1) {
      io.stderr.write(`portwatch check: --${name} must be a ratio above 0 and at most 1, such as 0.8 (80 % of usable ports), got ${JSON.stringify(text)}\n`);
      return null;
    }
    thresholds[name] = n;
  }
  const shown = (name: 'warning' | 'critical'): string => `--${name} (${thresholds[name]}${given[name] === undefined ? ', the default' : ''})`;
  if (thresholds.warning >= thresholds.critical) {
    io.stderr.write(`portwatch check: ${shown('warning')} must be below ${shown('critical')}\n`);
    return null;
  }
  if (thresholds.warning <= d.hysteresis) {
    // a severity falls back only once use is the hysteresis below its threshold: a warning at or under it could never end
    io.stderr.write(`portwatch check: ${shown('warning')} must be above ${d.hysteresis}: a warning ends only when use falls ${d.hysteresis} below it\n`);
    return null;
  }
  const { config, errors } = parseAnalysisConfig({ ...d, thresholds });
  if (errors.length > 0) {
    io.stderr.write(`portwatch check: ${errors.join('; ')}\n`);
    return null;
  }
  return config;
}

async function checkBundle(dir: string, config: AnalysisConfig, io: Io, emit: (s: Sample) => void, json: boolean): Promise<number> {
  const { readBundle, BundleError } = await import('../node/capture/bundle.js');
  // a bundle may hold another platform's reads: every platform's parsers, loaded only for a bundle
  const { parseSnapshot } = await import('../node/platform/parse-snapshot.js');
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

/** The full-screen view of --watch on a terminal: the screen and what it shows of a sample. */
interface WatchView {
  screen: WatchScreen;
  lines: (s: Sample, cols: number) => Line[];
}

/** Waits the interval between the two samples, with progress on a terminal. */
async function waitWithProgress(stderr: NodeJS.WritableStream, sec: number): Promise<void> {
  const p = startProgress(stderr, `measuring rates over ${sec} s…`, 0);
  try {
    await sleep(sec * 1000);
  } finally {
    p.done();
  }
}

/** Resolves on SIGINT, SIGTERM, the abort signal or (on the full screen) q / Ctrl-C. */
function untilQuit(signal: AbortSignal | undefined, view: WatchView | null): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (): void => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
    signal?.addEventListener('abort', done, { once: true });
    view?.screen.start(done);
  });
}

async function watch(sampler: Sampler, io: Io, emit: (s: Sample) => void, json: boolean, signal: AbortSignal | undefined, view: WatchView | null, tracer: CheckTracer | null): Promise<number> {
  // one tracer for the whole watch: every redraw shows the failures seen so far
  sampler.onSample((raw) => {
    const s = tracer ? tracer.sample(raw) : raw;
    if (view) {
      const clean = cleanTerminalFields(s);
      view.screen.show((cols) => view.lines(clean, cols));
      return;
    }
    emit(s);
    if (!json) io.stdout.write('\n');
  });
  const quit = untilQuit(signal, view);
  if (view) view.screen.show(() => [[span('Portwatch: taking the first sample…', 'dim')]]);
  sampler.start();
  await quit;
  view?.screen.stop();
  await sampler.stop();
  await tracer?.stop();
  const latest = sampler.latest();
  const last = latest && tracer ? tracer.sample(latest) : latest;
  return last ? severityExitCode(last.severity) : EXIT.unknown;
}

/** How the host-wide report is drawn for a person: its lines at a width, the terminal's width, colour. */
interface HostHuman {
  lines: (h: HostSample, cols: number) => Line[];
  /** The report's width for a terminal of cols columns (null: --wide). */
  width: (cols: number) => number | null;
  cols: () => number;
  color: boolean;
}

function emitHost(host: HostSample, io: Io, json: boolean, human: HostHuman): void {
  if (!json) {
    writeLines(io.stdout, human.lines(host, human.cols()), human.color);
    return;
  }
  const doc = hostCheckDocument(host);
  // no namespace could be read: the host document itself says why, namespace by namespace
  io.stdout.write(terminalSafeJson(doc ?? host));
}

async function checkHost(sampler: HostSampler, io: Io, json: boolean, interval: number, short: boolean, human: HostHuman, tracer: CheckTracer | null): Promise<number> {
  let host = await sampler.sampleOnce();
  // As in one namespace: a long interval is sampled in steps (each namespace keeps its own analyser, so
  // each fits its own trend).
  const steps = trendSteps(interval);
  for (let k = 0; k < steps; k++) {
    await waitWithProgress(io.stderr, interval / steps);
    host = await sampler.sampleOnce();
  }
  if (tracer) {
    await tracer.finish();
    host = tracer.host(host);
  }
  const worst = worstSample(host);
  if (short && worst) writeLines(io.stdout, [shortLine(cleanTerminalFields(worst))], human.color);
  else emitHost(host, io, json, human);
  if (json) io.stdout.write('\n');
  else if (!short && worst && worst.timeToExhaustionSec === null && outboundUnknownReason(worst) === null && interval < MIN_TREND_INTERVAL_SEC) writeLines(io.stdout, wrapLines([[span(trendNote(interval))]], human.width(human.cols())), human.color);
  return severityExitCode(host.severity);
}

/** The sample of the worst namespace that has one. */
function worstSample(host: HostSample): Sample | null {
  return host.namespaces.find((x) => x.sample !== null)?.sample ?? null;
}

async function watchHost(sampler: HostSampler, io: Io, json: boolean, interval: number, signal: AbortSignal | undefined, view: WatchView | null, tracer: CheckTracer | null, human: HostHuman): Promise<number> {
  sampler.onSample((raw) => {
    const h = tracer ? tracer.host(raw) : raw;
    if (view) {
      // redrawn at the window's width on resize, as the one-namespace view is
      view.screen.show((cols) => human.lines(h, cols));
      return;
    }
    emitHost(h, io, json, human);
    io.stdout.write('\n');
  });
  const quit = untilQuit(signal, view);
  // every namespace is read each round: not faster than once a second
  sampler.start(Math.max(1, interval) * 1000);
  await quit;
  view?.screen.stop();
  await sampler.stop();
  await tracer?.stop();
  const latest = sampler.latest();
  const last = latest && tracer ? tracer.host(latest) : latest;
  return last ? severityExitCode(last.severity) : EXIT.unknown;
}
