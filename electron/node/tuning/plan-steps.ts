// What every platform's plan shares: kernel steps built from proposals (each step's what-if before and
// after, steps building on each other in write order), the per-destination what-if, and the summary
// sentences. Pure.
import type { HelperSetting, KernelStep, WhatIf } from '../../common/tuning.js';
import { kernelText } from '../../common/tuning.js';
import { count, rate, seconds } from './plan-format.js';
import type { PlanInput } from './plan-input.js';
import { holdSecondsOf, isLoopbackAddress, whatIfOf, type TunableState } from './what-if.js';
import type { DestinationWhatIf } from '../../common/tuning.js';

const DESTINATIONS_SHOWN = 5;

/** A kernel change a platform planner proposes, before its what-if is worked out. */
export interface ProposedStep {
  /** Stable id ("widen-range", "widen-range-high", "widen-range-ipv6", "time-wait"…). */
  id: string;
  title: string;
  setting: HelperSetting;
  /** The value now, as the system shows it (null when unreadable or absent). */
  current: string | null;
  why: string;
  risks: string[];
  /** The settings state once this step is made (for the what-if). */
  next(state: TunableState): TunableState;
}

/** What a platform planner proposes: steps in write order, and what the reviewer must know. */
export interface PlatformProposal {
  steps: ProposedStep[];
  warnings: string[];
  notProposed: string[];
}

/** Kernel steps with their what-if, in the given order, and the state after the last one. */
export function buildSteps(input: PlanInput, start: TunableState, held: readonly number[] | null, proposed: readonly ProposedStep[]): { steps: KernelStep[]; state: TunableState } {
  const steps: KernelStep[] = [];
  let state = start;
  for (const p of proposed) {
    const next = p.next(state);
    const a = whatIfOf(input.kernel, state, held);
    const b = whatIfOf(input.kernel, next, held);
    steps.push({ kind: 'kernel', id: p.id, key: p.setting.key, title: p.title, current: p.current, proposed: kernelText(p.setting), setting: p.setting, why: p.why, effect: { before: a, after: b, summary: effectSummary(a, b) }, risks: p.risks });
    state = next;
  }
  return { steps, state };
}

/** One sentence comparing two what-ifs. */
export function effectSummary(a: WhatIf, b: WhatIf): string {
  // Without the socket table the ports listeners hold are unknown: the figures are ceilings.
  const ceiling = (w: WhatIf) => (w.capacity.heldByListeners === null ? 'at most ' : '');
  const usable = (w: WhatIf) => (w.capacity.usable === null ? 'unknown' : `${ceiling(w)}${count(w.capacity.usable)}`);
  const sustainable = (w: WhatIf) => (w.sustainablePerDestinationPerSec === null ? rate(null) : `${ceiling(w)}${rate(w.sustainablePerDestinationPerSec)}`);
  const parts = [`usable ports per destination ${usable(a)} → ${usable(b)}`];
  if (a.holdSec !== b.holdSec) parts.push(`a closed outgoing connection holds its port ${seconds(a.holdSec)} → ${seconds(b.holdSec)}`);
  parts.push(`sustainable new connections per (non-loopback) destination ${sustainable(a)} → ${sustainable(b)}`);
  const s = parts.join('; ');
  return `${s[0]!.toUpperCase()}${s.slice(1)}.`;
}

/** The what-if of the most used destinations, before and after the plan. */
export function destinationsWhatIf(input: PlanInput, from: TunableState, to: TunableState, before: WhatIf, after: WhatIf): DestinationWhatIf[] {
  const ds = input.sample?.destinations ?? [];
  return ds.slice(0, DESTINATIONS_SHOWN).map((d) => {
    const loopback = isLoopbackAddress(d.localAddress) || isLoopbackAddress(d.remoteAddress);
    const side = (state: TunableState, w: WhatIf) => {
      const holdSec = holdSecondsOf(input.kernel, state.twReuse, loopback, state.timeWaitSec);
      return { holdSec, sustainablePerSec: w.capacity.usable === null ? null : w.capacity.usable / holdSec };
    };
    return {
      key: d.key,
      label: `${d.localAddress} → ${d.remoteAddress}:${d.remotePort}`,
      loopback,
      newPerSec: d.newPerSec,
      before: side(from, before),
      after: side(to, after),
    };
  });
}

/** The plan's summary: how many fixes of each kind, and the overall effect. */
export function summaryOf(input: PlanInput, adviceCount: number, steps: readonly KernelStep[], before: WhatIf, after: WhatIf, wanted: boolean): string {
  if (!input.sample && !steps.length) return 'No sample of this machine was available and nothing was asked for explicitly: nothing is proposed.';
  if (!steps.length && !adviceCount) {
    if (wanted) return 'Nothing can be proposed within the guard rails (see below).';
    // An unknown severity is no all-clear: the sample could not tell, and says why.
    if (input.sample?.severity === 'unknown') return `Nothing is proposed: this sample cannot tell whether a destination is under pressure. ${input.sample.severityReason}`;
    return `Nothing to tune: no destination is under pressure (severity ${input.sample?.severity ?? 'unknown'}).`;
  }
  const parts: string[] = [];
  if (adviceCount) parts.push(`${adviceCount} application fix${adviceCount > 1 ? 'es' : ''} (the cure)`);
  if (steps.length) parts.push(`${steps.length} kernel change${steps.length > 1 ? 's' : ''} (relief)`);
  let s = `${parts.join(' and ')}.`;
  if (steps.length) s += ` ${effectSummary(before, after)}`;
  if (input.environment.container && steps.length) s += ' This is a container: the kernel changes belong in its specification, not here.';
  return `${s[0]!.toUpperCase()}${s.slice(1)}`;
}
