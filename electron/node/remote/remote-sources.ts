// Turns decoded remote frames into the raw sources the local backends produce (same names, same bytes),
// so parseSnapshot and the analysis cannot tell a remote sample from a local one or a capture bundle.
import type { PlatformName } from '../../common/model.js';
import { DARWIN_SOURCES } from '../platform/darwin/commands.js';
import type { RawSource } from '../platform/types.js';
import type { DecodedRemoteOutput, RemoteFrame } from './remote-frames.js';
import { remoteOwnersText } from './remote-owners.js';
import { LINUX_FILE_PATHS, LINUX_FULL_FILES, LINUX_TICK_FILES, type RemoteMode } from './remote-script.js';

/** The source name that says how the transport went (ssh, framing). */
export const SSH_SOURCE = 'ssh';

const LINUX_OPTIONAL = new Set(['net.ipv4.tcp_tw_reuse_delay', 'net.netfilter.nf_conntrack_count', 'net.netfilter.nf_conntrack_max', 'proc-net-tcp6']);
const LINUX_TICK = LINUX_TICK_FILES;
const LINUX_FULL = [...LINUX_FULL_FILES, 'netns', 'uid', 'fd-links', 'comm'];
const DARWIN_TICK = [DARWIN_SOURCES.tcpStats];
const DARWIN_FULL = [DARWIN_SOURCES.sockets, DARWIN_SOURCES.sysctl, DARWIN_SOURCES.tcpStats, DARWIN_SOURCES.processes, DARWIN_SOURCES.hostname];
// Exit statuses that still mean "this is the answer": sysctl exits 1 for an unknown key but prints the rest;
// ls and head exit non-zero when a process ended between the glob and the read.
const OK_EXITS: Record<string, readonly number[]> = { [DARWIN_SOURCES.sysctl]: [0, 1], 'fd-links': [0, 1, 2], comm: [0, 1] };

/** Every frame name a remote read may send (for the decoder). */
export function expectedFrames(mode: RemoteMode): ReadonlySet<string> {
  const linux = (mode === 'tick' ? LINUX_TICK : LINUX_FULL).map((n) => frameName(n, 'linux'));
  return new Set([...linux, ...(mode === 'tick' ? DARWIN_TICK : DARWIN_FULL)]);
}

/** Linux file sources are framed by their path; every other frame by its source name. */
function frameName(source: string, platform: PlatformName): string {
  return (platform === 'linux' ? LINUX_FILE_PATHS[source] : undefined) ?? source;
}

/** The platform a remote `uname -s` names, or null when Portwatch cannot read it. */
export function remotePlatform(os: string | null): PlatformName | null {
  if (os === 'Linux') return 'linux';
  if (os === 'Darwin') return 'darwin';
  return null;
}

/** Raw sources (local names and bytes) from the decoded frames of one remote read. */
export function remoteRawSources(decoded: DecodedRemoteOutput, mode: RemoteMode, host: string, durationMs: number): { platform: PlatformName | null; sources: RawSource[] } {
  const platform = remotePlatform(decoded.os);
  const transport: RawSource = { name: SSH_SOURCE, status: 'ok', durationMs };
  if (decoded.problems.length > 0) {
    transport.status = platform === null ? 'failed' : 'degraded';
    transport.error = `output from ${host}: ${decoded.problems.join('; ')}`;
  }
  if (platform === null) {
    if (decoded.os !== null && transport.status === 'ok') {
      transport.status = 'failed';
      transport.error = `${host} runs ${JSON.stringify(decoded.os)}, which Portwatch cannot read remotely (Linux and macOS only)`;
    }
    return { platform, sources: [transport] };
  }
  const names = platform === 'linux' ? (mode === 'tick' ? LINUX_TICK : LINUX_FULL) : mode === 'tick' ? DARWIN_TICK : DARWIN_FULL;
  const sources: RawSource[] = [transport];
  const byName = decoded.frames;
  for (const name of names) {
    if (name === 'uid' || name === 'fd-links' || name === 'comm') continue; // folded into socket-owners below
    sources.push(frameSource(name, byName.get(frameName(name, platform)), platform, host, decoded.complete, durationMs));
  }
  if (platform === 'linux' && mode === 'full') sources.push(ownersSource(byName, host, durationMs));
  return { platform, sources };
}

function what(name: string, platform: PlatformName): string {
  const path = platform === 'linux' ? LINUX_FILE_PATHS[name] : undefined;
  return path ?? name;
}

function frameSource(name: string, frame: RemoteFrame | undefined, platform: PlatformName, host: string, complete: boolean, durationMs: number): RawSource {
  const label = `${what(name, platform)} on ${host}`;
  if (!frame) {
    return { name, status: 'failed', durationMs, error: `${label}: not received${complete ? '' : ' (the output was cut short)'}` };
  }
  if (frame.exit === 'missing') {
    return LINUX_OPTIONAL.has(name)
      ? { name, status: 'unsupported', durationMs, error: `${label}: not present on this system` }
      : { name, status: 'failed', durationMs, error: `${label}: no such file` };
  }
  if (frame.exit === 'unreadable') return { name, status: 'failed', durationMs, error: `${label}: permission denied` };
  if (!(OK_EXITS[name] ?? [0]).includes(frame.exit)) {
    return { name, status: 'failed', durationMs, error: `${label}: exited with status ${frame.exit}${frame.exit === 1 ? ' (permission denied?)' : ''}` };
  }
  // readlink and hostname print a newline the local backend's sources do not have.
  const data = name === 'netns' || name === 'hostname' ? Buffer.from(frame.data.toString('utf8').trim()) : frame.data;
  return { name, status: 'ok', durationMs, data };
}

function ownersSource(frames: ReadonlyMap<string, RemoteFrame>, host: string, durationMs: number): RawSource {
  const links = frames.get('fd-links');
  const comm = frames.get('comm');
  if (!links || typeof links.exit !== 'number' || !(OK_EXITS['fd-links'] ?? []).includes(links.exit)) {
    return { name: 'socket-owners', status: 'failed', durationMs, error: `ls -lq /proc/[0-9]*/fd/ on ${host}: ${links ? `exited with status ${links.exit}` : 'not received'}` };
  }
  const owners = remoteOwnersText(links.data.toString('utf8'), comm && typeof comm.exit === 'number' ? comm.data.toString('utf8') : '');
  const notes = [...owners.problems];
  const uid = frames.get('uid');
  const uidText = uid && uid.exit === 0 ? uid.data.toString('utf8').trim() : '';
  if (uidText !== '0') {
    notes.push(`read as uid ${/^\d{1,10}$/.test(uidText) ? uidText : '?'} on ${host}: sockets of other users' processes show no owner (log in as root to see them all)`);
  }
  return { name: 'socket-owners', status: notes.length > 0 ? 'degraded' : 'ok', durationMs, data: Buffer.from(owners.text), ...(notes.length > 0 ? { error: notes.join('; ') } : {}) };
}
