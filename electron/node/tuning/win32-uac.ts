// The Windows elevation: the helper relaunched elevated through UAC by Windows PowerShell's
// `Start-Process -Verb RunAs -Wait -PassThru`, the only way to ask for an elevated process without a
// native module (ShellExecute with the "runas" verb). PowerShell gets one fixed script after -Command;
// the only words put into it are the helper's program path, the verb and its arguments, each checked
// against a closed character set (no quote of either kind, no $ ` % & | ; < > ^), so that neither
// PowerShell's single-quoted literal nor the command line Windows hands the helper can be escaped from.
// Each word is wrapped in double quotes for CommandLineToArgvW, whose only special characters inside
// quotes are " and a backslash before it: neither can occur (no quote, no trailing backslash).
//
// Trade-offs, against a manifest with requireAdministrator: a manifest makes every start of the helper
// elevated, but CreateProcess (Node's spawn) then fails with ERROR_ELEVATION_REQUIRED; only ShellExecute
// prompts, and neither can redirect the elevated program's input and output. So the elevated helper runs
// in a console window of its own, where the user sees what it does and types keep or revert; the app
// learns the outcome from the helper's journal (readable without elevation) and its exit status.
import { HELPER_VERBS, TXID_PATTERN } from '../../common/tuning.js';
import { isPlanPath } from '../../helper/argv.js';

/** A word refused for the UAC command line, naming it. */
export class UacArgumentError extends Error {
  override readonly name = 'UacArgumentError';
}

// Absolute program paths: a drive path (or, on a non-Windows host in tests, a POSIX path) of safe characters.
const SAFE_PATH = /^(?:[A-Za-z]:(?:\\[\p{L}\p{N}_@+(~][\p{L}\p{N} ._@+()~-]*)+|(?:\/[\p{L}\p{N}_@+(~][\p{L}\p{N} ._@+()~-]*)+)$/u;

/** Whether a path may go into the UAC command line. */
export function isUacPath(p: string): boolean {
  return p.length <= 1024 && SAFE_PATH.test(p) && !/[. ]$/.test(p);
}

/** The PowerShell script that relaunches `program verb args…` elevated and exits with its exit status. */
export function uacScript(program: readonly string[], verb: string, args: readonly string[]): string {
  const [exe, ...exeArgs] = program;
  if (exe === undefined || !isUacPath(exe)) throw new UacArgumentError(`the helper program must be an absolute path of plain characters, got ${JSON.stringify(exe ?? null)}`);
  for (const a of exeArgs) if (!isUacPath(a)) throw new UacArgumentError(`the helper's program arguments must be absolute paths of plain characters, got ${JSON.stringify(a)}`);
  if (!(HELPER_VERBS as readonly string[]).includes(verb)) throw new UacArgumentError(`not a helper verb: ${JSON.stringify(verb)}`);
  for (const a of args) {
    const ok = TXID_PATTERN.test(a) || isPlanPath(a, 'win32') || (isUacPath(a) && isPlanPath(a, 'linux'));
    if (!ok || a.startsWith('-')) throw new UacArgumentError(`not a transaction id or a plan path: ${JSON.stringify(a.slice(0, 80))}`);
  }
  const argumentList = [...exeArgs, verb, ...args].map((a) => `"${a}"`).join(' ');
  return `$ErrorActionPreference = 'Stop'; $p = Start-Process -FilePath '${exe}' -ArgumentList '${argumentList}' -Verb RunAs -Wait -PassThru; exit $p.ExitCode`;
}

/** Windows PowerShell's argv before the script (no profile, no prompt, no logo). */
export function powershellPrefix(powershell: string): string[] {
  return [powershell, '-NoLogo', '-NoProfile', '-NonInteractive', '-Command'];
}

/** Where Windows PowerShell is under this %SystemRoot%. */
export function powershellPath(systemRoot: string): string {
  return `${systemRoot}\\System32\\WindowsPowerShell\\v1.0\\powershell.exe`;
}
