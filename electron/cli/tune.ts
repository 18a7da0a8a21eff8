// `portwatch tune`: the plan for this machine; --dry-run prints it with the exact command and writes and
// changes nothing; --apply runs Portwatch's privileged helper (elevated when needed) in a terminal,
// verifies the live values, then keeps them (--yes, or "keep" typed) or lets them revert; --revert,
// --confirm, --status and --recover drive the helper's other verbs. --bundle DIR plans (and dry-runs)
// for the machine a capture was taken on, whatever its platform; it never applies.
import type { PortRange } from '../common/model.js';
import { CONFIRM_TIMEOUT_BOUNDS, DEFAULT_CONFIRM_TIMEOUT_SEC, TXID_PATTERN, parseKernelText, type HelperResult, type TuningPlan } from '../common/tuning.js';
import { BundleError, readBundle } from '../node/capture/bundle.js';
import { gatherPlanInput, planInputFromReads } from '../node/tuning/machine-input.js';
import { planTuning } from '../node/tuning/plan.js';
import type { PlanOptions } from '../node/tuning/plan-input.js';
import { renderPlan, renderResult, renderReview } from '../node/tuning/plan-text.js';
import { reviewPlan } from '../node/tuning/review.js';
import { TuningClient, isHelperEndedError, type TuningClientOptions } from '../node/tuning/tuning-client.js';
import { relay } from './helper-relay.js';
import { refuseUnmet, say, tuneWidth, writeHappening } from './tune-text.js';
import { runTuneSsh } from './tune-ssh.js';
import { REMOTE_TUNE_SCRIPT } from '../node/remote/remote-tune-script.js';
import { parseSeconds, parseWhole } from './args.js';
import { TUNE_EXIT } from './exit-codes.js';
import { unmetRequests } from '../node/tuning/unmet-requests.js';
import { parseCommandArgs, type Io } from './args.js';
import { cleanTerminalField } from '../common/terminal-text.js';
import { terminalSafeIo } from './terminal-io.js';
import { fitHelp } from '../common/help-text.js';
import { startProgress } from './progress.js';

