// The tuning planner: from the diagnosis and the settings in effect, a plan with the application-level
// fixes first (the cure, explained, never applied), then the kernel changes (relief) with their current
// and new values, why, a what-if of capacity and sustainable rate, and the risks. Pure: every input is in
// PlanInput. The guard rails live in plan-range.ts and plan-tw-reuse.ts (Linux), darwin-plan.ts and
// win32-plan.ts (macOS, Windows, with plan-range-unreserved.ts); the helper checks them again.
import type { PortRange } from '../../common/model.js';
import type { DiagnosisId } from '../../common/diagnosis-id.js';
import {
  DEFAULT_CONFIRM_TIMEOUT_SEC,
  TUNABLE_KEYS,
  formatReservedPorts,
  inRanges,
  kernelText,
  mergePortRanges,
  type HelperPlanDocument,
  type HelperSetting,
  type KernelStep,
  type TuningPlan,
} from '../../common/tuning.js';
import { adviceFor, LINUX_MYTHS, lookAlikeNotes } from './plan-advice.js';
import { persistenceView } from './plan-boot.js';
import { containerSnippets } from './plan-container.js';
import { count, portList } from './plan-format.js';
import type { PlanInput } from './plan-input.js';
import { proposeRange } from './plan-range.js';
import { proposeTwReuse } from './plan-tw-reuse.js';
import { buildSteps, destinationsWhatIf, effectSummary, summaryOf } from './plan-steps.js';
import { darwinPersistence, proposeDarwin } from './darwin-plan.js';
import { proposeWin32 } from './win32-plan.js';
import { whatIfOf, type TunableState } from './what-if.js';

/** Diagnoses for which kernel relief (range, reserved ports, tw_reuse) is worth proposing. */
const RELIEF_DIAGNOSES: ReadonlySet<DiagnosisId> = new Set<DiagnosisId>(['time-wait-churn', 'narrow-range', 'reserved-or-listeners-eat-range', 'bind-before-connect', 'kernel-counters', 'port-allocation-failures']);

