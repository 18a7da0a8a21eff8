// The steps a user chose from a plan the monitor computed, as a plan of their own: only those settings,
// the drop-in and boot order for them, the what-if after them, and the helper document. Plus the checks
// that keep a choice inside the guard rails (steps that must go together) and that the system has not
// changed since the plan was shown. Pure: the planner's input and plan in, data out.
import type { PortRange } from '../../common/model.js';
import { DEFAULT_CONFIRM_TIMEOUT_SEC, configText, type HelperSetting, type KernelStep, type TuningPlan, type WhatIf } from '../../common/tuning.js';
import { persistenceView } from '../tuning/plan-boot.js';
import { containerSnippets } from '../tuning/plan-container.js';
import { count, rate, seconds } from '../tuning/plan-format.js';
import { heldPortsOf, type PlanInput } from '../tuning/plan-input.js';
import { holdSecondsOf, whatIfOf, type TunableState } from '../tuning/what-if.js';

/** Steps that must be chosen with another: widening the range needs the reservations planned with it. */
export function stepRequirements(plan: TuningPlan): { step: string; needs: string[] }[] {
  const ids = new Set(plan.kernel.map((s) => s.id));
  return ids.has('widen-range') && ids.has('reserve-listeners') ? [{ step: 'widen-range', needs: ['reserve-listeners'] }] : [];
}

/** The text that identifies what a plan changes (its id is a hash of it). */
export function planFingerprint(plan: TuningPlan): string {
  return JSON.stringify({
    platform: plan.platform,
    container: plan.environment.container,
    steps: plan.kernel.map((s) => [s.id, s.key, s.current, s.proposed]),
    dropIn: plan.persistence?.before ?? null,
  });
}

/** The chosen steps of `plan` as a plan of their own, or why the choice is refused (naming the step). */
export function selectSteps(plan: TuningPlan, input: PlanInput, ids: readonly string[], confirmTimeoutSec = DEFAULT_CONFIRM_TIMEOUT_SEC): { ok: true; plan: TuningPlan } | { ok: false; error: string } {
  const offered = plan.kernel.map((s) => s.id);
  for (const [i, id] of ids.entries()) {
    if (!offered.includes(id)) return { ok: false, error: `steps[${i}]: ${JSON.stringify(id)} is not a step of this plan; it offers ${offered.length ? offered.map((o) => JSON.stringify(o)).join(', ') : 'no kernel step'}` };
  }
  for (const r of stepRequirements(plan)) {
    if (!ids.includes(r.step)) continue;
    const missing = r.needs.filter((n) => !ids.includes(n));
    if (missing.length) {
      return { ok: false, error: `steps: ${JSON.stringify(r.step)} needs ${missing.map((m) => JSON.stringify(m)).join(' and ')} in the same change (services listen inside the wider range; their ports must be reserved first)` };
    }
  }
  const chosen = plan.kernel.filter((s) => ids.includes(s.id));
  const settings = chosen.map((s) => s.setting);
  if (plan.platform !== 'linux') {
    // The what-if and the persisted file are recomputed for a part of a plan on Linux only: elsewhere the
    // plan's steps go together.
    if (chosen.length !== plan.kernel.length) return { ok: false, error: `steps: on ${plan.platform} the plan's steps are applied together: choose ${offered.map((o) => JSON.stringify(o)).join(', ')}` };
    return { ok: true, plan: { ...plan, helperPlan: plan.helperPlan ? { ...plan.helperPlan, confirmTimeoutSec } : null } };
  }
  const { kernel, environment } = input;
  const held = heldPortsOf(input);
  let state: TunableState = { range: kernel.portRange, reserved: kernel.reservedPorts, twReuse: kernel.twReuse };
  for (const s of settings) state = withSetting(state, s);
  const before = plan.whatIf.before;
  const after = whatIfOf(kernel, state, held);
  const destinations = plan.whatIf.destinations.map((d) => {
    const holdSec = holdSecondsOf(kernel, state.twReuse, d.loopback);
    return { ...d, after: { holdSec, sustainablePerSec: after.capacity.usable === null ? null : after.capacity.usable / holdSec } };
  });

  // Warnings about files that override the drop-in depend on which keys are written.
  const everyBootWarning = new Set(plan.kernel.length && !environment.container ? persistenceView(input.sysctlFiles, plan.kernel.map((s) => s.setting)).warnings : []);
  const warnings = plan.warnings.filter((w) => !everyBootWarning.has(w));
  let persistence: TuningPlan['persistence'] = null;
  if (!environment.container && settings.length) {
    const view = persistenceView(input.sysctlFiles, settings);
    persistence = view.persistence;
    warnings.push(...view.warnings);
  }
  return {
    ok: true,
    plan: {
      ...plan,
      summary: chosenSummary(chosen, before, after),
      kernel: chosen,
      warnings,
      whatIf: { before, after, destinations },
      persistence,
      containerSnippets: environment.container && settings.length ? containerSnippets(settings) : null,
      helperPlan: environment.container || !settings.length ? null : { kind: 'portwatch-helper-plan', schema: 1, settings, confirmTimeoutSec },
    },
  };
}