const OPTIONS = {
  'dry-run': { type: 'boolean' },
  apply: { type: 'boolean' },
  yes: { type: 'boolean' },
  revert: { type: 'string' },
  confirm: { type: 'string' },
  status: { type: 'boolean' },
  recover: { type: 'boolean' },
  json: { type: 'boolean' },
  wide: { type: 'boolean' },
  range: { type: 'string' },
  reserve: { type: 'string' },
  'no-tw-reuse': { type: 'boolean' },
  force: { type: 'boolean' },
  'confirm-timeout': { type: 'string' },
  'assume-host': { type: 'boolean' },
  interval: { type: 'string' },
  'time-wait': { type: 'string' },
  bundle: { type: 'string' },
  ssh: { type: 'string' },
  'ssh-config': { type: 'string' },
  'show-remote-script': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export { TUNE_EXIT };

const HELP = `Usage: portwatch tune [options]
  (no option)          show the tuning plan for this machine: application fixes first, then kernel settings
  --dry-run            print the plan, the exact command and every write it would make; change nothing
  --apply              apply the plan through Portwatch's helper (pkexec or sudo when not root), read the
                       values back, then keep them or let them revert after the countdown
  --yes                with --apply: keep the values once they are verified (no question)
  --revert TXID        put back the values from before a change (see --status for ids)
  --confirm TXID       keep a change that awaits confirmation (from another terminal)
  --status             the change in progress and recent ones
  --recover            finish a change that was interrupted (fully old, or fully new if it was kept)
  --json               print the plan (or the helper's result) as JSON
  --wide               every line whole (prose fits 80 columns, or the terminal's width, otherwise;
                       commands, values and file contents are never wrapped)
Plan options:
  --range LOW-HIGH     the ephemeral range to propose, e.g. 32768-65535 (only wider; never below the floor)
  --reserve PORTS      ports services are configured to listen on, e.g. 8080,9000-9010 (reserved if inside)
  --no-tw-reuse        leave net.ipv4.tcp_tw_reuse alone
  --force              propose relief even when nothing is under pressure
  --confirm-timeout SEC  keep-or-revert countdown, ${CONFIRM_TIMEOUT_BOUNDS.min}-${CONFIRM_TIMEOUT_BOUNDS.max} s (default ${DEFAULT_CONFIRM_TIMEOUT_SEC})
  --assume-host        plan for this network namespace even though it looks like a container
  --interval SEC       seconds between the two samples the plan is based on (default 1)
  --time-wait SEC      also shorten TIME-WAIT to SEC seconds, for every connection of the machine (only
                       on request: macOS net.inet.tcp.msl, 10-30 s; Windows TcpTimedWaitDelay, 30-300 s,
                       after a reboot; Linux cannot: 60 s fixed)
  --bundle DIR         plan for the machine a capture (portwatch capture) was taken on, any platform;
                       with --dry-run, show what would run there; never applies
Remote Linux host (nothing installed there):
  --ssh [USER@]HOST[:PORT]
                       plan for, apply on, keep, revert or show the status of a remote host over
                       your own ssh; applying runs in this terminal over ssh -t, with sudo there unless
                       you log in as root; the keep-or-revert countdown runs on that host
  --ssh-config FILE    with --ssh: the ssh configuration file to use (ssh -F FILE)
  --show-remote-script
                       print the fixed script --ssh runs on the remote host, and exit
Exit status: 0 done (kept, nothing to change), 1 reverted, 2 refused or failed, 64 bad arguments.
`;

type Values = NonNullable<ReturnType<typeof parseCommandArgs<typeof OPTIONS>>>;

/** Runs `portwatch tune`; resolves to the exit status. */
export async function runTune(args: string[], rawIo: Io, stdin: NodeJS.ReadStream = process.stdin): Promise<number> {
  const io = terminalSafeIo(rawIo);
  const v = parseCommandArgs('tune', args, OPTIONS, io);
  if (!v) return TUNE_EXIT.usage;
  if (v.help) {
    io.stdout.write(fitHelp(HELP));
    return TUNE_EXIT.ok;
  }
  if (v['show-remote-script']) {
    io.stdout.write(REMOTE_TUNE_SCRIPT);
    return TUNE_EXIT.ok;
  }
  const fail = (msg: string): number => {
    io.stderr.write(`portwatch tune: ${msg}\n`);
    return TUNE_EXIT.usage;
  };
  const modes = (['dry-run', 'apply', 'revert', 'confirm', 'status', 'recover'] as const).filter((m) => v[m] !== undefined && v[m] !== false);
  if (modes.length > 1) return fail(`--${modes[0]} and --${modes[1]} cannot be combined`);
  const mode: (typeof modes)[number] | 'plan' = modes.length > 0 ? modes[0]! : 'plan';
  const planFlags = (['range', 'reserve', 'no-tw-reuse', 'force', 'confirm-timeout', 'assume-host', 'interval', 'time-wait', 'bundle'] as const).filter((f) => v[f] !== undefined);
  if (['revert', 'confirm', 'status', 'recover'].includes(mode) && planFlags.length) return fail(`--${planFlags[0]} only applies to a plan, not to --${mode}`);
  if (v['ssh-config'] !== undefined && v.ssh === undefined) return fail('--ssh-config needs --ssh HOST');
  if (v.ssh !== undefined) {
    if (v.bundle !== undefined) return fail('--ssh and --bundle cannot be combined (a capture is planned where it was taken)');
    if (mode === 'recover') return fail('--recover is not needed with --ssh: the remote host reverts an overdue change by itself at the next Portwatch run there (or see --status, --revert)');
  }
  if (v.bundle !== undefined) {
    if (mode === 'apply') return fail('--bundle plans for the machine a capture was taken on: it cannot --apply (run portwatch tune there)');
    for (const f of ['interval', 'assume-host'] as const) if (v[f] !== undefined) return fail(`--${f} does not apply to --bundle (the capture's reads are the samples)`);
  }
  if (v.yes && mode !== 'apply') return fail('--yes only goes with --apply');
  if (v.wide && v.json) return fail('--wide is for the text report; --json prints everything');
  const width = tuneWidth(io, v.wide === true);
  for (const flag of ['revert', 'confirm'] as const) {
    const txid = v[flag];
    if (txid !== undefined && !TXID_PATTERN.test(txid)) return fail(`--${flag} needs a transaction id such as 20261124T101500Z-a1b2c3 (see --status), got ${JSON.stringify(txid)}`);
  }
  if (mode === 'apply' && !v.yes && !(stdin.isTTY && (io.stdout as NodeJS.WriteStream).isTTY)) {
    return fail('--apply asks whether to keep the change, which needs a terminal: add --yes to keep it once verified');
  }

  if (v.ssh !== undefined && mode !== 'recover') {
    const interval = parseSeconds(v.interval, 1, '--interval', 0, 60);
    if (typeof interval === 'string') return fail(interval);
    const options = mode === 'plan' || mode === 'dry-run' || mode === 'apply' ? planOptions(v) : {};
    if (typeof options === 'string') return fail(options);
    return runTuneSsh({ host: v.ssh, configFile: v['ssh-config'], mode, txid: v.revert ?? v.confirm, options, intervalSec: interval, assumeHost: v['assume-host'] === true, yes: v.yes === true, json: v.json === true, width }, io, stdin);
  }
  if (mode === 'revert' || mode === 'confirm' || mode === 'status' || mode === 'recover') return runVerb(mode, v, io, stdin, width);

  const options = planOptions(v);
  if (typeof options === 'string') return fail(options);
  const interval = parseSeconds(v.interval, 1, '--interval', 0, 60);
  if (typeof interval === 'string') return fail(interval);
  if (v.bundle !== undefined) return planBundle(v.bundle, options, mode === 'dry-run', v.json === true, io, width);
  // The helper's test root (honoured by the helper only when it is not elevated) is read for the boot view too.
  const configRoot = process.env.PORTWATCH_HELPER_CONFIG_ROOT ?? '/';
  const progress = startProgress(io.stderr, `sampling this machine twice, ${interval} s apart…`, interval >= 1 ? 0 : 1000);
  const { input, sample } = await gatherPlanInput({ intervalSec: interval, assumeHost: v['assume-host'] === true, options, configRoot }).finally(() => progress.done());
  const plan = planTuning(input);
  if (!v.json) writeHappening(sample, io, width);
  const unmet = unmetRequests(plan, options, input.kernel);
  if (unmet.length) return refuseUnmet(plan, unmet, v.json === true, io, width);

  if (mode === 'plan') {
    io.stdout.write(v.json ? `${JSON.stringify(plan)}\n` : renderPlan(plan, width));
    return TUNE_EXIT.ok;
  }
  let client: TuningClient | null = null;
  let elevationProblem: string | null = null;
  try {
    client = TuningClient.create(clientOptions(io));
  } catch (e) {
    elevationProblem = (e as Error).message;
  }
  if (mode === 'dry-run') {
    if (v.json) {
      io.stdout.write(`${JSON.stringify({ plan, review: client?.review(plan) ?? null, elevationProblem })}\n`);
      return TUNE_EXIT.ok;
    }
    io.stdout.write(renderPlan(plan, width));
    if (!plan.helperPlan) {
      say(io, width, 'Nothing would run: the plan has nothing for the helper to apply here.');
      return TUNE_EXIT.ok;
    }
    if (!client) {
      say(io, width, `Nothing can run here: ${elevationProblem}.`);
      return TUNE_EXIT.ok;
    }
    io.stdout.write(`\n${renderReview(client.review(plan), 'Dry run: nothing was changed. Applying would run', width)}`);
    io.stdout.write(`\nThe plan file would hold:\n  ${JSON.stringify(plan.helperPlan)}\n`);
    return TUNE_EXIT.ok;
  }
  return apply(plan, client, elevationProblem, v, io, stdin, width);
}

/** How the helper is elevated on each platform, for a plan made elsewhere (from a capture). */
const ELEVATION_THERE = {
  linux: 'through pkexec (polkit names the helper) or sudo, or directly as root',
  darwin: 'through sudo (an administrator\'s password; the helper itself runs, no shell), or directly as root',
  win32: 'through a UAC prompt (Windows PowerShell Start-Process -Verb RunAs relaunches the helper elevated, in a window of its own), or directly from an elevated terminal',
} as const;

/** The plan (and with --dry-run what would run) for the machine a capture bundle was taken on. */
async function planBundle(dir: string, options: PlanOptions, dryRun: boolean, json: boolean, io: Io, width: number | null): Promise<number> {
  let reads;
  try {
    reads = await readBundle(dir);
  } catch (err) {
    if (err instanceof BundleError) {
      io.stderr.write(`portwatch tune: ${err.message}\n`);
      return TUNE_EXIT.usage;
    }
    throw err;
  }
  const { input, sample, snapshot } = planInputFromReads(reads, options);
  const plan = planTuning(input);
  const unmet = unmetRequests(plan, options, input.kernel);
  if (unmet.length) return refuseUnmet(plan, unmet, json, io, width);
  // The review of that machine: its helper's own commands; how it is elevated is told, not built here.
  const review = reviewPlan(plan, null, '(the plan file)');
  if (json) {
    io.stdout.write(`${JSON.stringify(dryRun ? { plan, review, elevation: ELEVATION_THERE[plan.platform] } : plan)}\n`);
    return TUNE_EXIT.ok;
  }
  const when = new Date(snapshot.time).toISOString().replace(/\.\d{3}Z$/, 'Z');
  say(io, width, `Planned from the capture ${dir} (${plan.platform}${snapshot.hostname ? `, ${cleanTerminalField(snapshot.hostname)}` : ''}, read at ${when}): the values and commands are that machine's; nothing is applied from here.\n`);
  writeHappening(sample, io, width);
  io.stdout.write(renderPlan(plan, width));
  if (!dryRun) return TUNE_EXIT.ok;
  if (!plan.helperPlan) {
    say(io, width, 'Nothing would run: the plan has nothing for the helper to apply there.');
    return TUNE_EXIT.ok;
  }
  say(io, width, `\nDry run: nothing was changed. On that machine, \`portwatch tune --apply\` would run Portwatch's helper ${ELEVATION_THERE[plan.platform]}.`);
  io.stdout.write(renderReview(review, 'It would run', width));
  io.stdout.write(`\nThe plan file would hold:\n  ${JSON.stringify(plan.helperPlan)}\n`);
  return TUNE_EXIT.ok;
}

async function apply(plan: TuningPlan, client: TuningClient | null, elevationProblem: string | null, v: Values, io: Io, stdin: NodeJS.ReadStream, width: number | null): Promise<number> {
  if (!v.json) io.stdout.write(renderPlan(plan, width));
  if (plan.environment.container && !plan.helperPlan) {
    io.stderr.write('portwatch tune: this looks like a container, so nothing is applied here (see the plan); --assume-host plans for this network namespace anyway\n');
    return TUNE_EXIT.failed;
  }
  if (!plan.helperPlan) {
    io.stdout.write('Nothing to apply.\n');
    return TUNE_EXIT.ok;
  }
  if (!client) {
    io.stderr.write(`portwatch tune: ${elevationProblem}\n`);
    return TUNE_EXIT.failed;
  }
  if (!v.json) io.stdout.write(`\n${renderReview(client.review(plan), 'What will run', width)}`);
  const a = await client.apply(plan);
  const stopRelay = relay(a.session, io, stdin, !v.json);
  const onSignal = (): void => a.session.interrupt();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    let last: HelperResult;
    try {
      last = await a.applied;
    } catch {
      last = await a.finished;
    }
    if (last.outcome === 'awaiting-confirm') {
      const check = await a.verify();
      if (!v.json) {
        io.stdout.write(`\nVerified by reading the live values back${check.ok ? '' : ' — MISMATCH'}:\n`);
        for (const s of check.settings) io.stdout.write(`  ${s.ok ? 'ok ' : 'BAD'} ${s.key} = ${(s.now ?? '(absent)').replace(/\t/g, ' ')}${s.ok ? '' : ` (wanted ${s.wanted.replace(/\t/g, ' ')})`}\n`);
      }
      if (!check.ok) last = await a.revert();
      else if (v.yes) last = await a.keep();
      else {
        if (!v.json) say(io, width, 'Type keep (Enter) to keep the new values, or revert; without an answer they revert by themselves.');
        last = await a.finished;
      }
    }
    stopRelay();
    io.stdout.write(v.json ? `${JSON.stringify(last)}\n` : `\n${renderResult(last, width)}`);
    return last.outcome === 'kept' || last.outcome === 'unchanged' ? TUNE_EXIT.ok : last.outcome === 'reverted' ? TUNE_EXIT.reverted : TUNE_EXIT.failed;
  } catch (e) {
    if (!isHelperEndedError(e)) throw e;
    // Killed or crashed mid-transaction: its journal says what to finish; recover does it.
    io.stderr.write(`portwatch tune: ${e.message}. Its journal keeps what it did: run \`portwatch tune --status\`, then \`portwatch tune --recover\` (fully old, or fully new if it had been kept).\n`);
    return TUNE_EXIT.failed;
  } finally {
    stopRelay();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

async function runVerb(mode: 'revert' | 'confirm' | 'status' | 'recover', v: Values, io: Io, stdin: NodeJS.ReadStream, width: number | null): Promise<number> {
  let client: TuningClient;
  try {
    client = TuningClient.create(clientOptions(io));
  } catch (e) {
    io.stderr.write(`portwatch tune: ${(e as Error).message}\n`);
    return TUNE_EXIT.failed;
  }
  const session = mode === 'revert' ? await client.revert(v.revert!) : mode === 'confirm' ? await client.confirm(v.confirm!) : mode === 'status' ? await client.status() : await client.recover();
  // Show the terminal only when someone may have to answer it (a password prompt).
  const stop = relay(session, io, stdin, !v.json && client.elevation.method !== 'direct');
  const { result } = await session.exited;
  stop();
  if (!result) {
    io.stderr.write(`portwatch tune: the helper gave no result:\n${session.transcript.slice(-2000)}\n`);
    return TUNE_EXIT.failed;
  }
  io.stdout.write(v.json ? `${JSON.stringify(result)}\n` : renderResult(result, width));
  return result.outcome === 'refused' || result.outcome === 'failed' ? TUNE_EXIT.failed : TUNE_EXIT.ok;
}

function clientOptions(io: Io): TuningClientOptions {
  // Test roots for the helper (honoured by the helper only when it is not elevated by pkexec or sudo).
  const helperEnv = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[0].startsWith('PORTWATCH_HELPER_') && e[1] !== undefined));
  const out = io.stdout as NodeJS.WriteStream;
  return { helperEnv, transport: 'pty', terminal: { cols: out.columns ?? 100, rows: out.rows ?? 30 } };
}

