// The tuning wizard's side of the monitor: plans computed here (a client only ever names a plan by the id
// the monitor gave it, and chooses among its steps), reviews of a choice, and at most one run of the
// privileged helper at a time, whose terminal output, phases and countdown go out as events. Applying
// re-plans first and refuses when the system changed since the plan was shown. The countdown is held by
// the helper itself: if this process dies, the change still reverts on time.
import { createHash, randomBytes } from 'node:crypto';
import { ContractError, type ErrorCode, type MonitorEvent } from '../../common/contract.js';
import type { Sample } from '../../common/model.js';
import {
  FINAL_PHASES,
  MAX_TERMINAL_CHUNK,
  type ApplyAvailability,
  type ApplyTuningParams,
  type ReviewTuningParams,
  type RevertTuningParams,
  type TuningPhase,
  type TuningPlanView,
  type TuningReview,
  type TuningSession,
  type TuningStatus,
} from '../../common/tuning-contract.js';
import type { HelperResult, TuningPlan } from '../../common/tuning.js';
import type { HelperSession } from '../tuning/helper-session.js';
import { planTuning } from '../tuning/plan.js';
import type { PlanInput } from '../tuning/plan-input.js';
import { reviewPlan } from '../tuning/review.js';
import type { ElevationChoice } from '../tuning/elevation.js';
import type { PlanReview } from '../tuning/review.js';
import type { ApplySession } from '../tuning/tuning-client.js';
import { TerminalFilter } from './terminal-filter.js';
import { manualCommands, planFingerprint, selectSteps, staleness, stepRequirements } from './tuning-selection.js';

/**
 * One apply as the tuning host drives it (ApplySession for this machine's helper; RemoteApplyRun for a
 * remote host, whose keep and revert are runs of their own in the same terminal).
 */
export type ApplyRun = Pick<ApplySession, 'applied' | 'finished' | 'verify' | 'keep' | 'revert'> & {
  readonly session: Pick<HelperSession, 'argv' | 'onData' | 'onResult' | 'write' | 'resize'>;
};

/** What runs the helper (TuningClient satisfies it, and RemoteTuningRunner for a remote host). */
export interface TuningRunner {
  readonly elevation: Pick<ElevationChoice, 'method'>;
  review(plan: TuningPlan, planFile: string): PlanReview;
  apply(plan: TuningPlan): Promise<ApplyRun>;
  revert(txid: string): Promise<HelperSession>;
}

/** How the tuning side of a monitor is set up. */
export interface TuningHostOptions {
  /** Whether state-changing requests (apply, keep, revert, terminal input) are accepted at all. */
  allowApply: boolean;
  /** Why applying is off and how to turn it on (shown to the user when allowApply is false). */
  disabledReason?: string;
  /** Gathers the planner's input now (settings in effect, listeners, sysctl files, environment, sample). */
  planInput: () => Promise<PlanInput>;
  /** The helper runner; throws naming why the helper cannot get root here. */
  runner: () => TuningRunner;
  /** The remote host the runner changes ("ops@lb2"); absent: this machine. */
  remoteHost?: string;
}

/** Why a monitor without --allow-apply does not apply (the desktop app's monitor, or a default). */
export const DEFAULT_DISABLED_REASON =
  'Applying changes is off in this monitor: it shows the plan and the exact commands only. To apply the same plan, run `sudo portwatch tune --apply` in a terminal, or start the headless dashboard with `portwatch serve --allow-apply`.';

/** The refusal for a request that came over a channel not trusted to change anything. */
export const CHANNEL_CANNOT_CHANGE =
  'this connection may not change settings: state-changing requests are accepted only from the dashboard page this server serves (its WebSocket, opened with the server\'s own Origin and the token)';

const PLACEHOLDER_PLAN_FILE = '/tmp/portwatch-plan-XXXXXX/plan.json';
const PLAN_CACHE_MS = 2_000;
const PLANS_KEPT = 8;
const PLAN_TTL_MS = 30 * 60_000;
const TRANSCRIPT_MAX = 256 * 1024;
const DECISION_TIMEOUT_MS = 30_000;

interface StoredPlan {
  id: string;
  plan: TuningPlan;
  input: PlanInput;
  sample: Sample | null;
  at: number;
}

