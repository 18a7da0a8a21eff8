// Reads every network namespace of the host: enumerates them (netns-enumerate.ts), names who lives in
// each (cgroup-identity.ts, workload-names.ts), and reads each one from a thread inside it
// (netns-read.ts), a few at a time. The socket owners are scanned once for the whole host and handed
// to each namespace as the lines of its own processes. A namespace that vanishes is counted, one that
// refuses or hangs fails alone (after its own timeout).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ContainerIdentity, NamespaceIdentity, NamespaceStatus } from '../../../common/host-sample.js';
import type { RawSnapshot } from '../types.js';
import { parseCgroupIdentity } from './cgroup-identity.js';
import { loadSockDiag, netnsAddon, type SockDiagLoadResult } from './native/load.js';
import { DEFAULT_NETNS_ROOTS, enumerateNamespaces, type NetnsEntry, type NetnsRoots, type RefusedProcess } from './netns-enumerate.js';
import { isNetnsReadError, readNamespace } from './netns-read.js';
import { DEFAULT_WORKLOAD_ROOTS, WorkloadNames, workloadRootsUnder, type WorkloadRoots } from './workload-names.js';

/** PORTWATCH_WORKLOAD_ROOT=DIR reads the kubelet's and Docker's folders under DIR instead of / (tests, or a node's root mounted elsewhere). */
export function workloadRootsFromEnv(env: NodeJS.ProcessEnv = process.env): WorkloadRoots {
  const root = env.PORTWATCH_WORKLOAD_ROOT;
  return root ? workloadRootsUnder(root) : DEFAULT_WORKLOAD_ROOTS;
}

/** How to read the host. */
export interface HostReadOptions {
  addon?: SockDiagLoadResult;
  netnsRoots?: NetnsRoots;
  workloadRoots?: WorkloadRoots;
  /** Per-namespace timeout (default 5 s). */
  timeoutMs?: number;
  /** Join sockets to processes (default true). */
  owners?: boolean;
  /** Namespaces read at once (default 4). */
  concurrency?: number;
  /** Called between enumeration and reading (tests remove namespaces here to prove a vanishing one is counted, not fatal). */
  afterEnumerate?: (inodes: number[]) => Promise<void>;
}

/** One namespace as read: who lives there and the raw sources (null when it could not be read). */
export interface NamespaceRead {
  identity: NamespaceIdentity;
  status: NamespaceStatus;
  error?: string;
  raw: RawSnapshot | null;
}

/** Every namespace of one host read. */
export interface HostRead {
  time: number;
  namespaces: NamespaceRead[];
  problems: string[];
  /** Processes whose namespace could not be seen (see NetnsList.refused). */
  refused: RefusedProcess[];
}

/** The host cannot be read namespace by namespace (no addon with readNetns). */
export class HostReadUnavailableError extends Error {
  constructor(reason: string) {
    super(`cannot read every network namespace: ${reason}`);
    this.name = 'HostReadUnavailableError';
  }
}

/** True for a HostReadUnavailableError. */
export function isHostReadUnavailable(x: unknown): x is HostReadUnavailableError {
  return x instanceof HostReadUnavailableError;
}

const MAX_LISTED_PROCESSES = 20;
// Processes whose cgroup is read per namespace: enough to find its containers, bounded for big namespaces.
const MAX_CGROUP_READS = 16;

/** Whether this build and this process can read every namespace, and why not. */
export function hostReadSupport(addon: SockDiagLoadResult = loadSockDiag()): { ok: true } | { ok: false; reason: string } {
  if (process.platform !== 'linux') return { ok: false, reason: `namespaces are Linux only (this is ${process.platform})` };
  if ('unavailable' in addon) return { ok: false, reason: addon.unavailable };
  if (!netnsAddon(addon)) return { ok: false, reason: 'the sock_diag addon was built without readNetns (rebuild it: npm install)' };
  if (process.getuid?.() !== 0) return { ok: false, reason: 'entering other network namespaces needs root (CAP_SYS_ADMIN)' };
  return { ok: true };
}