function planOptions(v: Values): PlanOptions | string {
  const o: PlanOptions = {};
  if (v.range !== undefined) {
    const m = /^(\d{1,5})-(\d{1,5})$/.exec(v.range);
    const r: PortRange | null = m ? { low: Number(m[1]), high: Number(m[2]) } : null;
    if (!r || r.low < 1 || r.high > 65535 || r.low > r.high) return `--range must look like 32768-65535 (low-high, ports 1-65535), got ${JSON.stringify(v.range)}`;
    o.range = r;
  }
  if (v.reserve !== undefined) {
    const p = parseKernelText('net.ipv4.ip_local_reserved_ports', v.reserve);
    if (!p.ok || p.setting.key !== 'net.ipv4.ip_local_reserved_ports' || v.reserve.trim() === '') {
      return `--reserve must be ports and ranges such as 8080,9000-9010, got ${JSON.stringify(v.reserve)}`;
    }
    const ports = p.setting.ranges.flatMap((r) => Array.from({ length: r.high - r.low + 1 }, (_, i) => r.low + i));
    if (ports.length > 4096) return `--reserve names ${ports.length} ports; at most 4096`;
    if (ports.includes(0)) return '--reserve: port 0 cannot be reserved';
    o.reserve = ports;
  }
  if (v['time-wait'] !== undefined) {
    const t = parseWhole(v['time-wait'], 0, '--time-wait', 1, 3600);
    if (typeof t === 'string') return t;
    o.timeWaitSec = t;
  }
  if (v['no-tw-reuse']) o.noTwReuse = true;
  if (v.force) o.force = true;
  const t = parseWhole(v['confirm-timeout'], DEFAULT_CONFIRM_TIMEOUT_SEC, '--confirm-timeout', CONFIRM_TIMEOUT_BOUNDS.min, CONFIRM_TIMEOUT_BOUNDS.max);
  if (typeof t === 'string') return t;
  o.confirmTimeoutSec = t;
  return o;
}
