// The desktop app's list of remote hosts (watched over SSH, see electron/node/remote/): adding, removing
// and reordering, pure, so the tray menu, the settings file and the tests share one set of rules. A host
// is kept as the user wrote it ("ops@lb2:2222") after the same checks as `portwatch check --ssh`
// (parseSshTarget: nothing ssh could read as an option, no control characters), written back in its
// canonical form so that one host cannot be listed twice under two spellings.
import { formatSshTarget, isSshTargetError, parseSshTarget } from '../node/remote/ssh-target.js';

/** The most hosts the app watches (each is one SSH connection and one sampler). */
export const MAX_HOSTS = 20;

/** An edit of the host list that cannot be made, naming the host and why. */
export class HostListError extends Error {
  override name = 'HostListError';
}

/** True for a HostListError (also after crossing a process boundary as a plain object). */
export function isHostListError(e: unknown): e is HostListError {
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'HostListError';
}

/** The canonical spelling of a host the user typed; throws HostListError naming what is wrong. */
export function canonicalHost(text: unknown): string {
  if (typeof text !== 'string') throw new HostListError(`SSH host: expected text like user@host:port, got ${typeof text}`);
  try {
    return formatSshTarget(parseSshTarget(text));
  } catch (err) {
    if (isSshTargetError(err)) throw new HostListError(err.message);
    throw err;
  }
}

/** The list with `text` added at the end; throws HostListError for a bad, repeated or one-too-many host. */
export function addHost(hosts: readonly string[], text: unknown): string[] {
  const host = canonicalHost(text);
  if (hosts.includes(host)) throw new HostListError(`SSH host ${JSON.stringify(host)} is already in the list`);
  if (hosts.length >= MAX_HOSTS) throw new HostListError(`SSH host ${JSON.stringify(host)}: the list already holds ${MAX_HOSTS} hosts, the most Portwatch watches`);
  return [...hosts, host];
}

/** The list without `host`; throws HostListError when it is not there. */
export function removeHost(hosts: readonly string[], host: string): string[] {
  const i = indexOf(hosts, host);
  return [...hosts.slice(0, i), ...hosts.slice(i + 1)];
}

/** The list with `host` moved to position `to` (clamped to the list); throws HostListError when it is not there. */
export function moveHost(hosts: readonly string[], host: string, to: number): string[] {
  const i = indexOf(hosts, host);
  if (!Number.isInteger(to)) throw new HostListError(`SSH host ${JSON.stringify(host)}: position ${String(to)} is not a whole number`);
  const rest = [...hosts.slice(0, i), ...hosts.slice(i + 1)];
  const at = Math.max(0, Math.min(rest.length, to));
  return [...rest.slice(0, at), host, ...rest.slice(at)];
}

/** Reads a host list from untrusted settings; bad, repeated and surplus entries are dropped with a problem each. */
export function parseHostList(value: unknown, problems: string[], path = 'hosts'): string[] {
  if (!Array.isArray(value)) {
    problems.push(`${path}: expected a list of SSH hosts like "user@host:port", got ${value === null ? 'null' : typeof value}`);
    return [];
  }
  let hosts: string[] = [];
  for (const [i, item] of value.slice(0, MAX_HOSTS * 5).entries()) {
    try {
      hosts = addHost(hosts, item);
    } catch (err) {
      if (!isHostListError(err)) throw err;
      problems.push(`${path}[${i}]: ${err.message} (dropped)`);
    }
  }
  if (value.length > MAX_HOSTS * 5) problems.push(`${path}: ${value.length} entries, only the first ${MAX_HOSTS * 5} were read`);
  return hosts;
}

function indexOf(hosts: readonly string[], host: string): number {
  const i = hosts.indexOf(host);
  if (i < 0) throw new HostListError(`SSH host ${JSON.stringify(host.length > 80 ? `${host.slice(0, 80)}…` : host)} is not in the list`);
  return i;
}
