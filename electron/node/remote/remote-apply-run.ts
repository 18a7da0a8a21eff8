// The tuning wizard on a remote Linux host: the tuning host's runner over the user's own SSH. Applying runs
// Portwatch's fixed remote script in a terminal over `ssh -t` (sudo asks there unless the login is root);
// the script arms the countdown on the remote host and ends, so keeping or reverting is a run of its own
// (`confirm TXID`, `revert TXID`) shown in the same terminal, and an unanswered countdown is seen by
// reading the values back over SSH once it has run out. A lost connection or a closed laptop still
// reverts: the countdown is the remote host's.
import { canonicalKernelText, type HelperResult, type TuningPlan } from '../../common/tuning.js';
import { TuningError } from '../../common/errors/tuning-error.js';
import type { HelperSession } from '../tuning/helper-session.js';
import { verifySettings, type VerifiedSetting } from '../tuning/live-values.js';
import { displayArgv, reviewPlan, type PlanReview } from '../tuning/review.js';
import type { ApplyRun, TuningRunner } from '../service/tuning-host.js';
import { newRemoteTxid, remoteApplyArgs, remoteVerbArgs, type RemoteTuner } from './remote-tune.js';

const FIRST_OUTCOMES = new Set<HelperResult['outcome']>(['awaiting-confirm', 'unchanged', 'refused', 'rolled-back', 'failed']);
const FINAL_OUTCOMES = new Set<HelperResult['outcome']>(['kept', 'reverted', 'unchanged', 'refused', 'rolled-back', 'failed']);
/** The remote countdown has up to a second of slack: read back this long after the deadline. */
const AFTER_DEADLINE_MS = 2_000;

/** The tuning host's runner for one remote host. */
export class RemoteTuningRunner implements TuningRunner {
  /** Whether the login is root, once known (from `loginIsRoot`); until then, from the user name in the target. */
  root: boolean | null = null;

  constructor(
    private readonly tuner: RemoteTuner,
    private readonly userIsRoot: boolean,
  ) {}

  get elevation(): { method: 'direct' | 'sudo' } {
    return { method: this.sudo() ? 'sudo' : 'direct' };
  }

  /** Asks the host who the login is (one round trip, the first time only); kept for every apply. */
  async learnLogin(): Promise<void> {
    if (this.root === null) this.root = await this.tuner.loginIsRoot();
  }

  review(plan: TuningPlan): PlanReview {
    const base = reviewPlan(plan, null, '(none)');
    if (!plan.helperPlan || plan.platform !== 'linux') return base;
    // The transaction id is made when applying: the command is shown with TXID in its place.
    const txid = newRemoteTxid();
    const args = remoteApplyArgs(plan.helperPlan, txid);
    const c = this.tuner.command(args, this.sudo());
    // The argv as shown too: the script by its hash (its 16 kB of base64 are no reading; --show-remote-script prints it).
    const argv = this.tuner.shownArgv(args, this.sudo()).map((w) => (w === txid ? 'TXID' : w));
    return { ...base, commands: [{ ...c, argv, display: c.display.replace(txid, 'TXID'), why: `${c.why} TXID is the transaction id made when you apply (keep and revert name it).` }] };
  }

  async apply(plan: TuningPlan): Promise<ApplyRun> {
    if (!plan.helperPlan) throw new TuningError('this plan has nothing to apply');
    const txid = newRemoteTxid();
    const sudo = this.sudo();
    const args = remoteApplyArgs(plan.helperPlan, txid);
    const first = await this.tuner.start(args, sudo);
    return new RemoteApplyRun(this.tuner, plan, txid, sudo, first, this.tuner.shownArgv(args, sudo));
  }

  async revert(txid: string): Promise<HelperSession> {
    const args = remoteVerbArgs('revert', txid);
    return withArgv(await this.tuner.start(args, this.sudo()), this.tuner.shownArgv(args, this.sudo()));
  }

  private sudo(): boolean {
    return !(this.root ?? this.userIsRoot);
  }
}

