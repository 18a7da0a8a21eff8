// The API a UI (the wizard) or the CLI drives, step by step: plan (plan.ts) → review (review.ts) → apply
// (a helper session in an embedded terminal) → verify (live values read back without privileges) →
// keep or revert. The countdown is held by the privileged helper: if this process dies, the change
// still reverts on time.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PlatformName } from '../../common/model.js';
import type { HelperResult, HelperVerb, TunableKey, TuningPlan } from '../../common/tuning.js';
import { isPlanPath } from '../../helper/argv.js';
import type { HelperRunner } from '../../helper/command-runner.js';
import { chooseElevation, elevationFacts, helperArgv, type ElevationChoice } from './elevation.js';
import { startHelperSession, type HelperSession } from './helper-session.js';
import { readLiveValuesFor, verifySettings, type VerifiedSetting } from './live-values.js';
import { reviewPlan, type PlanReview } from './review.js';
import { startDetachedSession } from './win32-detached-session.js';
import { TuningError } from '../../common/errors/tuning-error.js';

/** How the client runs the helper. */
export interface TuningClientOptions {
  /** The elevation to use (detected when absent). */
  elevation?: ElevationChoice;
  /** Variables passed to the helper besides PATH/TERM/LANG (tests: PORTWATCH_HELPER_*; ignored by pkexec and sudo). */
  helperEnv?: Record<string, string>;
  /** "pty" (default: an embedded terminal, password prompts) or "pipes". */
  transport?: 'pty' | 'pipes';
  terminal?: { cols: number; rows: number };
  /** procfs for verification reads (tests). */
  proc?: string;
  /** The platform whose values are read back (default: this one). */
  platform?: PlatformName;
  /** Runs sysctl / netsh / reg for the unprivileged read-back on macOS and Windows (tests inject one). */
  runner?: HelperRunner;
  /** How often a UAC session reads the helper's journal, ms (default 1000). */
  detachedPollMs?: number;
}

/** The result of verifying an applied plan against the live values. */
export interface Verification {
  ok: boolean;
  settings: VerifiedSetting[];
}

/** Outcomes that end an apply before the countdown. */
const FIRST_OUTCOMES = new Set<HelperResult['outcome']>(['awaiting-confirm', 'unchanged', 'refused', 'rolled-back', 'failed']);
/** Outcomes that end a run. */
const FINAL_OUTCOMES = new Set<HelperResult['outcome']>(['kept', 'reverted', 'unchanged', 'refused', 'rolled-back', 'failed', 'recovered', 'nothing-to-recover', 'status']);

/** Drives the helper for one machine. */
export class TuningClient {
  private constructor(
    readonly elevation: ElevationChoice,
    private readonly opts: TuningClientOptions,
  ) {}

  /** A client with the given or detected elevation; rejects naming why the helper cannot get root. */
  static create(opts: TuningClientOptions = {}): TuningClient {
    if (opts.elevation) return new TuningClient(opts.elevation, opts);
    const c = chooseElevation(elevationFacts());
    if (!c.ok) throw new TuningError(c.error);
    return new TuningClient(c.choice, opts);
  }

  /** The review of a plan: settings diff, file diff, the exact command and writes. */
  review(plan: TuningPlan, planFile = '/tmp/portwatch-plan-XXXXXX/plan.json'): PlanReview {
    return reviewPlan(plan, this.elevation, planFile);
  }

  /** Writes the plan document and starts `apply`; the session shows the terminal; see ApplySession. */
  async apply(plan: TuningPlan): Promise<ApplySession> {
    if (!plan.helperPlan) throw new TuningError('this plan has nothing for the helper to apply');
    // A private directory (0700) under the temp dir, a file only we can write: the helper checks both
    // (on Windows the user's own %TEMP%, whose ACL admits only the user, administrators and SYSTEM).
    const windows = process.platform === 'win32';
    let base = tmpdir();
    if (!isPlanPath(join(base, 'portwatch-plan-XXXXXX', 'plan.json'))) {
      if (windows) throw new TuningError(`the temporary directory ${base} has characters the helper does not accept in a plan path`);
      base = '/tmp';
    }
    const dir = await mkdtemp(join(base, 'portwatch-plan-'));
    const planFile = join(dir, 'plan.json');
    await writeFile(planFile, JSON.stringify(plan.helperPlan), { mode: 0o600 });
    const session = await this.start('apply', [planFile]);
    return new ApplySession(session, planFile, plan, this.opts.proc ?? '/proc', () => rm(dir, { recursive: true, force: true }), () => this.readLive());
  }

  /** Keeps a change awaiting confirmation, from another process (when the applying session is gone). */
  confirm(txid: string): Promise<HelperSession> {
    return this.start('confirm', [txid]);
  }

  /** Reverts a change: the one awaiting confirmation, or a kept one when nothing changed since. */
  revert(txid: string): Promise<HelperSession> {
    return this.start('revert', [txid]);
  }

