// The tuning wizard's state: the plan the monitor offered (by id), the steps chosen from it, their review,
// and the helper session (phase, countdown, terminal). Fields are $state.raw, replaced whole; the terminal
// text is not reactive (the terminal pane writes it itself). The wizard never writes a plan: it names the
// monitor's plan by id and chooses among its steps.
import { isContractError, type Events } from '../../../electron/common/contract.js';
import type { ApplyAvailability, TuningPlanView, TuningReview, TuningSession } from '../../../electron/common/tuning-contract.js';
import { DEFAULT_CONFIRM_TIMEOUT_SEC } from '../../../electron/common/tuning.js';
import type { PortwatchClient } from '../api/client.js';
import type { TerminalFeed, TerminalSink } from './terminal-feed.js';
import { TerminalRelay } from './terminal-relay.js';

/** The wizard's steps, in order. */
export const STEPS = [
  { id: 'diagnosis', title: 'What is happening' },
  { id: 'choose', title: 'Choose the fix' },
  { id: 'review', title: 'Review' },
  { id: 'apply', title: 'Apply' },
  { id: 'verify', title: 'Verify' },
  { id: 'keep', title: 'Keep or revert' },
] as const;

/** One step's id. */
export type StepId = (typeof STEPS)[number]['id'];

export type { TerminalSink } from './terminal-feed.js';

/** Everything the wizard shows, fed by one client. */
export class WizardState implements TerminalFeed {
  step = $state.raw<StepId>('diagnosis');
  view = $state.raw<TuningPlanView | null>(null);
  loading = $state.raw(false);
  error = $state.raw<string | null>(null);
  /** The error asks for a fresh plan (the system changed since this one). */
  stale = $state.raw(false);
  chosen = $state.raw<string[]>([]);
  review = $state.raw<TuningReview | null>(null);
  reviewing = $state.raw(false);
  confirmTimeoutSec = $state.raw<number>(DEFAULT_CONFIRM_TIMEOUT_SEC);
  session = $state.raw<TuningSession | null>(null);
  secondsLeft = $state.raw<number | null>(null);
  busy = $state.raw<null | 'applying' | 'keeping' | 'reverting'>(null);
  private readonly terminal = new TerminalRelay(256 * 1024);
  private transcriptSession: string | null = null;
  private lastSeq = 0;
  private readonly off: () => void;

  constructor(private readonly client: PortwatchClient) {
    this.off = client.onEvent((e) => {
      if (e.event === 'tuningTerminal') this.onTerminal(e.data);
      else if (e.event === 'tuningStatus') this.onSession(e.data);
      else if (e.event === 'tuningCountdown') this.onCountdown(e.data);
    });
  }

  /** Whether applying is allowed here, and why not (from the latest answer). */
  get availability(): ApplyAvailability | null {
    return this.review?.apply ?? this.view?.apply ?? null;
  }

  /** A session is running: the earlier steps are locked until it ends. */
  get inProgress(): boolean {
    return this.session !== null && !this.session.ended;
  }

  /** The steps the user may go to now. */
  reachable(id: StepId): boolean {
    const s = this.session;
    switch (id) {
      case 'diagnosis':
      case 'choose':
        return !this.inProgress && this.view !== null;
      case 'review':
        return !this.inProgress && this.chosen.length > 0;
      case 'apply':
        return s !== null && s.kind === 'apply';
      case 'verify':
        return s !== null && s.kind === 'apply' && (s.phase === 'awaiting-confirm' || s.verification !== null || s.ended);
      case 'keep':
        return s !== null && (s.phase === 'awaiting-confirm' || s.ended || s.kind === 'revert');
    }
  }

  /** Loads a running session (a reloaded page during a countdown) and the plan. */
  async open(): Promise<void> {
    this.error = null;
    try {
      const st = await this.client.call('getTuningStatus', {});
      if (st.session) {
        this.adoptTranscript(st.terminal?.sessionId ?? st.session.id, st.terminal?.data ?? '', st.terminal?.seq ?? 0);
        this.onSession(st.session);
        if (!st.session.ended) this.step = st.session.phase === 'awaiting-confirm' ? 'verify' : 'apply';
      }
    } catch (e) {
      this.fail(e);
    }
    await this.loadPlan();
  }

  /** Fetches a fresh plan (and forgets the previous choice and review). */
  async loadPlan(): Promise<void> {
    this.loading = true;
    this.stale = false;
    try {
      const v = await this.client.call('getTuningPlan', {});
      this.view = v;
      this.chosen = v.plan.kernel.map((s) => s.id);
      this.review = null;
      if (!this.inProgress && this.session?.kind !== 'apply') this.error = null;
    } catch (e) {
      this.fail(e);
    } finally {
      this.loading = false;
    }
  }

  /** Starts again from the diagnosis with a fresh plan (after a session ended). */
  async restart(): Promise<void> {
    this.step = 'diagnosis';
    this.error = null;
    await this.loadPlan();
  }

  /** Other chosen steps that need `id` (so it cannot be left out alone). */
  neededBy(id: string): string[] {
    return (this.view?.requires ?? []).filter((r) => r.needs.includes(id) && this.chosen.includes(r.step)).map((r) => r.step);
  }

