// `portwatch tune --ssh [user@]host`: the tuning plan for a remote Linux host, computed here from its
// sample (read over the user's own ssh, as `check --ssh` does), the exact command shown, then applied in
// this terminal over `ssh -t` (sudo asks there unless the login is root), the values read back over SSH,
// and kept (--yes, or "keep" typed) or left to the countdown that runs ON THE REMOTE HOST, so a lost
// connection or a closed laptop still reverts. --revert, --confirm and --status drive the same script.
import { createInterface } from 'node:readline';
import type { HelperResult, TuningPlan } from '../common/tuning.js';
import { isSshError } from '../node/remote/ssh-errors.js';
import { formatSshTarget } from '../node/remote/ssh-target.js';
import { outcomeAfterCountdown } from '../node/remote/remote-apply-run.js';
import { gatherRemotePlanInput } from '../node/remote/remote-plan-input.js';
import { RemoteTuner, newRemoteTxid, remoteApplyArgs, remoteVerbArgs } from '../node/remote/remote-tune.js';
import type { HelperSession } from '../node/tuning/helper-session.js';
import { verifySettings } from '../node/tuning/live-values.js';
import { planTuning } from '../node/tuning/plan.js';
import { unmetRequests } from '../node/tuning/unmet-requests.js';
import type { PlanOptions } from '../node/tuning/plan-input.js';
import { renderPlan, renderResult, renderReview } from '../node/tuning/plan-text.js';
import { reviewPlan } from '../node/tuning/review.js';
import type { Io } from './args.js';
import { interactiveLogin, sshConnectionFor } from './check-ssh.js';
import { TUNE_EXIT } from './exit-codes.js';
import { relay } from './helper-relay.js';
import { refuseUnmet, say, writeHappening } from './tune-text.js';
import { startProgress } from './progress.js';

/** What `tune --ssh` was asked. */
export interface TuneSshOptions {
  host: string;
  configFile: string | undefined;
  mode: 'plan' | 'dry-run' | 'apply' | 'revert' | 'confirm' | 'status';
  txid: string | undefined;
  options: PlanOptions;
  intervalSec: number;
  assumeHost: boolean;
  yes: boolean;
  json: boolean;
  /** The prose's width (null: lines whole, --wide). */
  width: number | null;
}

/** Runs tune against a remote host; resolves to the exit status. */
export async function runTuneSsh(o: TuneSshOptions, io: Io, stdin: NodeJS.ReadStream): Promise<number> {
  const connection = sshConnectionFor(o.host, o.configFile, io, 'tune');
  if (!connection) return TUNE_EXIT.usage;
  const label = formatSshTarget(connection.target);
  const out = io.stdout as NodeJS.WriteStream;
  const tuner = new RemoteTuner({ connection, terminal: { cols: out.columns ?? 100, rows: out.rows ?? 30 } });
  const interactive = stdin.isTTY === true && (io.stderr as NodeJS.WriteStream).isTTY === true;
  const failed = (msg: string): number => {
    io.stderr.write(`portwatch tune: ${msg}\n`);
    return TUNE_EXIT.failed;
  };

  // Reach the host first (and log in on this terminal when ssh needs a person); root needs no sudo.
  let root: boolean;
  try {
    root = await tuner.loginIsRoot();
  } catch (e) {
    if (!isSshError(e)) throw e;
    if (!interactive || (e.kind !== 'needs-login' && e.kind !== 'host-key-unknown')) return failed(e.message);
    io.stderr.write(`portwatch tune: logging in to ${label}; ssh asks below (Portwatch never sees or stores what you type)\n`);
    await interactiveLogin(connection);
    try {
      root = await tuner.loginIsRoot();
    } catch (again) {
      return failed((again as Error).message);
    }
  }
  const sudo = !root;

  if (o.mode === 'revert' || o.mode === 'confirm' || o.mode === 'status') {
    const result = await runSession(tuner, remoteVerbArgs(o.mode, o.txid), sudo, io, stdin, !o.json && sudo);
    if (!result) return failed(`the remote script on ${label} gave no result`);
    io.stdout.write(o.json ? `${JSON.stringify(result)}\n` : renderResult(result, o.width));
    return result.outcome === 'refused' || result.outcome === 'failed' ? TUNE_EXIT.failed : TUNE_EXIT.ok;
  }

  const progress = startProgress(io.stderr, `reading ${label} over ssh, two samples ${o.intervalSec} s apart…`, o.intervalSec >= 1 ? 0 : 1000);
  const gathered = await gatherRemotePlanInput({ connection, intervalSec: o.intervalSec, assumeHost: o.assumeHost, options: o.options }).finally(() => progress.done());
  if (gathered.status.state !== 'connected') return failed(gathered.status.message || `${label} could not be read`);
  const plan = planTuning(gathered.input);
  if (!o.json) {
    say(io, o.width, `Remote host ${label} (read over ssh; the plan, values and commands are that host's):\n`);
    writeHappening(gathered.sample, io, o.width);
  }
  const unmet = unmetRequests(plan, o.options, gathered.input.kernel);
  if (unmet.length) return refuseUnmet(plan, unmet, o.json, io, o.width);
  if (o.mode === 'plan') {
    io.stdout.write(o.json ? `${JSON.stringify(plan)}\n` : renderPlan(plan, o.width));
    return TUNE_EXIT.ok;
  }
  if (!o.json) io.stdout.write(renderPlan(plan, o.width));
  if (plan.platform !== 'linux') return failed(`${label} runs ${plan.platform}: remote tuning works on Linux hosts only (the plan above says what to change there)`);
  if (plan.environment.container && !plan.helperPlan) {
    return failed(`${label} looks like a container, so nothing is applied there (see the plan); --assume-host plans for its network namespace anyway`);
  }
  if (!plan.helperPlan) {
    io.stdout.write(o.json ? `${JSON.stringify({ plan, review: null })}\n` : 'Nothing to apply.\n');
    return TUNE_EXIT.ok;
  }
  const txid = newRemoteTxid();
  const args = remoteApplyArgs(plan.helperPlan, txid);
  const review = { ...reviewPlan(plan, null, '(none)'), commands: [tuner.command(args, sudo)] };
  if (o.mode === 'dry-run') {
    if (o.json) io.stdout.write(`${JSON.stringify({ plan, review })}\n`);
    else io.stdout.write(`\n${renderReview(review, `Dry run: nothing was changed. Applying on ${label} would run`, o.width)}`);
    return TUNE_EXIT.ok;
  }
  if (!o.json) io.stdout.write(`\n${renderReview(review, 'What will run', o.width)}`);
  return applyRemote(plan, tuner, args, txid, sudo, o, io, stdin);
}