interface Running {
  view: TuningSession;
  helper: ApplyRun['session'];
  apply: ApplyRun | null;
  filter: TerminalFilter;
  seq: number;
  transcript: string;
  ticker: ReturnType<typeof setInterval> | null;
  offs: (() => void)[];
}

const refuse = (code: ErrorCode, message: string): never => {
  throw new ContractError(code, message);
};

/** Plans, reviews and helper sessions for one monitor. */
export class TuningHost {
  private readonly plans = new Map<string, StoredPlan>();
  private planning: Promise<StoredPlan> | null = null;
  private session: Running | null = null;
  private starting = false;
  private cachedRunner: TuningRunner | null = null;

  constructor(
    private readonly opts: TuningHostOptions,
    private readonly latest: () => Sample | null,
    private readonly emit: (e: MonitorEvent) => void,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Whether applying is allowed, and why not. */
  availability(): ApplyAvailability {
    const r = this.runner();
    const elevation = r.runner?.elevation.method ?? null;
    if (!this.opts.allowApply) return { allowed: false, reason: this.opts.disabledReason ?? DEFAULT_DISABLED_REASON, elevation, elevationProblem: r.problem };
    if (!r.runner) return { allowed: false, reason: `Applying is on, but the helper cannot get root here: ${r.problem}.`, elevation, elevationProblem: r.problem };
    return { allowed: true, reason: null, elevation, elevationProblem: null };
  }

  /** Refuses (forbidden) when state-changing requests are not allowed on this monitor or from this channel. */
  assertMayChange(method: string, mayChange: boolean): void {
    if (!this.opts.allowApply) refuse('forbidden', `${method}: ${this.opts.disabledReason ?? DEFAULT_DISABLED_REASON}`);
    if (!mayChange) refuse('forbidden', `${method}: ${CHANNEL_CANNOT_CHANGE}`);
  }

  /** The plan for this machine now (computed at most every 2 s; concurrent callers share one). */
  async plan(): Promise<TuningPlanView> {
    const last = this.newest();
    const stored = last && this.clock() - last.at < PLAN_CACHE_MS ? last : await this.replan();
    return { planId: stored.id, sample: stored.sample, plan: stored.plan, requires: stepRequirements(stored.plan), apply: this.availability() };
  }

  /** The review of the chosen steps of a stored plan. */
  review(p: ReviewTuningParams): TuningReview {
    const stored = this.stored(p.planId);
    const sel = selectSteps(stored.plan, stored.input, p.steps, p.confirmTimeoutSec);
    if (!sel.ok) return refuse('bad-request', `request.params.${sel.error}`);
    const plan = sel.plan;
    const runner = this.runner().runner;
    const r = runner ? runner.review(plan, PLACEHOLDER_PLAN_FILE) : reviewPlan(plan, null, PLACEHOLDER_PLAN_FILE);
    return {
      planId: stored.id,
      steps: plan.kernel.map((s) => s.id),
      settings: r.settings,
      files: r.files,
      boot: plan.persistence?.boot ?? [],
      warnings: plan.warnings,
      commands: r.commands,
      writes: r.writes,
      manual: manualCommands(plan),
      helperDocument: plan.helperPlan,
      whatIf: plan.whatIf,
      containerSnippets: plan.containerSnippets,
      apply: this.availability(),
    };
  }

  /** The current or last session, with its terminal output so far. */
  status(): TuningStatus {
    const s = this.session;
    return { apply: this.availability(), session: s ? this.view(s) : null, terminal: s ? { sessionId: s.view.id, seq: s.seq, data: s.transcript } : null };
  }

  /** Applies the chosen steps of a stored plan after re-planning (the caller checked assertMayChange). */
  async apply(p: ApplyTuningParams): Promise<TuningSession> {
    this.assertIdle();
    const stored = this.stored(p.planId);
    const chosen = selectSteps(stored.plan, stored.input, p.steps);
    if (!chosen.ok) return refuse('bad-request', `request.params.${chosen.error}`);
    if (stored.plan.environment.container) {
      return refuse('forbidden', 'this runs inside a container: changing these settings here would not change the host; set them in the pod or container specification (see the snippet), or plan for this network namespace anyway with `portwatch serve --assume-host`');
    }
    const runner = this.runner();
    if (!runner.runner) return refuse('unavailable', `the helper cannot get root here: ${runner.problem}`);
    this.starting = true;
    try {
      // The fresh plan also becomes the one offered next (a stale page gets it on its next fetch).
      const { input } = await this.replan();
      // It checks the settings the change rests on, read now, against the need that was reviewed: the
      // exhaustion seen then may have ended since (or the latest reading failed), and that must not turn
      // the reviewed change into "no longer needed", nor change what tcp_tw_reuse value it writes.
      const fresh = planTuning({ ...input, sample: stored.input.sample });
      const stale = staleness(stored.plan, fresh, p.steps);
      if (stale) return refuse('conflict', `the system changed since this plan was made: ${stale}; fetch the plan again`);
      const sel = selectSteps(fresh, input, p.steps, p.confirmTimeoutSec);
      if (!sel.ok) return refuse('conflict', `the fresh plan refuses the choice: ${sel.error}; fetch the plan again`);
      if (!sel.plan.helperPlan) return refuse('conflict', 'the chosen steps leave nothing for the helper to apply');
      let a: ApplyRun;
      try {
        a = await runner.runner.apply(sel.plan);
      } catch (e) {
        return refuse('unavailable', `the helper could not be started: ${(e as Error).message}`);
      }
      const rec = this.track('apply', a.session, a, stored.id, p.steps, runner.runner.elevation.method);
      a.applied.then(
        (r) => (r.outcome === 'awaiting-confirm' ? this.verify(rec, a) : undefined),
        () => undefined,
      );
      a.finished.then(
        (r) => this.end(rec, r, null),
        (e: unknown) => this.end(rec, null, e instanceof Error ? e.message : String(e)),
      );
      return this.view(rec);
    } finally {
      this.starting = false;
    }
  }

  /** Types into the session's terminal. */
  write(sessionId: string, data: string): { written: number } {
    const s = this.live(sessionId);
    s.helper.write(data);
    return { written: data.length };
  }

  /** Resizes the session's terminal. */
  resize(sessionId: string, cols: number, rows: number): { cols: number; rows: number } {
    this.live(sessionId).helper.resize(cols, rows);
    return { cols, rows };
  }

  /** Keeps the change awaiting confirmation; resolves with the final session. */
  async keep(sessionId: string): Promise<TuningSession> {
    const s = this.awaiting(sessionId, 'keepTuning');
    // The outcome (kept, or reverted when it came too late) arrives through the session's own end.
    await bounded(s.apply!.keep().catch(() => null), DECISION_TIMEOUT_MS);
    return this.view(s);
  }

  /** Reverts the change awaiting confirmation now, or a kept change by its transaction id. */
  async revert(p: RevertTuningParams): Promise<TuningSession> {
    if ('sessionId' in p) {
      const s = this.awaiting(p.sessionId, 'revertTuning');
      this.setPhase(s, 'reverting', 'Reverting on request.');
      await bounded(s.apply!.revert().catch(() => null), DECISION_TIMEOUT_MS);
      return this.view(s);
    }
    this.assertIdle();
    const runner = this.runner();
    if (!runner.runner) return refuse('unavailable', `the helper cannot get root here: ${runner.problem}`);
    this.starting = true;
    try {
      const helper = await runner.runner.revert(p.txid);
      const rec = this.track('revert', helper, null, null, [], runner.runner.elevation.method);
      rec.view.txid = p.txid;
      this.setPhase(rec, 'reverting', `Putting back the values from before ${p.txid}.`);
      helper.exited.then(
        (e) => this.end(rec, e.result, e.result ? null : `the helper ended (${e.exitCode ?? `signal ${e.signal}`}) without a result`),
        (e: unknown) => this.end(rec, null, String(e)),
      );
      return this.view(rec);
    } finally {
      this.starting = false;
    }
  }

  /** Stops the countdown events and listeners (a running helper goes on by itself and keeps its deadline). */
  close(): void {
    const s = this.session;
    if (!s) return;
    if (s.ticker) clearInterval(s.ticker);
    for (const off of s.offs) off();
  }

  // ---- internals ---------------------------------------------------------------------------------------

  private runner(): { runner: TuningRunner | null; problem: string | null } {
    if (this.cachedRunner) return { runner: this.cachedRunner, problem: null };
    try {
      this.cachedRunner = this.opts.runner();
      return { runner: this.cachedRunner, problem: null };
    } catch (e) {
      return { runner: null, problem: e instanceof Error ? e.message : String(e) };
    }
  }

  private newest(): StoredPlan | null {
    let best: StoredPlan | null = null;
    for (const p of this.plans.values()) if (!best || p.at >= best.at) best = p;
    return best;
  }

  private replan(): Promise<StoredPlan> {
    this.planning ??= (async () => {
      const sample = this.latest();
      const input = await this.opts.planInput();
      const plan = planTuning(input);
      const id = `plan-${createHash('sha256').update(planFingerprint(plan)).digest('hex').slice(0, 20)}`;
      const stored: StoredPlan = { id, plan, input, sample, at: this.clock() };
      this.plans.delete(id);
      this.plans.set(id, stored);
      for (const [k, v] of this.plans) if (this.plans.size > PLANS_KEPT || this.clock() - v.at > PLAN_TTL_MS) this.plans.delete(k);
      return stored;
    })().finally(() => {
      this.planning = null;
    });
    return this.planning;
  }

  private stored(planId: string): StoredPlan {
    const s = this.plans.get(planId);
    if (!s || this.clock() - s.at > PLAN_TTL_MS) return refuse('conflict', `request.params.planId: ${planId} is not a plan this monitor computed recently; fetch the plan again (getTuningPlan)`);
    return s;
  }

  private assertIdle(): void {
    const s = this.session;
    if (this.starting) refuse('conflict', 'a helper is being started: wait for it');
    if (s && !s.view.ended) refuse('conflict', `a change is in progress (session ${s.view.id}, ${s.view.phase}): keep or revert it first`);
  }

  private live(sessionId: string): Running {
    const s = this.session;
    if (!s || s.view.id !== sessionId) return refuse('conflict', `request.params.sessionId: ${sessionId} is not the current session`);
    if (s.view.ended) return refuse('conflict', `session ${sessionId} has ended (${s.view.phase})`);
    return s;
  }

  private awaiting(sessionId: string, method: string): Running {
    const s = this.live(sessionId);
    if (!s.apply || s.view.phase !== 'awaiting-confirm') return refuse('conflict', `${method}: nothing awaits keep or revert in session ${sessionId} (${s.view.phase})`);
    return s;
  }

  private track(kind: 'apply' | 'revert', helper: ApplyRun['session'], apply: ApplyRun | null, planId: string | null, steps: string[], elevation: TuningSession['elevation']): Running {
    if (this.session) this.close();
    const now = this.clock();
    const display = helper.argv.map((a) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
    const rec: Running = {
      view: {
        id: `ts-${randomBytes(6).toString('hex')}`,
        kind,
        planId,
        steps: [...steps],
        argv: [...helper.argv],
        display,
        elevation,
        ...(this.opts.remoteHost ? { host: this.opts.remoteHost } : {}),
        startedAt: now,
        phase: kind === 'apply' ? 'applying' : 'reverting',
        ended: false,
        message: kind === 'apply' ? 'Starting Portwatch\'s helper.' : 'Starting Portwatch\'s helper to revert.',
        txid: null,
        deadline: null,
        secondsLeft: null,
        asOf: now,
        verification: null,
        changes: [],
        overrides: [],
      },
      helper,
      apply,
      filter: new TerminalFilter(),
      seq: 0,
      transcript: '',
      ticker: null,
      offs: [],
    };
    this.session = rec;
    this.terminal(rec, `$ ${display}\r\n`);
    rec.offs.push(
      helper.onData((chunk) => this.terminal(rec, rec.filter.push(chunk))),
      helper.onResult((r) => this.onResult(rec, r)),
    );
    this.emitStatus(rec);
    return rec;
  }

  private onResult(rec: Running, r: HelperResult): void {
    if (rec.view.ended) return;
    rec.view.message = r.message;
    rec.view.txid = r.txid ?? rec.view.txid;
    if (r.changes.length) rec.view.changes = r.changes;
    if (r.overrides.length) rec.view.overrides = r.overrides;
    rec.view.deadline = r.outcome === 'awaiting-confirm' ? r.deadline : null;
    const phase = phaseOf(r.outcome);
    if (phase === 'awaiting-confirm' && !rec.ticker) {
      rec.ticker = setInterval(() => this.tick(rec), 1000);
      rec.ticker.unref?.();
    }
    this.setPhase(rec, phase, r.message);
  }

  private async verify(rec: Running, a: ApplyRun): Promise<void> {
    try {
      rec.view.verification = await a.verify();
    } catch (e) {
      rec.view.verification = { ok: false, settings: [] };
      rec.view.message = `The live values could not be read back: ${(e as Error).message}`;
    }
    if (rec.view.ended) return;
    if (!rec.view.verification.ok && rec.view.phase === 'awaiting-confirm') {
      this.setPhase(rec, 'reverting', 'The live values differ from the plan: reverting.');
      void a.revert().catch(() => undefined);
      return;
    }
    this.emitStatus(rec);
  }

  private tick(rec: Running): void {
    if (rec.view.ended || rec.view.phase !== 'awaiting-confirm' || rec.view.deadline === null) return;
    const secondsLeft = Math.max(0, Math.ceil((rec.view.deadline - this.clock()) / 1000));
    this.emit({ event: 'tuningCountdown', data: { sessionId: rec.view.id, txid: rec.view.txid, deadline: rec.view.deadline, secondsLeft } });
  }

  private end(rec: Running, r: HelperResult | null, error: string | null): void {
    if (rec.view.ended) return;
    this.terminal(rec, rec.filter.flush());
    if (rec.ticker) clearInterval(rec.ticker);
    rec.ticker = null;
    for (const off of rec.offs) off();
    rec.offs = [];
    if (r) {
      rec.view.message = r.message;
      rec.view.txid = r.txid ?? rec.view.txid;
      if (r.changes.length) rec.view.changes = r.changes;
    }
    rec.view.deadline = null;
    rec.view.ended = true;
    const phase: TuningPhase = r ? phaseOf(r.outcome) : 'failed';
    rec.view.phase = FINAL_PHASES.includes(phase) ? phase : 'failed';
    if (!r) rec.view.message = `The helper ended without a final result: ${error ?? 'unknown reason'}. Run \`portwatch tune --recover\` if a change was interrupted.`;
    this.emitStatus(rec);
  }

  private setPhase(rec: Running, phase: TuningPhase, message: string): void {
    rec.view.phase = phase;
    rec.view.message = message;
    this.emitStatus(rec);
  }

  private terminal(rec: Running, text: string): void {
    for (let i = 0; i < text.length; i += MAX_TERMINAL_CHUNK) {
      const data = text.slice(i, i + MAX_TERMINAL_CHUNK);
      rec.seq++;
      rec.transcript = (rec.transcript + data).slice(-TRANSCRIPT_MAX);
      this.emit({ event: 'tuningTerminal', data: { sessionId: rec.view.id, seq: rec.seq, data } });
    }
  }

  private emitStatus(rec: Running): void {
    this.emit({ event: 'tuningStatus', data: this.view(rec) });
  }

  private view(rec: Running): TuningSession {
    const now = this.clock();
    const v = rec.view;
    return {
      ...v,
      steps: [...v.steps],
      argv: [...v.argv],
      asOf: now,
      secondsLeft: v.deadline === null ? null : Math.max(0, Math.ceil((v.deadline - now) / 1000)),
      changes: v.changes.map((c) => ({ ...c })),
      overrides: v.overrides.map((o) => ({ ...o, readers: [...o.readers] })),
      verification: v.verification ? { ok: v.verification.ok, settings: v.verification.settings.map((s) => ({ ...s })) } : null,
    };
  }
}

/** The session phase a helper outcome means. */
function phaseOf(outcome: HelperResult['outcome']): TuningPhase {
  switch (outcome) {
    case 'awaiting-confirm':
    case 'kept':
    case 'reverted':
    case 'unchanged':
    case 'refused':
    case 'rolled-back':
    case 'failed':
      return outcome;
    case 'recovered':
      return 'reverted';
    case 'status':
    case 'nothing-to-recover':
      return 'failed';
  }
}

function bounded<T>(p: Promise<T>, ms: number): Promise<T | null> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => resolve(null), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
