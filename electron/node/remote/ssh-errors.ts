// What went wrong when ssh could not run the remote command, from ssh's own words on stderr (ssh exits
// 255 for its own failures). Each kind carries what the user should do; a changed host key is refused
// outright, with ssh's message and the fix.
import { knownHostsName, formatSshTarget, type SshTarget } from './ssh-target.js';

/** Why a remote host could not be read. */
export type SshFailureKind = 'host-key-changed' | 'host-key-unknown' | 'needs-login' | 'unreachable' | 'ssh-failed';

/** ssh failed; `kind` says why and `message` what to do. */
export class SshError extends Error {
  override name = 'SshError';
  constructor(
    readonly kind: SshFailureKind,
    message: string,
    /** ssh's own words (control characters removed), for the details. */
    readonly sshSays: string,
  ) {
    super(message);
  }
}

/** True for an SshError. */
export function isSshError(e: unknown): e is SshError {
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'SshError';
}

/** ssh's stderr made safe to show: no control characters (no terminal escapes), bounded. */
export function cleanSshText(stderr: string): string {
  const t = stderr.replace(/\r/g, '').replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, '?').trim();
  return t.length > 2000 ? `${t.slice(0, 2000)}…` : t;
}

function lastMeaningfulLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !/^@+$/.test(l));
  return lines.at(-1) ?? '';
}

/** Classifies a failed ssh run (exit 255, or a run that printed nothing of ours). */
export function classifySshFailure(target: SshTarget, stderr: string, exitCode: number | null): SshError {
  const says = cleanSshText(stderr);
  const host = formatSshTarget(target);
  const last = lastMeaningfulLine(says) || (exitCode === null ? 'ssh was ended by a signal' : `ssh exited with status ${exitCode}`);
  if (/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key for .* has changed/i.test(says)) {
    return new SshError(
      'host-key-changed',
      `${host}: the host key has CHANGED since you last connected, so Portwatch refuses to connect (it may be a man-in-the-middle attack, or the host was reinstalled). If you know why it changed, remove the old key with \`ssh-keygen -R ${knownHostsName(target)}\` and connect again to confirm the new one.`,
      says,
    );
  }
  if (/Host key verification failed|No .*host key is known|authenticity of host/i.test(says)) {
    return new SshError('host-key-unknown', `${host}: its host key is not known yet; connect once interactively (a terminal) to check and accept it (${last})`, says);
  }
  if (/Permission denied|Too many authentication failures|passphrase|keyboard-interactive/i.test(says)) {
    return new SshError('needs-login', `${host}: needs you to log in (password, key passphrase or one-time code) in a terminal first (${last})`, says);
  }
  if (/Connection refused|timed out|No route to host|Could not resolve hostname|Network is unreachable|Connection closed|Connection reset|Broken pipe|banner exchange|Timeout, server|not responding|Name or service not known/i.test(says) || exitCode === null) {
    return new SshError('unreachable', `${host}: unreachable (${last})`, says);
  }
  return new SshError('ssh-failed', `${host}: ssh failed (${last})`, says);
}