  /** Chooses or leaves out a kernel step, keeping steps that must go together together. */
  toggle(id: string, on: boolean): void {
    const reqs = this.view?.requires ?? [];
    let next = [...this.chosen];
    if (on) {
      next.push(id);
      for (const r of reqs) if (r.step === id) next.push(...r.needs);
    } else {
      const drop = [id, ...reqs.filter((r) => r.needs.includes(id)).map((r) => r.step)];
      next = next.filter((s) => !drop.includes(s));
    }
    const order = this.view?.plan.kernel.map((s) => s.id) ?? [];
    this.chosen = order.filter((s) => next.includes(s));
    this.review = null;
  }

  /** Goes to a step (when reachable); the review is fetched on the way in. */
  async goTo(id: StepId): Promise<void> {
    if (!this.reachable(id)) return;
    this.step = id;
    if (id === 'review' && !this.review) await this.fetchReview();
  }

  /** Fetches the review of the chosen steps. */
  async fetchReview(): Promise<void> {
    const v = this.view;
    if (!v || !this.chosen.length) return;
    this.reviewing = true;
    try {
      this.review = await this.client.call('reviewTuning', { planId: v.planId, steps: this.chosen, confirmTimeoutSec: this.confirmTimeoutSec });
      this.error = null;
    } catch (e) {
      this.fail(e);
    } finally {
      this.reviewing = false;
    }
  }

  /** Another countdown length: the review (its command's explanation, the plan file) follows. */
  async setConfirmTimeout(sec: number): Promise<void> {
    if (sec === this.confirmTimeoutSec) return;
    this.confirmTimeoutSec = sec;
    if (this.review) await this.fetchReview();
  }

  /** Applies the reviewed steps through the helper; the terminal shows what runs. */
  async apply(): Promise<void> {
    const v = this.view;
    if (!v || !this.review?.apply.allowed || this.busy) return;
    this.busy = 'applying';
    this.error = null;
    try {
      const s = await this.client.call('applyTuning', { planId: v.planId, steps: this.chosen, confirmTimeoutSec: this.confirmTimeoutSec });
      this.onSession(s);
      this.step = 'apply';
    } catch (e) {
      this.fail(e);
    } finally {
      this.busy = null;
    }
  }

  /** Keeps the new values. */
  async keep(): Promise<void> {
    const s = this.session;
    if (!s || this.busy) return;
    this.busy = 'keeping';
    try {
      this.onSession(await this.client.call('keepTuning', { sessionId: s.id }));
      this.step = 'keep';
    } catch (e) {
      this.fail(e);
    } finally {
      this.busy = null;
    }
  }

  /** Reverts now: the change awaiting confirmation, or (after it was kept) by its transaction id. */
  async revert(): Promise<void> {
    const s = this.session;
    if (!s || this.busy) return;
    this.busy = 'reverting';
    try {
      const params = !s.ended && s.phase === 'awaiting-confirm' ? { sessionId: s.id } : s.txid ? { txid: s.txid } : null;
      if (!params) return;
      this.onSession(await this.client.call('revertTuning', params));
      this.step = 'keep';
    } catch (e) {
      this.fail(e);
    } finally {
      this.busy = null;
    }
  }

  /** Keystrokes from the terminal pane (a password), sent in small batches. */
  type(data: string): void {
    const s = this.session;
    if (!s || s.ended || !this.availability?.allowed) return;
    this.terminal.type(data, (chunk) => this.client.call('writeTuningTerminal', { sessionId: s.id, data: chunk }), (e) => this.fail(e));
  }

  /** The terminal pane's size changed. */
  resize(cols: number, rows: number): void {
    const s = this.session;
    if (!s || s.ended || !this.availability?.allowed) return;
    void this.client.call('resizeTuningTerminal', { sessionId: s.id, cols: clamp(cols, 20, 400), rows: clamp(rows, 5, 200) }).catch(() => undefined);
  }

  /** The session's terminal output so far (not reactive: the terminal pane subscribes). */
  get transcript(): string {
    return this.terminal.transcript;
  }

  /** Subscribes a terminal pane; it gets the transcript so far first. Returns the unsubscribe function. */
  attach(sink: TerminalSink): () => void {
    return this.terminal.attach(sink);
  }

  /** Stops listening. */
  dispose(): void {
    this.off();
    this.terminal.dispose();
  }

  private onSession(s: TuningSession): void {
    const cur = this.session;
    // Another tab may start a newer session; an older view never replaces a newer one.
    if (cur && cur.id === s.id && cur.asOf > s.asOf) return;
    if (cur && cur.id !== s.id && cur.startedAt > s.startedAt) return;
    this.session = s;
    this.secondsLeft = s.secondsLeft;
    if (s.ended && this.step === 'verify') this.step = 'keep';
  }

  private onCountdown(c: Events['tuningCountdown']): void {
    if (this.session?.id === c.sessionId) this.secondsLeft = c.secondsLeft;
  }

  private onTerminal(c: Events['tuningTerminal']): void {
    if (c.sessionId !== this.transcriptSession) {
      // A new session: a fresh terminal (its first chunk is the command line).
      this.adoptTranscript(c.sessionId, '', 0);
    }
    if (c.seq <= this.lastSeq) return;
    this.lastSeq = c.seq;
    this.terminal.append(c.data);
  }

  private adoptTranscript(sessionId: string, text: string, seq: number): void {
    this.transcriptSession = sessionId;
    this.lastSeq = seq;
    this.terminal.replace(text);
  }

  private fail(e: unknown): void {
    this.error = e instanceof Error || isContractError(e) ? (e as Error).message : String(e);
    this.stale = isContractError(e) && e.code === 'conflict' && /fetch the plan again/.test(e.message);
  }
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, Math.round(n)));
}