/** The session with its argv as people are shown it (the script by its hash, not 16 kB of base64). */
function withArgv(session: HelperSession, argv: readonly string[]): HelperSession {
  return new Proxy(session, {
    get(target, prop) {
      if (prop === 'argv') return argv;
      const v: unknown = Reflect.get(target, prop, target);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

/** One remote apply: the apply run, then keep or revert runs in the same terminal, or the countdown. */
export class RemoteApplyRun implements ApplyRun {
  readonly session: RelayedTerminal;
  readonly applied: Promise<HelperResult>;
  readonly finished: Promise<HelperResult>;
  private settle!: (r: HelperResult) => void;
  private fail!: (e: Error) => void;
  private deciding: Promise<void> | null = null;
  private countdown: ReturnType<typeof setTimeout> | undefined;
  private ended = false;

  constructor(
    private readonly tuner: RemoteTuner,
    private readonly plan: TuningPlan,
    private readonly txid: string,
    private readonly sudo: boolean,
    first: HelperSession,
    shownArgv: readonly string[],
  ) {
    this.session = new RelayedTerminal(first, shownArgv);
    this.finished = new Promise<HelperResult>((resolve, reject) => {
      this.settle = (r) => {
        if (this.ended) return;
        this.ended = true;
        clearTimeout(this.countdown);
        resolve(r);
      };
      this.fail = (e) => {
        if (this.ended) return;
        this.ended = true;
        clearTimeout(this.countdown);
        reject(e);
      };
    });
    this.finished.catch(() => undefined);
    this.applied = first.waitForResult((r) => FIRST_OUTCOMES.has(r.outcome), 600_000);
    this.applied.then(
      (r) => {
        if (r.outcome === 'awaiting-confirm') this.watchCountdown(r);
        else void first.exited.then(() => this.settle(r));
      },
      (e: unknown) => this.fail(e instanceof Error ? e : new Error(String(e))),
    );
  }

  /** The values read back over SSH, compared with the plan (independently of the script's report). */
  async verify(): Promise<{ ok: boolean; settings: VerifiedSetting[] }> {
    return verifySettings(this.plan.helperPlan?.settings ?? [], await this.tuner.readLive());
  }

  keep(): Promise<HelperResult> {
    return this.decide('confirm');
  }

  revert(): Promise<HelperResult> {
    return this.decide('revert');
  }

  /** Runs `confirm` or `revert` in the terminal; a run without a final result leaves the countdown in charge. */
  private decide(verb: 'confirm' | 'revert'): Promise<HelperResult> {
    if (!this.ended && !this.deciding) {
      this.deciding = (async () => {
        try {
          const args = remoteVerbArgs(verb, this.txid);
          const run = await this.tuner.start(args, this.sudo);
          this.session.follow(run, this.tuner.shownArgv(args, this.sudo));
          const e = await run.exited;
          if (e.result && FINAL_OUTCOMES.has(e.result.outcome)) this.settle(e.result);
        } catch {
          // ssh could not be started: the countdown still decides
        } finally {
          this.deciding = null;
        }
      })();
    }
    return this.finished;
  }

  private watchCountdown(applied: HelperResult): void {
    const wait = Math.max(0, (applied.deadline ?? Date.now()) - Date.now()) + AFTER_DEADLINE_MS;
    this.countdown = setTimeout(() => {
      if (this.deciding) {
        // A keep or revert is being answered: judge once it ends, if it decided nothing.
        void this.deciding.then(() => this.watchCountdown({ ...applied, deadline: Date.now() }));
        return;
      }
      void outcomeAfterCountdown(this.tuner, applied).then((r) => this.settle(r));
    }, wait);
    this.countdown.unref?.();
  }
}

/** After an unanswered countdown: the values read back over ssh (no password needed) say whether it reverted. */
export async function outcomeAfterCountdown(tuner: Pick<RemoteTuner, 'readLive'>, applied: HelperResult, tries = 10): Promise<HelperResult> {
  let live = await tuner.readLive().catch(() => null);
  const isOld = (): boolean => live !== null && applied.changes.every((c) => canonicalKernelText(c.key, live![c.key]) === canonicalKernelText(c.key, c.before));
  for (let i = 0; i < tries && !isOld(); i++) {
    await new Promise((r) => setTimeout(r, 1000));
    live = await tuner.readLive().catch(() => null);
  }
  const changes = applied.changes.map((c) => ({ ...c, now: live?.[c.key] ?? null }));
  return isOld()
    ? { ...applied, verb: 'revert', outcome: 'reverted', deadline: null, changes, message: 'The countdown ran out: the remote host put the old values back (read back over ssh).' }
    : { ...applied, verb: 'revert', outcome: 'failed', deadline: null, changes, message: 'The countdown ran out, but the old values do not read back on the remote host: see `portwatch tune --ssh HOST --status`.' };
}

/**
 * The terminal of a remote apply as one session: the output and result lines of each run in turn (apply,
 * then keep or revert), keys and sizes to the run in progress.
 */
export class RelayedTerminal {
  readonly argv: readonly string[];
  private current: HelperSession;
  private readonly dataListeners = new Set<(chunk: string) => void>();
  private readonly resultListeners = new Set<(r: HelperResult) => void>();
  private offs: (() => void)[] = [];

  /** `argv`: the first run's as people are shown it (the script named by its hash). */
  constructor(first: HelperSession, argv: readonly string[]) {
    this.argv = argv;
    this.current = first;
    this.wire(first);
  }

  onData(listener: (chunk: string) => void): () => void {
    this.dataListeners.add(listener);
    return () => this.dataListeners.delete(listener);
  }

  onResult(listener: (r: HelperResult) => void): () => void {
    this.resultListeners.add(listener);
    return () => this.resultListeners.delete(listener);
  }

  write(data: string): void {
    this.current.write(data);
  }

  resize(cols: number, rows: number): void {
    this.current.resize(cols, rows);
  }

  /** From now on, the terminal is this run's (`shown`: its argv as people are shown it). */
  follow(next: HelperSession, shown: readonly string[]): void {
    for (const off of this.offs) off();
    this.current = next;
    for (const l of this.dataListeners) l(`\r\n$ ${displayArgv(shown)}\r\n`);
    this.wire(next);
  }

  private wire(s: HelperSession): void {
    this.offs = [s.onData((c) => this.dataListeners.forEach((l) => l(c))), s.onResult((r) => this.resultListeners.forEach((l) => l(r)))];
  }
}
