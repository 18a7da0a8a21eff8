// Text `portwatch tune` prints around a plan, for this machine, a capture and a remote host alike.
import { cleanTerminalFields } from '../common/terminal-text.js';
import type { TuningPlan } from '../common/tuning.js';
import { renderPlan } from '../node/tuning/plan-text.js';
import type { UnmetRequest } from '../node/tuning/unmet-requests.js';
import type { Io } from './args.js';
import { TUNE_EXIT } from './exit-codes.js';

/** "What is happening": the severity, its reason and the diagnoses the plan answers (escaped for the terminal). */
export function writeHappening(sample: { severity: string; severityReason: string; diagnoses: { title: string; summary: string }[] }, io: Io): void {
  const s = cleanTerminalFields(sample);
  io.stdout.write(`What is happening: ${s.severity} — ${s.severityReason}\n`);
  for (const d of s.diagnoses) io.stdout.write(`  - ${d.title}: ${d.summary}\n`);
  io.stdout.write('\n');
}

/**
 * A plan without a value the user asked for by name: shown (so the reason reads in context), then the
 * command ends with the bad-arguments status naming each option, instead of succeeding without it.
 */
export function refuseUnmet(plan: TuningPlan, unmet: readonly UnmetRequest[], json: boolean, io: Io): number {
  io.stdout.write(json ? `${JSON.stringify(plan)}\n` : renderPlan(plan));
  for (const u of unmet) io.stderr.write(`portwatch tune: ${u.option} cannot be planned here: ${u.reason}\n`);
  io.stderr.write('Nothing was changed.\n');
  return TUNE_EXIT.usage;
}
