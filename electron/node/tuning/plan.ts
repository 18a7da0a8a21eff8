// The tuning planner: from the diagnosis and the settings in effect, a plan with the application-level
// fixes first (the cure, explained, never applied), then the kernel changes (relief) with their current
// and new values, why, a what-if of capacity and sustainable rate, and the risks. Pure: every input is in
// PlanInput. In named stages: gather (the machine now, the advice, whether relief is wanted) → propose
// (per setting, on each platform: linux-plan.ts, darwin-plan.ts, win32-plan.ts, with their guard rails) →
// build the steps in write order with their what-if (plan-steps.ts) → deliver (the helper's plan and how
// the change survives a reboot, or the container snippets) → describe (summary, what-if, the plan).
import type { DiagnosisId } from '../../common/diagnosis-id.js';
import { DEFAULT_CONFIRM_TIMEOUT_SEC, type HelperPlanDocument, type HelperSetting, type TuningPlan, type WhatIf } from '../../common/tuning.js';
import { adviceFor, lookAlikeNotes } from './plan-advice.js';
import { persistenceView } from './plan-boot.js';
import { containerSnippets } from './plan-container.js';
import { heldPortsOf, type PlanInput } from './plan-input.js';
import { buildSteps, destinationsWhatIf, summaryOf, type PlatformProposal } from './plan-steps.js';
import { darwinPersistence, proposeDarwin } from './darwin-plan.js';
import { proposeLinux } from './linux-plan.js';
import { proposeWin32 } from './win32-plan.js';
import { whatIfOf, type TunableState } from './what-if.js';

/** Diagnoses for which kernel relief (range, reserved ports, tw_reuse) is worth proposing. */
const RELIEF_DIAGNOSES: ReadonlySet<DiagnosisId> = new Set<DiagnosisId>(['time-wait-churn', 'narrow-range', 'reserved-or-listeners-eat-range', 'bind-before-connect', 'kernel-counters', 'port-allocation-failures']);

/** Proposes a plan for one machine (see the file comment). */
export function planTuning(input: PlanInput): TuningPlan {
  const now = gather(input);
  const proposal = propose(input, now.wanted);
  const built = buildSteps(input, now.start, now.held, proposal.steps);
  const after = whatIfOf(input.kernel, built.state, now.held);
  const delivery = deliver(input, built.steps.map((s) => s.setting));
  return {
    schema: 1,
    platform: input.platform,
    createdAt: input.now,
    environment: input.environment,
    advice: now.advice,
    warnings: [...(delivery.containerWarning ? [delivery.containerWarning] : []), ...proposal.warnings, ...delivery.warnings],
    notProposed: [...now.notProposed, ...proposal.notProposed],
    summary: summaryOf(input, now.advice.length, built.steps, now.before, after, now.wanted),
    kernel: built.steps,
    whatIf: { before: now.before, after, destinations: destinationsWhatIf(input, now.start, built.state, now.before, after) },
    persistence: delivery.persistence,
    containerSnippets: delivery.containerSnippets,
    helperPlan: delivery.helperPlan,
  };
}

/** The machine as it is, and what the plan says before any kernel change. */
interface Gathered {
  /** Ports held by listening or bound-only sockets (what a wider range must not hand out); null: unknown. */
  held: number[] | null;
  start: TunableState;
  before: WhatIf;
  advice: TuningPlan['advice'];
  /** Look-alikes ruled out (not a port problem). */
  notProposed: string[];
  /** Relief is wanted: forced, pressure now, or a diagnosis it helps. */
  wanted: boolean;
}

/** Stage 1: the settings in effect, their what-if, the application advice, whether relief is wanted. */
function gather(input: PlanInput): Gathered {
  const { kernel, sample, options, platform } = input;
  const held = heldPortsOf(input);
  const start: TunableState = { range: kernel.portRange, reserved: kernel.reservedPorts, twReuse: kernel.twReuse };
  const before = whatIfOf(kernel, start, held);
  // A ceiling (held ports unknown) is no figure to advise with.
  const advice = adviceFor(sample, before.capacity.heldByListeners === null ? null : before.capacity.usable, platform, kernel.timeWaitSec > 0 ? kernel.timeWaitSec : 60);
  const pressure = sample !== null && (sample.severity === 'warning' || sample.severity === 'critical' || sample.severity === 'exhausted');
  const relevant = sample?.diagnoses.some((d) => RELIEF_DIAGNOSES.has(d.id)) ?? false;
  return { held, start, before, advice, notProposed: lookAlikeNotes(sample), wanted: options.force === true || pressure || relevant };
}

/** Stage 2: each platform decides per setting what to change (in write order) or why not. */
function propose(input: PlanInput, wanted: boolean): PlatformProposal {
  switch (input.platform) {
    case 'linux':
      return proposeLinux(input, wanted);
    case 'darwin':
      return proposeDarwin(input, wanted);
    default:
      return proposeWin32(input, wanted);
  }
}

/** How the settings reach the machine. */
interface Delivery {
  /** Inside a container: why nothing is applied here (the plan's first warning). */
  containerWarning: string | null;
  warnings: string[];
  persistence: TuningPlan['persistence'];
  containerSnippets: TuningPlan['containerSnippets'];
  helperPlan: HelperPlanDocument | null;
}

/** Stage 4: in a container, the snippets to set instead; else the helper's plan and how the change survives a reboot. */
function deliver(input: PlanInput, settings: readonly HelperSetting[]): Delivery {
  const { environment, platform, options } = input;
  const none: Delivery = { containerWarning: null, warnings: [], persistence: null, containerSnippets: null, helperPlan: null };
  if (environment.container) {
    const snippets = platform === 'linux' && settings.length ? containerSnippets(settings) : null;
    return { ...none, containerWarning: containerWarning(input, settings.length > 0), containerSnippets: snippets };
  }
  if (!settings.length) return none;
  const boot = platform === 'linux' ? persistenceView(input.sysctlFiles, settings) : platform === 'darwin' ? darwinPersistence(input.darwin, settings) : null;
  return {
    ...none,
    warnings: boot?.warnings ?? [],
    persistence: boot?.persistence ?? null,
    helperPlan: { kind: 'portwatch-helper-plan', schema: 1, settings: [...settings], confirmTimeoutSec: options.confirmTimeoutSec ?? DEFAULT_CONFIRM_TIMEOUT_SEC },
  };
}

/** Why the plan is not applied inside a container (on Linux, where to set it instead). */
function containerWarning(input: PlanInput, hasSettings: boolean): string {
  const { environment } = input;
  if (input.platform !== 'linux') {
    return `This runs inside a container (${environment.evidence.join('; ')}): its settings are not the host's, and Portwatch does not apply them here.`;
  }
  const where = `inside a container${environment.kind && environment.kind !== 'container' ? ` (${environment.kind})` : ''} (${environment.evidence.join('; ')})`;
  return hasSettings
    ? `This runs ${where}: changing these settings here would change only this container's network namespace, not the host, and would be lost when it restarts. ` +
        'Portwatch does not apply them here; set them in the container or pod specification below.'
    : `This runs ${where}: its ephemeral port settings belong to its own network namespace, not to the host.`;
}
