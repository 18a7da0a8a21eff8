// Text `portwatch tune` prints around a plan, for this machine, a capture and a remote host alike.
import { cleanTerminalFields } from '../common/terminal-text.js';
import { fitText } from '../common/text-fit.js';
import type { TuningPlan } from '../common/tuning.js';
import { renderPlan } from '../node/tuning/plan-text.js';
import type { UnmetRequest } from '../node/tuning/unmet-requests.js';
import type { Io } from './args.js';
import { TUNE_EXIT } from './exit-codes.js';
import { fitWidth, outputColumns } from './paint.js';

/** The width tune's prose fits: the terminal's, else 80 columns, as `check`; null with --wide (lines whole). */
export function tuneWidth(io: Io, wide: boolean): number | null {
  return fitWidth(outputColumns(io.stdout), wide);
}

/** Writes prose fitted to the width, one line per line of `text` (a trailing newline adds a blank line). */
export function say(io: Io, width: number | null, text: string): void {
  io.stdout.write(fitText(text.split('\n'), width));
}

/** "What is happening": the severity, its reason and the diagnoses the plan answers (escaped for the terminal). */
export function writeHappening(sample: { severity: string; severityReason: string; diagnoses: { title: string; summary: string }[] }, io: Io, width: number | null): void {
  const s = cleanTerminalFields(sample);
  io.stdout.write(fitText([`What is happening: ${s.severity} — ${s.severityReason}`, ...s.diagnoses.map((d) => `  - ${d.title}: ${d.summary}`), ''], width));
}

/**
 * A plan without a value the user asked for by name: shown (so the reason reads in context), then the
 * command ends with the bad-arguments status naming each option, instead of succeeding without it.
 */
export function refuseUnmet(plan: TuningPlan, unmet: readonly UnmetRequest[], json: boolean, io: Io, width: number | null): number {
  io.stdout.write(json ? `${JSON.stringify(plan)}\n` : renderPlan(plan, width));
  for (const u of unmet) io.stderr.write(`portwatch tune: ${u.option} cannot be planned here: ${u.reason}\n`);
  io.stderr.write('Nothing was changed.\n');
  return TUNE_EXIT.usage;
}
