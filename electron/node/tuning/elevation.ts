// How the helper gets root: directly when already root, else pkexec with the polkit policy (the prompt
// names Portwatch's helper, never a shell), else sudo. On macOS: directly as root, else sudo (see
// docs below); on Windows: directly when already elevated, else a UAC relaunch (win32-uac.ts). The
// choice is a pure function of the facts; the facts are read from fixed absolute paths (never PATH).
//
// macOS, and why sudo: the proper way for a signed app is a privileged helper registered with
// SMAppService (macOS 13+; SMJobBless before it), approved once by the user, reached over XPC and checking
// its caller's code signature; it needs native code, a Developer ID and a signed, notarized app, which a
// build from source here cannot have. AuthorizationExecuteWithPrivileges shows the system prompt without
// a shell but is deprecated since 10.7 and also needs native code. `osascript -e 'do shell script … with
// administrator privileges'` shows the system prompt, but runs the command through /bin/sh as root (a
// shell string, even if every word is quoted), gives no output until the program ends and no input, so
// the keep-or-revert countdown could not be answered in the same session. sudo runs the helper itself
// (argv, no shell), authenticates an administrator through PAM (Touch ID where pam_tid is on) and works
// inside the embedded terminal where the user sees what runs: the least bad of what needs no native code.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { systemRootOf } from '../../common/win32-paths.js';
import { locateHelper, type HelperProgram } from './helper-location.js';
import { powershellPath, powershellPrefix, uacScript } from './win32-uac.js';

/** How the helper is started. */
export type ElevationMethod = 'direct' | 'pkexec' | 'sudo' | 'uac';

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
  /** The platform (Linux when absent). */
  platform?: NodeJS.Platform;
  /** Windows: whether this process already runs elevated. */
  elevated?: boolean;
  /** Windows: absolute path of Windows PowerShell, or null. */
  powershell?: string | null;
}

/** A way to run the helper: the argv prefix before the verb. */
export interface ElevationChoice {
  method: ElevationMethod;
  /** argv before the verb; for uac, PowerShell's argv before its -Command script. */
  prefix: string[];
  /** uac: the helper's own argv (node and the helper script), relaunched elevated by the script. */
  program?: string[];
}

export const POLKIT_POLICY_PATH = '/usr/share/polkit-1/actions/io.portwatch.helper.policy';
const PKEXEC_PATHS = ['/usr/bin/pkexec', '/bin/pkexec'];
const SUDO_PATHS = ['/usr/bin/sudo', '/bin/sudo'];

/** The elevation to use, or why there is none. */
export function chooseElevation(f: ElevationFacts): { ok: true; choice: ElevationChoice } | { ok: false; error: string } {
  const platform = f.platform ?? 'linux';
  if (platform === 'win32') {
    if (f.elevated) return { ok: true, choice: { method: 'direct', prefix: [...f.helper.nodeArgv] } };
    if (f.helper.kind === 'source') return { ok: false, error: 'the UAC relaunch needs the built helper (run npm run build), or run Portwatch from an elevated terminal' };
    if (!f.powershell) return { ok: false, error: 'changing these settings needs an administrator: Windows PowerShell (for the UAC prompt) was not found; run Portwatch from an elevated terminal' };
    return { ok: true, choice: { method: 'uac', prefix: powershellPrefix(f.powershell), program: [...f.helper.nodeArgv] } };
  }
  if (f.euid === 0) return { ok: true, choice: { method: 'direct', prefix: [...f.helper.nodeArgv] } };
  if (platform === 'darwin') {
    if (f.sudo) return { ok: true, choice: { method: 'sudo', prefix: [f.sudo, '--', ...f.helper.nodeArgv] } };
    return { ok: false, error: "changing these settings needs an administrator: run Portwatch as root, or install sudo's usual /usr/bin/sudo" };
  }
  // pkexec runs exactly the file the policy names: only the installed helper qualifies.
  if (f.pkexec && f.helper.kind === 'installed' && f.policyInstalled) return { ok: true, choice: { method: 'pkexec', prefix: [f.pkexec, f.helper.path] } };
  if (f.sudo) return { ok: true, choice: { method: 'sudo', prefix: [f.sudo, '--', ...f.helper.nodeArgv] } };
  return {
    ok: false,
    error: 'changing kernel settings needs root: run Portwatch as root, or install polkit (pkexec) with Portwatch\'s policy, or sudo',
  };
}

/** The full argv of one helper command (throws UacArgumentError for a word the UAC script refuses). */
export function helperArgv(choice: ElevationChoice, verb: string, args: readonly string[] = []): string[] {
  if (choice.method === 'uac') return [...choice.prefix, uacScript(choice.program ?? [], verb, args)];
  return [...choice.prefix, verb, ...args];
}

/** Reads the facts of this machine. */
export function elevationFacts(exists: (p: string) => boolean = existsSync, platform: NodeJS.Platform = process.platform): ElevationFacts {
  const facts: ElevationFacts = {
    euid: process.geteuid?.() ?? -1,
    helper: locateHelper({ exists }),
    pkexec: platform === 'linux' ? (PKEXEC_PATHS.find(exists) ?? null) : null,
    sudo: SUDO_PATHS.find(exists) ?? null,
    policyInstalled: platform === 'linux' && exists(POLKIT_POLICY_PATH),
    platform,
  };
  if (platform === 'win32') {
    const root = systemRootOf(process.env);
    const ps = powershellPath(root);
    facts.powershell = exists(ps) ? ps : null;
    facts.elevated = windowsElevated(root);
  }
  return facts;
}

/** Whether this Windows process is elevated: its token's mandatory label, by SID (the same in every language). */
function windowsElevated(systemRoot: string): boolean {
  try {
    const out = execFileSync(`${systemRoot}\\System32\\whoami.exe`, ['/groups'], { encoding: 'latin1', windowsHide: true, timeout: 10_000 });
    return /S-1-16-(12288|16384)\b/.test(out);
  } catch {
    return false;
  }
}