/** Why the chosen steps of a stored plan no longer hold on a fresh plan of the same machine, or null. */
export function staleness(stored: TuningPlan, fresh: TuningPlan, ids: readonly string[]): string | null {
  for (const id of ids) {
    const was = stored.kernel.find((s) => s.id === id);
    const now = fresh.kernel.find((s) => s.id === id);
    if (!was) continue;
    if (!now) {
      // The planner's own words for what changed (what it newly declines), when it has them.
      const why = fresh.notProposed.filter((n) => !stored.notProposed.includes(n));
      return `the plan made now no longer offers "${was.title}"${why.length ? `: ${why.join(' ')}` : ` (${was.key} no longer needs it)`}`;
    }
    if (now.current !== was.current) return `${was.key} is now ${show(now.current)} (the plan was made when it was ${show(was.current)})`;
    if (now.proposed !== was.proposed) return `the planner now proposes ${show(now.proposed)} for ${was.key} instead of ${show(was.proposed)}`;
  }
  if ((stored.persistence?.before ?? null) !== (fresh.persistence?.before ?? null)) return `${stored.persistence?.path ?? 'the drop-in file'} changed`;
  if (stored.environment.container !== fresh.environment.container) return 'the environment (host or container) changed';
  return null;
}

/** The same change made by hand in an administrator's shell (shown for copying; Portwatch never runs a shell). */
export function manualCommands(plan: TuningPlan): string[] {
  const settings = plan.kernel.map((s) => s.setting);
  if (!settings.length || plan.environment.container) return [];
  const out: string[] = [];
  const sysctls: string[] = [];
  for (const s of settings) {
    if (s.key === 'win32.ipv4.dynamicport.tcp' || s.key === 'win32.ipv6.dynamicport.tcp') {
      out.push(`netsh int ${s.key === 'win32.ipv4.dynamicport.tcp' ? 'ipv4' : 'ipv6'} set dynamicport tcp start=${s.start} num=${s.num}`);
    } else if (s.key === 'win32.tcpip.TcpTimedWaitDelay') {
      out.push(`reg add HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters /v TcpTimedWaitDelay /t REG_DWORD /d ${s.value} /f`);
    } else {
      out.push(`sysctl -w ${s.key}="${configText(s)}"`);
      sysctls.push(s.key);
    }
  }
  if (sysctls.length) out.push(`sysctl ${sysctls.join(' ')}   # read back: sysctl can exit 0 after a refused write`);
  if (plan.persistence) out.push(`# then write the new ${plan.persistence.path} shown above, so that the values survive a reboot`);
  return out;
}

function withSetting(state: TunableState, s: HelperSetting): TunableState {
  switch (s.key) {
    case 'net.ipv4.ip_local_port_range':
      return { ...state, range: { low: s.low, high: s.high } satisfies PortRange };
    case 'net.ipv4.ip_local_reserved_ports':
      return { ...state, reserved: s.ranges.map((r) => ({ ...r })) };
    case 'net.ipv4.tcp_tw_reuse':
      return { ...state, twReuse: s.value };
    default:
      return state;
  }
}

function chosenSummary(chosen: readonly KernelStep[], before: WhatIf, after: WhatIf): string {
  if (!chosen.length) return 'No kernel change chosen.';
  const usable = (w: WhatIf) => (w.capacity.usable === null ? 'unknown' : count(w.capacity.usable));
  const parts = [`usable ports per destination ${usable(before)} → ${usable(after)}`];
  if (before.holdSec !== after.holdSec) parts.push(`a closed outgoing connection holds its port ${seconds(before.holdSec)} → ${seconds(after.holdSec)}`);
  parts.push(`sustainable new connections per (non-loopback) destination ${rate(before.sustainablePerDestinationPerSec)} → ${rate(after.sustainablePerDestinationPerSec)}`);
  return `${chosen.length} kernel change${chosen.length > 1 ? 's' : ''} chosen: ${parts.join('; ')}.`;
}

function show(v: string | null): string {
  return v === null ? '(absent)' : v === '' ? '(empty)' : v.replace(/\t/g, ' ');
}
