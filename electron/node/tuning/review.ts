// What a reviewer sees before applying: every setting's old and new value, every file's diff, the exact
// command that will run (argv, and a display form) and the exact writes the helper will make. Pure.
import { DROP_IN_PATH, kernelText, type TuningPlan } from '../../common/tuning.js';
import type { ElevationChoice } from './elevation.js';
import { helperArgv } from './elevation.js';

/** A command as it will run (argv) and as it is shown (quoted for reading, never for a shell). */
export interface ReviewCommand {
  argv: string[];
  display: string;
  why: string;
}

/** The review of a plan. */
export interface PlanReview {
  settings: { key: string; current: string | null; proposed: string }[];
  files: { path: string; before: string | null; after: string; diff: string[] }[];
  commands: ReviewCommand[];
  /** What the helper writes, in order: /proc/sys files, then the drop-in. */
  writes: { path: string; data: string }[];
}

/** Builds the review; planFile is where the plan document will be written (or a placeholder in a dry run). */
export function reviewPlan(plan: TuningPlan, choice: ElevationChoice | null, planFile: string): PlanReview {
  const settings = plan.kernel.map((s) => ({ key: s.key, current: s.current, proposed: s.proposed }));
  const files = plan.persistence ? [{ path: plan.persistence.path, before: plan.persistence.before, after: plan.persistence.after, diff: lineDiff(plan.persistence.before ?? '', plan.persistence.after) }] : [];
  const commands: ReviewCommand[] = [];
  if (plan.helperPlan && choice) {
    const argv = helperArgv(choice, 'apply', [planFile]);
    commands.push({
      argv,
      display: displayArgv(argv),
      why: `${choice.method === 'direct' ? 'Runs' : choice.method === 'pkexec' ? 'Asks polkit for permission, then runs' : 'Asks sudo for your password, then runs'} Portwatch's helper: it writes the values, reads them back, persists them in ${DROP_IN_PATH} and reverts after ${plan.helperPlan.confirmTimeoutSec} s unless you keep them.`,
    });
  }
  const writes = plan.helperPlan
    ? [
        ...plan.helperPlan.settings.map((s) => ({ path: `/proc/sys/${s.key.replace(/\./g, '/')}`, data: `${kernelText(s)}\n` })),
        ...(plan.persistence ? [{ path: plan.persistence.path, data: plan.persistence.after }] : []),
      ]
    : [];
  return { settings, files, commands, writes };
}

/** argv shown one word at a time, quoting words that are not plain (for reading only). */
export function displayArgv(argv: readonly string[]): string {
  return argv.map((a) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** A minimal line diff ("-old", "+new", " same") of two small texts. */
export function lineDiff(a: string, b: string): string[] {
  const x = a === '' ? [] : a.replace(/\n$/, '').split('\n');
  const y = b === '' ? [] : b.replace(/\n$/, '').split('\n');
  const n = x.length;
  const m = y.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i]![j] = x[i] === y[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (x[i] === y[j]) {
      out.push(` ${x[i++]}`);
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) out.push(`-${x[i++]}`);
    else out.push(`+${y[j++]}`);
  }
  while (i < n) out.push(`-${x[i++]}`);
  while (j < m) out.push(`+${y[j++]}`);
  return out;
}