/** Reads every namespace; rejects only when namespaces cannot be read at all (HostReadUnavailableError). */
export async function readHost(opts: HostReadOptions = {}): Promise<HostRead> {
  const addonResult = opts.addon ?? loadSockDiag();
  const addon = netnsAddon(addonResult);
  if (!addon) throw new HostReadUnavailableError('unavailable' in addonResult ? addonResult.unavailable : 'the sock_diag addon has no readNetns');
  const time = Date.now();
  const roots = opts.netnsRoots ?? DEFAULT_NETNS_ROOTS;
  const [scan, ownersText, names] = await Promise.all([
    addon.scanNetns(),
    opts.owners === false || 'unavailable' in addonResult ? null : addonResult.scanSocketOwners(),
    WorkloadNames.load(opts.workloadRoots ?? workloadRootsFromEnv()),
  ]);
  const list = await enumerateNamespaces(scan, roots);
  await opts.afterEnumerate?.(list.entries.map((e) => e.inode));
  const ownersByInode = ownersText ? splitOwners(ownersText, list.entries) : null;
  const timeoutMs = opts.timeoutMs ?? 5000;
  const results: NamespaceRead[] = new Array<NamespaceRead>(list.entries.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < list.entries.length) {
      const k = next++;
      const entry = list.entries[k]!;
      const identityP = identify(entry, list.selfInode, list.hostInode, names, roots);
      try {
        const raw = await readNamespace(addon, entry.inode, entry.paths, timeoutMs, ownersByInode?.get(entry.inode) ?? (ownersByInode ? Buffer.alloc(0) : null));
        results[k] = { identity: await identityP, status: 'ok', raw };
      } catch (err) {
        const kind = isNetnsReadError(err) ? err.kind : 'failed';
        results[k] = { identity: await identityP, status: kind, error: err instanceof Error ? err.message : String(err), raw: null };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency ?? 4, 64)) }, worker));
  return { time, namespaces: results, problems: list.problems, refused: list.refused };
}

/** The owner lines ("pid\tcomm\tinodes") of each namespace's processes. */
function splitOwners(text: Buffer, entries: readonly NetnsEntry[]): Map<number, Buffer> {
  const nsOfPid = new Map<number, number>();
  for (const e of entries) for (const p of e.pids) nsOfPid.set(p.pid, e.inode);
  const parts = new Map<number, Buffer[]>();
  let at = 0;
  while (at < text.length) {
    let end = text.indexOf(10, at);
    if (end < 0) end = text.length;
    const tab = text.indexOf(9, at);
    const pid = tab > at && tab < end ? Number(text.toString('latin1', at, tab)) : NaN;
    const inode = nsOfPid.get(pid);
    if (inode !== undefined) {
      let list = parts.get(inode);
      if (!list) parts.set(inode, (list = []));
      list.push(text.subarray(at, Math.min(end + 1, text.length)));
    }
    at = end + 1;
  }
  return new Map([...parts].map(([inode, list]) => [inode, Buffer.concat(list)]));
}

async function identify(entry: NetnsEntry, selfInode: number, hostInode: number | null, names: WorkloadNames, roots: NetnsRoots): Promise<NamespaceIdentity> {
  const host = entry.inode === hostInode;
  const containers = new Map<string, Omit<ContainerIdentity, 'name'>>();
  let podUid: string | null = null;
  // The host's own processes are not in containers that own the namespace; skip the reads there.
  if (!host) {
    for (const p of entry.pids.slice(0, MAX_CGROUP_READS)) {
      let text: string;
      try {
        text = await readFile(join(roots.proc, String(p.pid), 'cgroup'), 'utf8');
      } catch {
        continue; // exited meanwhile
      }
      const id = parseCgroupIdentity(text);
      if (id.container && !containers.has(id.container.id)) containers.set(id.container.id, id.container);
      podUid ??= id.podUid;
    }
  }
  return {
    id: `net:[${entry.inode}]`,
    inode: entry.inode,
    names: entry.names,
    self: entry.inode === selfInode,
    host,
    processes: entry.pids.slice(0, MAX_LISTED_PROCESSES),
    processCount: entry.pids.length,
    containers: await Promise.all([...containers.values()].map(async (c) => ({ ...c, name: await names.container(c.id) }))),
    pod: podUid ? await names.pod(podUid) : null,
  };
}