async function applyRemote(plan: TuningPlan, tuner: RemoteTuner, args: string[], txid: string, sudo: boolean, o: TuneSshOptions, io: Io, stdin: NodeJS.ReadStream): Promise<number> {
  const applied = await runSession(tuner, args, sudo, io, stdin, !o.json);
  let last: HelperResult | null = applied;
  if (applied?.outcome === 'awaiting-confirm') {
    // Read back over SSH without privileges: the same verification as a local apply.
    const check = verifySettings(plan.helperPlan!.settings, await tuner.readLive());
    if (!o.json) {
      io.stdout.write(`\nVerified by reading the live values back over ssh${check.ok ? '' : ' — MISMATCH'}:\n`);
      for (const s of check.settings) io.stdout.write(`  ${s.ok ? 'ok ' : 'BAD'} ${s.key} = ${(s.now ?? '(absent)').replace(/\t/g, ' ')}${s.ok ? '' : ` (wanted ${s.wanted.replace(/\t/g, ' ')})`}\n`);
    }
    const answer = !check.ok ? 'revert' : o.yes ? 'keep' : await askKeep(stdin, io, applied.deadline ?? Date.now(), o.width);
    if (answer !== null) last = await runSession(tuner, remoteVerbArgs(answer === 'keep' ? 'confirm' : 'revert', txid), sudo, io, stdin, !o.json && sudo);
    else last = await afterCountdown(tuner, applied, io, o.json);
  }
  if (!last) {
    io.stderr.write(`portwatch tune: the remote script gave no result; see \`portwatch tune --ssh ${tuner.label} --status\`. The countdown, once armed, reverts on the remote host by itself.\n`);
    return TUNE_EXIT.failed;
  }
  io.stdout.write(o.json ? `${JSON.stringify(last)}\n` : `\n${renderResult(last, o.width)}`);
  return last.outcome === 'kept' || last.outcome === 'unchanged' ? TUNE_EXIT.ok : last.outcome === 'reverted' ? TUNE_EXIT.reverted : TUNE_EXIT.failed;
}

/** Runs the script in a terminal shown on ours; resolves to its result (null when it printed none). */
async function runSession(tuner: RemoteTuner, args: readonly string[], sudo: boolean, io: Io, stdin: NodeJS.ReadStream, show: boolean): Promise<HelperResult | null> {
  const session: HelperSession = await tuner.start(args, sudo);
  const stop = relay(session, io, stdin, show);
  try {
    return (await session.exited).result;
  } finally {
    stop();
  }
}

/** "keep" or "revert" typed before the deadline, or null when the countdown ran out first. */
function askKeep(stdin: NodeJS.ReadStream, io: Io, deadline: number, width: number | null): Promise<'keep' | 'revert' | null> {
  say(io, width, `Type keep (Enter) to keep the new values, or revert; without an answer the remote host reverts them by itself at ${new Date(deadline).toISOString().slice(11, 19)} UTC.`);
  return new Promise((resolve) => {
    const rl = createInterface({ input: stdin, terminal: false });
    let settled = false;
    // Settled once, before closing: rl.close() emits 'close' at once, which would otherwise answer null
    // before the word typed (every "keep" read as no answer).
    const done = (v: 'keep' | 'revert' | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(v);
      rl.close();
    };
    const timer = setTimeout(() => done(null), Math.max(0, deadline - Date.now()));
    rl.on('line', (line) => {
      const w = line.trim().toLowerCase();
      if (w === 'keep' || w === 'revert') done(w);
      else if (w !== '') io.stdout.write('Type keep or revert.\n');
    });
    rl.on('close', () => done(null));
  });
}

/** After an unanswered countdown: the values read back over ssh (no password needed) say whether it reverted. */
async function afterCountdown(tuner: RemoteTuner, applied: HelperResult, io: Io, json: boolean): Promise<HelperResult> {
  const r = await outcomeAfterCountdown(tuner, applied);
  if (!json) io.stdout.write('No answer: the countdown ran out on the remote host.\n');
  return r;
}
