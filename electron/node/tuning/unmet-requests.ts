// What the user asked for by name (`tune --range`, `--time-wait`) that the plan does not deliver. The
// planner never applies a value it must refuse (a range below ip_unprivileged_port_start, one that does
// not contain the current range, TIME-WAIT on Linux); it says why among "not proposed". A command that
// was asked for a value must not then report success with a plan that silently lacks it: `tune` turns
// each of these into its bad-arguments exit, naming the option and the planner's reason.
import type { KernelSettings, PortRange } from '../../common/model.js';
import type { TunableKey, TuningPlan } from '../../common/tuning.js';
import { HELD_PORTS_UNKNOWN, type PlanOptions } from './plan-input.js';

/** One explicit request the plan does not deliver. */
export interface UnmetRequest {
  /** The option as typed on the command line, with its value ("--range 1-2"). */
  option: string;
  /** Why, in the planner's words (or a pointer to them). */
  reason: string;
}

/** The settings through which a platform shortens TIME-WAIT (Linux has none: 60 s, fixed). */
const TIME_WAIT_KEYS: readonly TunableKey[] = ['net.inet.tcp.msl', 'win32.tcpip.TcpTimedWaitDelay'];

/**
 * The explicit requests in `options` that `plan` (made for `kernel`) does not deliver; empty when it
 * delivers them all, which includes asking for what the machine already has.
 */
export function unmetRequests(plan: TuningPlan, options: PlanOptions, kernel: Pick<KernelSettings, 'timeWaitSec'>): UnmetRequest[] {
  const unmet: UnmetRequest[] = [];
  if (options.range) {
    const r = options.range;
    // Delivered when the range after the plan is the one asked for (also when it already was).
    if (!sameRange(plan.whatIf.after.capacity.range, r)) {
      unmet.push({ option: `--range ${r.low}-${r.high}`, reason: plannerReason(plan, [...[`${r.low}–${r.high}`, `start at ${r.low}:`, 'range could not be read', 'current range starts at'].map(literal), literal(HELD_PORTS_UNKNOWN)]) });
    }
  }
  const tw = options.timeWaitSec;
  if (tw !== undefined && kernel.timeWaitSec !== tw && !plan.kernel.some((s) => TIME_WAIT_KEYS.includes(s.key))) {
    unmet.push({ option: `--time-wait ${tw}`, reason: plannerReason(plan, [new RegExp(`(^|[^\\d.])${tw} s\\b`)]) });
  }
  return unmet;
}

function sameRange(a: PortRange | null, b: PortRange): boolean {
  return a !== null && a.low === b.low && a.high === b.high;
}

const literal = (text: string): RegExp => new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));

/** The first "not proposed" (or warning) line that speaks of the request, else a pointer to the plan. */
function plannerReason(plan: TuningPlan, marks: readonly RegExp[]): string {
  const lines = [...plan.notProposed, ...plan.warnings];
  const line = lines.find((l) => marks.some((m) => m.test(l)));
  return line ?? 'the plan does not include it (see "Not proposed" in the plan)';
}
