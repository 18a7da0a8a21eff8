// What a reviewer sees before applying: every setting's old and new value, every file's diff, the exact
// command that will run (argv, and a display form) and the exact writes the helper will make. Pure.
import { DARWIN_LAUNCHD_PLIST_PATH, DROP_IN_PATH, kernelText, type HelperSetting, type TuningPlan } from '../../common/tuning.js';
import { sysctlWriteArgv } from '../../helper/darwin-launchd.js';
import { win32TuningCommands } from '../../helper/win32-store.js';
import { systemRootOf } from '../../common/win32-paths.js';
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
  /** What the helper writes, in order: /proc/sys files, then the drop-in (Linux); the LaunchDaemon (macOS). */
  writes: { path: string; data: string }[];
  /** The programs the helper itself runs, in order (macOS sysctl, Windows netsh and reg; none on Linux). */
  helperCommands?: ReviewCommand[];
}

/** Builds the review; planFile is where the plan document will be written (or a placeholder in a dry run). */
export function reviewPlan(plan: TuningPlan, choice: ElevationChoice | null, planFile: string): PlanReview {
  const settings = plan.kernel.map((s) => ({ key: s.key, current: s.current, proposed: s.proposed }));
  const files = plan.persistence ? [{ path: plan.persistence.path, before: plan.persistence.before, after: plan.persistence.after, diff: lineDiff(plan.persistence.before ?? '', plan.persistence.after) }] : [];
  const commands: ReviewCommand[] = [];
  if (plan.helperPlan && choice) {
    const argv = helperArgv(choice, 'apply', [planFile]);
    const asks =
      choice.method === 'direct'
        ? 'Runs'
        : choice.method === 'pkexec'
          ? 'Asks polkit for permission, then runs'
          : choice.method === 'uac'
            ? 'Asks Windows for permission (UAC), then runs in a window of its own'
            : `Asks sudo for your password${plan.platform === 'darwin' ? " (a macOS administrator's)" : ''}, then runs`;
    const what =
      plan.platform === 'darwin'
        ? `it runs /usr/sbin/sysctl -w for each value, reads each back with sysctl -n (the kernel clamps silently), writes ${DARWIN_LAUNCHD_PLIST_PATH} so that launchd sets them again at boot`
        : plan.platform === 'win32'
          ? 'it runs netsh (and reg) for each value and reads each back; Windows stores them itself'
          : `it writes the values, reads them back, persists them in ${DROP_IN_PATH}`;
    commands.push({
      argv,
      display: displayArgv(argv, plan.platform === 'win32' ? 'win32' : 'posix'),
      why: `${asks} Portwatch's helper: ${what}, and reverts after ${plan.helperPlan.confirmTimeoutSec} s unless you keep them${choice.method === 'uac' ? ' (type keep in its window)' : ''}.`,
    });
  }
  const settings0 = plan.helperPlan?.settings ?? [];
  const writes =
    plan.platform === 'linux'
      ? plan.helperPlan
        ? [
            ...settings0.map((s) => ({ path: `/proc/sys/${s.key.replace(/\./g, '/')}`, data: `${kernelText(s)}\n` })),
            ...(plan.persistence ? [{ path: plan.persistence.path, data: plan.persistence.after }] : []),
          ]
        : []
      : plan.helperPlan && plan.persistence
        ? [{ path: plan.persistence.path, data: plan.persistence.after }]
        : [];
  return { settings, files, commands, writes, helperCommands: helperProgramCommands(plan.platform, settings0) };
}

/** The programs the helper runs for these settings (argv as it runs them), in order. */
export function helperProgramCommands(platform: TuningPlan['platform'], settings: readonly HelperSetting[], env: NodeJS.ProcessEnv = process.env): ReviewCommand[] {
  if (platform === 'darwin') {
    return settings.map((s) => {
      const argv = sysctlWriteArgv([{ key: s.key, text: kernelText(s) }]);
      return { argv, display: displayArgv(argv), why: `sets ${s.key}, then \`sysctl -n ${s.key}\` reads it back` };
    });
  }
  if (platform === 'win32') {
    const cmd = win32TuningCommands(systemRootOf(env));
    return settings.map((s) => {
      const argv =
        s.key === 'win32.tcpip.TcpTimedWaitDelay'
          ? cmd.setTimedWaitDelay(s.value)
          : s.key === 'win32.ipv4.dynamicport.tcp' || s.key === 'win32.ipv6.dynamicport.tcp'
            ? cmd.setDynamicPort(s.key, s.start, s.num)
            : [];
      const family = s.key === 'win32.ipv6.dynamicport.tcp' ? 'ipv6' : 'ipv4';
      return {
        argv,
        display: displayArgv(argv, 'win32'),
        why: s.key === 'win32.tcpip.TcpTimedWaitDelay' ? 'sets TcpTimedWaitDelay (read at the next boot), then reg query reads it back' : `sets the ${family} dynamic port range, then \`netsh int ${family} show dynamicport tcp\` reads it back`,
      };
    });
  }
  return [];
}

/** argv shown one word at a time, quoting words that are not plain (for reading only; Windows words in double quotes). */
export function displayArgv(argv: readonly string[], style: 'posix' | 'win32' = 'posix'): string {
  if (style === 'win32') return argv.map((a) => (/^[A-Za-z0-9_@%+=:,./\\-]+$/.test(a) ? a : `"${a.replace(/"/g, '\\"')}"`)).join(' ');
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