/** Proposes a plan for one machine (see the file comment). */
export function planTuning(input: PlanInput): TuningPlan {
  const { kernel, sample, options, platform, environment } = input;
  const held = [...new Set([...input.listeningPorts, ...input.boundPorts])];
  const start: TunableState = { range: kernel.portRange, reserved: kernel.reservedPorts, twReuse: kernel.twReuse };
  const before = whatIfOf(kernel, start, held);
  const advice = adviceFor(sample, before.capacity.usable, platform, kernel.timeWaitSec > 0 ? kernel.timeWaitSec : 60);
  const notProposed = lookAlikeNotes(sample);
  const warnings: string[] = [];
  const base = {
    schema: 1 as const,
    platform,
    createdAt: input.now,
    environment,
    advice,
    warnings,
    notProposed,
  };

  const pressure = sample !== null && (sample.severity === 'warning' || sample.severity === 'critical' || sample.severity === 'exhausted');
  const relevant = sample?.diagnoses.some((d) => RELIEF_DIAGNOSES.has(d.id)) ?? false;
  const wanted = options.force === true || pressure || relevant;

  if (platform !== 'linux') {
    // macOS and Windows: the platform proposes, the steps and the what-if are built the same way.
    const proposal = platform === 'darwin' ? proposeDarwin(input, wanted) : proposeWin32(input, wanted);
    warnings.push(...proposal.warnings);
    notProposed.push(...proposal.notProposed);
    const built = buildSteps(input, start, held, proposal.steps);
    const after = whatIfOf(kernel, built.state, held);
    const settings = built.steps.map((s) => s.setting);
    let persistence: TuningPlan['persistence'] = null;
    let helperPlan: HelperPlanDocument | null = null;
    if (environment.container) {
      warnings.unshift(`This runs inside a container (${environment.evidence.join('; ')}): its settings are not the host's, and Portwatch does not apply them here.`);
    } else if (settings.length) {
      if (platform === 'darwin') {
        const view = darwinPersistence(input.darwin, settings);
        persistence = view.persistence;
        warnings.push(...view.warnings);
      }
      helperPlan = { kind: 'portwatch-helper-plan', schema: 1, settings, confirmTimeoutSec: options.confirmTimeoutSec ?? DEFAULT_CONFIRM_TIMEOUT_SEC };
    }
    return {
      ...base,
      summary: summaryOf(input, advice.length, built.steps, before, after, wanted),
      kernel: built.steps,
      whatIf: { before, after, destinations: destinationsWhatIf(input, start, built.state, before, after) },
      persistence,
      containerSnippets: null,
      helperPlan,
    };
  }
  notProposed.push(...LINUX_MYTHS);
  if (options.timeWaitSec !== undefined) notProposed.push(`TIME-WAIT cannot be shortened to ${options.timeWaitSec} s on Linux: it lasts 60 s, fixed in the kernel; TIME-WAIT reuse (tcp_tw_reuse) is the Linux way.`);

  // Proposals, then the steps in the order the helper writes them (reserved ports before the range).
  const range = proposeRange(kernel, input.listeningPorts, { ...(options.range ? { range: options.range } : {}), ...(options.reserve ? { reserve: options.reserve } : {}) }, wanted);
  warnings.push(...range.warnings);
  notProposed.push(...range.refusals);
  const reserveOnly = range.range === null && range.reserved === null ? reserveInsideCurrent(kernel.portRange, kernel.reservedPorts, options.reserve ?? []) : null;
  const tw = proposeTwReuse(platform, kernel, sample, options);
  notProposed.push(...tw.notes);

  const steps: KernelStep[] = [];
  let state = start;
  const push = (id: string, title: string, setting: HelperSetting, current: string | null, why: string, risks: string[], next: TunableState): void => {
    const a = whatIfOf(kernel, state, held);
    const b = whatIfOf(kernel, next, held);
    steps.push({ kind: 'kernel', id, key: setting.key, title, current, proposed: kernelText(setting), setting, why, effect: { before: a, after: b, summary: effectSummary(a, b) }, risks });
    state = next;
  };

  const newReserved = range.reserved ?? reserveOnly?.reserved ?? null;
  const added = range.reserved ? range.reservedAdded : (reserveOnly?.added ?? []);
  if (newReserved) {
    const currentText = kernel.reservedPorts ? formatReservedPorts(kernel.reservedPorts) : null;
    push(
      'reserve-listeners',
      `Reserve port${added.length > 1 ? 's' : ''} ${portList(added)}`,
      { key: 'net.ipv4.ip_local_reserved_ports', ranges: newReserved },
      currentText,
      range.range
        ? `Services listen on ${portList(added)} inside the wider range${range.range.low < 32768 ? '' : ' (in the part it newly covers)'}: reserved, connect() never hands these ports to an outgoing connection, so the service keeps its port when it restarts. Written before the range is widened.`
        : `You asked to reserve ${portList(added)}: connect() will never hand these ports to an outgoing connection.`,
      [
        'A reserved port is skipped by connect() and by bind() to port 0; a service can still bind it explicitly.',
        `Writing the list replaces it, so the plan keeps every current entry${currentText ? ` (${currentText})` : ''} and adds ${portList(added)}.`,
      ],
      { ...state, reserved: newReserved },
    );
  }
  if (range.range && kernel.portRange) {
    const cur = kernel.portRange;
    const r = range.range;
    const added = (r.high - r.low + 1) - (cur.high - cur.low + 1);
    push(
      'widen-range',
      `Widen the ephemeral range from ${cur.low}–${cur.high} to ${r.low}–${r.high}`,
      { key: 'net.ipv4.ip_local_port_range', low: r.low, high: r.high },
      `${cur.low}\t${cur.high}`,
      `${count(added)} more ports for outgoing connections toward every destination. Relief, not a cure: the connections that fill the range keep coming; the application fixes above remove the cause.`,
      [
        `Ports ${newPartsText(cur, r)} become ephemeral: a service configured to listen there but not running now could find its port taken by an outgoing connection when it starts. Portwatch reserves the ports listening now; name others with --reserve.`,
        'Firewalls, NAT rules or security groups that allow return traffic only to the old range must allow the new one.',
      ],
      { ...state, range: r },
    );
  }
  if (tw.value !== null) {
    push(
      'tw-reuse',
      `Let outgoing connections reuse TIME-WAIT ports (tcp_tw_reuse ${kernel.twReuse} → ${tw.value})`,
      { key: 'net.ipv4.tcp_tw_reuse', value: tw.value },
      kernel.twReuse === null ? null : String(kernel.twReuse),
      tw.why,
      [
        'It applies to outgoing connections only, and only where the peer echoes TCP timestamps (a middlebox that strips them leaves ports held for the full TIME-WAIT).',
        'The kernel documentation advises changing tcp_tw_reuse only on expert advice: reuse relies on timestamps (PAWS) to reject old segments of the previous connection.',
        ...(tw.value === 1 ? ['It applies to every outgoing connection of this network namespace, not only loopback.'] : []),
      ],
      { ...state, twReuse: tw.value },
    );
  }
  steps.sort((a, b) => TUNABLE_KEYS.indexOf(a.key) - TUNABLE_KEYS.indexOf(b.key));
  const after = whatIfOf(kernel, state, held);
  const settings = steps.map((s) => s.setting);

  let persistence: TuningPlan['persistence'] = null;
  let snippets: TuningPlan['containerSnippets'] = null;
  let helperPlan: HelperPlanDocument | null = null;
  if (environment.container) {
    const where = `inside a container${environment.kind && environment.kind !== 'container' ? ` (${environment.kind})` : ''} (${environment.evidence.join('; ')})`;
    warnings.unshift(
      settings.length
        ? `This runs ${where}: changing these settings here would change only this container's network namespace, not the host, and would be lost when it restarts. ` +
            'Portwatch does not apply them here; set them in the container or pod specification below.'
        : `This runs ${where}: its ephemeral port settings belong to its own network namespace, not to the host.`,
    );
    if (settings.length) snippets = containerSnippets(settings);
  } else if (settings.length) {
    const view = persistenceView(input.sysctlFiles, settings);
    persistence = view.persistence;
    warnings.push(...view.warnings);
    helperPlan = { kind: 'portwatch-helper-plan', schema: 1, settings, confirmTimeoutSec: options.confirmTimeoutSec ?? DEFAULT_CONFIRM_TIMEOUT_SEC };
  }

  return {
    ...base,
    summary: summaryOf(input, advice.length, steps, before, after, wanted),
    kernel: steps,
    whatIf: { before, after, destinations: destinationsWhatIf(input, start, state, before, after) },
    persistence,
    containerSnippets: snippets,
    helperPlan,
  };
}

/** Ports the user asked to reserve inside the current range (when the range itself does not change). */
function reserveInsideCurrent(range: PortRange | null, reserved: PortRange[] | null, asked: readonly number[]): { reserved: PortRange[]; added: number[] } | null {
  if (!range || reserved === null) return null;
  const added = [...new Set(asked)].filter((p) => p >= range.low && p <= range.high && !inRanges(reserved, p)).sort((a, b) => a - b);
  return added.length ? { reserved: mergePortRanges([...reserved, ...added.map((p) => ({ low: p, high: p }))]), added } : null;
}

function newPartsText(cur: PortRange, r: PortRange): string {
  const parts: string[] = [];
  if (r.low < cur.low) parts.push(`${r.low}–${cur.low - 1}`);
  if (r.high > cur.high) parts.push(`${cur.high + 1}–${r.high}`);
  return parts.join(' and ');
}
