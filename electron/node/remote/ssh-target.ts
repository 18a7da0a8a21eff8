// Parses and checks the host a user names for SSH ("[user@]host[:port]", IPv6 as "[::1]:2222"). The
// result only ever reaches ssh as separate argv elements after `--`, never a shell; even so, anything
// ssh could read as an option (a leading "-") or that a terminal could misread (control characters) is
// refused here, naming the culprit.

/** A remote host as given by the user: what ssh gets as -l, -p and the destination. */
export interface SshTarget {
  /** Login name, absent to let ssh (and ~/.ssh/config) choose. */
  user?: string;
  /** Host name, alias from ~/.ssh/config, or IP address (IPv6 without brackets). */
  host: string;
  /** TCP port, absent to let ssh (and ~/.ssh/config) choose. */
  port?: number;
}

/** A host or ssh option the user gave that Portwatch will not hand to ssh. */
export class SshTargetError extends Error {
  override name = 'SshTargetError';
}

/** True for an SshTargetError (also after crossing a process boundary as a plain object). */
export function isSshTargetError(e: unknown): e is SshTargetError {
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'SshTargetError';
}

const MAX_TARGET = 255;
// Host names, ssh_config aliases and IPv4: letters, digits, dot, dash, underscore (aliases may use it).
const HOST = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,252}$/;
const IPV6 = /^[0-9A-Fa-f:.]{2,45}(%[A-Za-z0-9_.-]{1,15})?$/;
// POSIX portable user names (plus the dot many directories allow).
const USER = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$/;

/** Parses "[user@]host[:port]"; throws SshTargetError naming what is wrong. */
export function parseSshTarget(text: string): SshTarget {
  const shown = JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
  const fail = (why: string): never => {
    throw new SshTargetError(`SSH host ${shown}: ${why}`);
  };
  if (typeof text !== 'string' || text.length === 0) fail('is empty; give [user@]host[:port]');
  if (text.length > MAX_TARGET) fail(`is longer than ${MAX_TARGET} characters`);
  if (text.startsWith('-')) fail('starts with "-", which ssh would read as an option');
  if (/[\u0000-\u001f\u007f-\u009f\s]/.test(text)) fail('contains a space or a control character');
  let rest = text;
  let user: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    user = rest.slice(0, at);
    rest = rest.slice(at + 1);
    if (!USER.test(user)) fail(`user name ${JSON.stringify(user)} is not a plain login name (letters, digits, . _ -, not starting with -)`);
  }
  let host: string;
  let portText: string | undefined;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) fail('has "[" without "]"');
    host = rest.slice(1, close);
    const after = rest.slice(close + 1);
    if (after !== '') {
      if (!after.startsWith(':')) fail(`unexpected ${JSON.stringify(after)} after "]"`);
      portText = after.slice(1);
    }
    if (!IPV6.test(host) || !host.includes(':')) fail(`${JSON.stringify(host)} is not an IPv6 address`);
  } else {
    const colons = rest.split(':').length - 1;
    if (colons > 1) {
      // A bare IPv6 address: no port possible.
      host = rest;
      if (!IPV6.test(host)) fail(`${JSON.stringify(host)} is not an IPv6 address (write [addr]:port for a port)`);
    } else if (colons === 1) {
      const c = rest.indexOf(':');
      host = rest.slice(0, c);
      portText = rest.slice(c + 1);
    } else {
      host = rest;
    }
    if (!IPV6.test(host) || !host.includes(':')) {
      if (host === '') fail('has no host name');
      if (host.startsWith('-')) fail('host starts with "-", which ssh would read as an option');
      if (!HOST.test(host)) fail(`host ${JSON.stringify(host)} may contain only letters, digits, ".", "-" and "_"`);
    }
  }
  const target: SshTarget = { host };
  if (user !== undefined) target.user = user;
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) fail(`port ${JSON.stringify(portText)} must be a number from 1 to 65535`);
    target.port = Number(portText);
  }
  return target;
}

/** The target written back as the user would type it ("user@host:port", "[::1]:2222"). */
export function formatSshTarget(t: SshTarget): string {
  const host = t.host.includes(':') ? (t.port === undefined ? t.host : `[${t.host}]`) : t.host;
  return `${t.user === undefined ? '' : `${t.user}@`}${host}${t.port === undefined ? '' : `:${t.port}`}`;
}

/** What `ssh-keygen -R` wants to forget a host's key: "host" or "[host]:port" for a port other than 22. */
export function knownHostsName(t: SshTarget): string {
  return t.port === undefined || t.port === 22 ? t.host : `[${t.host}]:${t.port}`;
}

/** Checks a path given for `ssh -F`; throws SshTargetError naming it. */
export function checkSshConfigPath(path: string): string {
  const shown = JSON.stringify(path.length > 80 ? `${path.slice(0, 80)}…` : path);
  if (path.length === 0) throw new SshTargetError('--ssh-config: the path is empty');
  if (path.length > 4096) throw new SshTargetError(`--ssh-config ${shown}: path too long`);
  if (path.startsWith('-')) throw new SshTargetError(`--ssh-config ${shown}: starts with "-", which ssh would read as an option`);
  if (/[\u0000-\u001f\u007f]/.test(path)) throw new SshTargetError(`--ssh-config ${shown}: contains a control character`);
  return path;
}
