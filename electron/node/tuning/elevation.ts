// How the helper gets root: directly when already root, else pkexec with the polkit policy (the prompt
// names Portwatch's helper, never a shell), else sudo. The choice is a pure function of the facts; the
// facts are read from fixed absolute paths (never looked up in PATH).
import { existsSync } from 'node:fs';
import { locateHelper, type HelperProgram } from './helper-location.js';

/** How the helper is started. */
export type ElevationMethod = 'direct' | 'pkexec' | 'sudo';

/** What the choice depends on. */
export interface ElevationFacts {
  euid: number;
  helper: HelperProgram;
  /** Absolute path of pkexec, or null. */
  pkexec: string | null;
  /** Absolute path of sudo, or null. */
  sudo: string | null;
  /** Whether the polkit policy naming the installed helper is installed. */
  policyInstalled: boolean;
}

/** A way to run the helper: the argv prefix before the verb. */
export interface ElevationChoice {
  method: ElevationMethod;
  prefix: string[];
}

export const POLKIT_POLICY_PATH = '/usr/share/polkit-1/actions/io.portwatch.helper.policy';
const PKEXEC_PATHS = ['/usr/bin/pkexec', '/bin/pkexec'];
const SUDO_PATHS = ['/usr/bin/sudo', '/bin/sudo'];

/** The elevation to use, or why there is none. */
export function chooseElevation(f: ElevationFacts): { ok: true; choice: ElevationChoice } | { ok: false; error: string } {
  if (f.euid === 0) return { ok: true, choice: { method: 'direct', prefix: [...f.helper.nodeArgv] } };
  // pkexec runs exactly the file the policy names: only the installed helper qualifies.
  if (f.pkexec && f.helper.kind === 'installed' && f.policyInstalled) return { ok: true, choice: { method: 'pkexec', prefix: [f.pkexec, f.helper.path] } };
  if (f.sudo) return { ok: true, choice: { method: 'sudo', prefix: [f.sudo, '--', ...f.helper.nodeArgv] } };
  return {
    ok: false,
    error: 'changing kernel settings needs root: run Portwatch as root, or install polkit (pkexec) with Portwatch\'s policy, or sudo',
  };
}

/** The full argv of one helper command. */
export function helperArgv(choice: ElevationChoice, verb: string, args: readonly string[] = []): string[] {
  return [...choice.prefix, verb, ...args];
}

/** Reads the facts of this machine. */
export function elevationFacts(exists: (p: string) => boolean = existsSync): ElevationFacts {
  return {
    euid: process.geteuid?.() ?? -1,
    helper: locateHelper({ exists }),
    pkexec: PKEXEC_PATHS.find(exists) ?? null,
    sudo: SUDO_PATHS.find(exists) ?? null,
    policyInstalled: exists(POLKIT_POLICY_PATH),
  };
}