  /** The transaction in progress and recent history. */
  status(): Promise<HelperSession> {
    return this.start('status');
  }

  /** Finishes an interrupted transaction (fully old, or fully new when it was confirmed). */
  recover(): Promise<HelperSession> {
    return this.start('recover');
  }

  /** Live values of the tunable keys (no privileges needed). */
  readLive(): Promise<Record<TunableKey, string | null>> {
    const platform = this.opts.platform ?? (process.platform as PlatformName);
    return readLiveValuesFor(platform, { ...(this.opts.proc ? { proc: this.opts.proc } : {}), ...(this.opts.runner ? { runner: this.opts.runner } : {}) });
  }

  /** The argv one helper command will run with. */
  argv(verb: string, args: readonly string[] = []): string[] {
    return helperArgv(this.elevation, verb, args);
  }

  private start(verb: string, args: readonly string[] = []): Promise<HelperSession> {
    const env = this.env();
    if (this.elevation.method === 'uac') {
      const program = this.elevation.program ?? [];
      const unelevated = (v: string, a: readonly string[] = []) => startHelperSession([...program, v, ...a], { method: 'direct', env, transport: 'pipes' });
      // status reads the journal only, which users may read: no UAC prompt for it.
      if (verb === 'status') return unelevated('status');
      return startDetachedSession(this.argv(verb, args), {
        verb: verb as HelperVerb,
        env,
        // status needs no elevation: the journal is readable by users.
        status: async () => (await (await unelevated('status')).exited).result,
        elevated: (v, txid) => this.start(v, [txid]),
        ...(this.opts.detachedPollMs ? { pollMs: this.opts.detachedPollMs } : {}),
      });
    }
    return startHelperSession(this.argv(verb, args), {
      method: this.elevation.method,
      env,
      transport: this.opts.transport ?? 'pty',
      ...(this.opts.terminal ? { cols: this.opts.terminal.cols, rows: this.opts.terminal.rows } : {}),
    });
  }

  /** The helper's environment: a fixed PATH and terminal on POSIX; on Windows what PowerShell needs. */
  private env(): Record<string, string> {
    if (process.platform === 'win32') {
      const keep = ['SystemRoot', 'SYSTEMROOT', 'windir', 'ProgramFiles', 'ProgramData', 'TEMP', 'TMP', 'USERPROFILE', 'PSModulePath', 'PATH', 'Path'];
      const base = Object.fromEntries(keep.filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k]!]));
      return { ...base, ...this.opts.helperEnv };
    }
    return { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', TERM: 'xterm-256color', LANG: process.env.LANG ?? 'C.UTF-8', ...this.opts.helperEnv };
  }
}

/** The helper process ended (killed, crashed) before it printed a final result. */
export class HelperEndedError extends Error {
  override name = 'HelperEndedError';
}

/** Guard for HelperEndedError (by name, so it survives crossing module copies). */
export function isHelperEndedError(e: unknown): e is HelperEndedError {
  return e instanceof Error && e.name === 'HelperEndedError';
}

/** An apply in progress: applied → verify → keep or revert (or the countdown decides). */
export class ApplySession {
  /** The first outcome: awaiting-confirm, or unchanged / refused / rolled-back / failed. */
  readonly applied: Promise<HelperResult>;
  /** The final outcome (kept, reverted, or the first outcome when there was no countdown). */
  readonly finished: Promise<HelperResult>;

  constructor(
    readonly session: HelperSession,
    readonly planFile: string,
    readonly plan: TuningPlan,
    readonly proc: string,
    private readonly cleanup: () => Promise<void>,
    /** Reads the live values (default: Linux /proc under `proc`). */
    private readonly live: () => Promise<Record<TunableKey, string | null>> = () => readLiveValuesFor('linux', { proc }),
  ) {
    this.applied = session.waitForResult((r) => FIRST_OUTCOMES.has(r.outcome), 600_000);
    this.finished = session.exited.then(async (e) => {
      await this.cleanup().catch(() => undefined);
      const last = e.result;
      if (!last || !FINAL_OUTCOMES.has(last.outcome)) {
        throw new HelperEndedError(`the helper ended (${e.exitCode ?? `signal ${e.signal}`}) without a final result`);
      }
      return last;
    });
    // Callers may only await `applied`; a rejection of `finished` must not go unhandled.
    this.finished.catch(() => undefined);
  }

  /** Reads the live values and compares them with the plan (independently of the helper's report). */
  async verify(): Promise<Verification> {
    return verifySettings(this.plan.helperPlan?.settings ?? [], await this.live());
  }

  /** Keeps the change (types "keep" into the helper's terminal); resolves with the final outcome. */
  keep(): Promise<HelperResult> {
    this.session.write('keep\r');
    return this.finished;
  }

  /** Reverts the change now; resolves with the final outcome. */
  revert(): Promise<HelperResult> {
    this.session.write('revert\r');
    return this.finished;
  }
}
