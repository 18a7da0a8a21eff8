// Reads one network namespace the way the single-namespace backend reads its own, but from a native
// thread that entered it (sock_diag.c readNetns): the IPv4 and IPv6 dumps (from one walk of the kernel
// tables), the sysctls (per namespace when read by a task inside it) and
// /proc/thread-self/net/{sockstat,snmp,netstat} (that thread's namespace; /proc/self/net would be the
// process's). The result carries the very source names the single-namespace
// backend uses, so parseLinuxSnapshot turns it into a Snapshot unchanged.
import { hostname } from 'node:os';
import type { RawSnapshot, RawSource } from '../types.js';
import type { NetnsAddon } from './native/load.js';
import { LINUX_SYSCTLS } from './file-sources.js';
import { ALL_TCP_STATES_MASK, SOCKET_SOURCE_NAMES } from './sockets.js';

/** Why a namespace could not be read: gone (a normal event) or refused. */
export class NetnsReadError extends Error {
  constructor(
    readonly path: string,
    readonly kind: 'vanished' | 'refused' | 'timeout' | 'failed',
    detail: string,
    /** True when an earlier read of this path is still hung (so another path may be tried at no cost). */
    readonly stillHung = false,
  ) {
    super(`network namespace ${path}: ${detail}`);
    this.name = 'NetnsReadError';
  }
}

/** True for a NetnsReadError. */
export function isNetnsReadError(x: unknown): x is NetnsReadError {
  return x instanceof NetnsReadError;
}

const NET_FILES = [
  { name: 'proc-net-sockstat', path: '/proc/thread-self/net/sockstat' },
  { name: 'proc-net-snmp', path: '/proc/thread-self/net/snmp' },
  { name: 'proc-net-netstat', path: '/proc/thread-self/net/netstat' },
] as const;

const ERRNO_NAMES: Record<number, string> = { 1: 'EPERM', 2: 'ENOENT', 11: 'EAGAIN', 13: 'EACCES', 22: 'EINVAL' };

/** The framed parts of a readNetns result: [errno, bytes] each. */
export function splitParts(buf: Buffer): { errno: number; data: Buffer }[] {
  const parts: { errno: number; data: Buffer }[] = [];
  let at = 0;
  while (at + 8 <= buf.length) {
    const errno = buf.readInt32LE(at);
    const len = buf.readUInt32LE(at + 4);
    if (at + 8 + len > buf.length) throw new RangeError(`readNetns result: part ${parts.length + 1} runs past the end (${len} bytes at ${at})`);
    parts.push({ errno, data: buf.subarray(at + 8, at + 8 + len) });
    at += 8 + len;
  }
  return parts;
}

// Reads that outlived their timeout and whose native thread has not ended yet, by namespace path, with
// when they started. Nothing can interrupt a blocked open or read, so such a read keeps its thread, and
// the same path is not read again until that thread ends: each hung path holds one thread, not one per
// sample. Reads that merely run at the same time (two samplers in one process) are each done.
const unfinished = new Map<string, number>();

/** Paths whose read is still running past its timeout (tests, and to report how many are stuck). */
export function unfinishedReads(): string[] {
  return [...unfinished.keys()];
}

/** Starts a read of one path; `hung()` marks it as outliving its timeout (kept until its thread ends). */
function startRead(addon: NetnsAddon, path: string, files: string[], timeoutMs: number): { read: Promise<Buffer>; hung(): void } {
  const since = unfinished.get(path);
  if (since !== undefined) {
    const ago = Math.round((Date.now() - since) / 1000);
    throw new NetnsReadError(path, 'timeout', `still no answer from a read started ${ago} s ago; not read again until it ends`, true);
  }
  const started = Date.now();
  let settled = false;
  const read = addon.readNetns(path, ALL_TCP_STATES_MASK, files, timeoutMs);
  const done = () => {
    settled = true;
    if (unfinished.get(path) === started) unfinished.delete(path);
  };
  void read.then(done, done);
  return {
    read,
    hung: () => {
      if (!settled) unfinished.set(path, started);
    },
  };
}

/** Reads the namespace at one of `paths` (the first that opens); rejects with a NetnsReadError. */
export async function readNamespace(addon: NetnsAddon, inode: number, paths: readonly string[], timeoutMs: number, owners: Buffer | null): Promise<RawSnapshot> {
  const files = [...LINUX_SYSCTLS.map((s) => `/proc/sys/${s.key.split('.').join('/')}`), ...NET_FILES.map((f) => f.path)];
  const time = Date.now();
  const started = performance.now();
  let lastError: NetnsReadError = new NetnsReadError(`net:[${inode}]`, 'vanished', 'no path opens it any more');
  for (const path of paths) {
    let buf: Buffer;
    let reading: ReturnType<typeof startRead> | null = null;
    try {
      reading = startRead(addon, path, files, timeoutMs);
      buf = await withTimeout(reading.read, timeoutMs, path);
    } catch (err) {
      lastError = classify(path, err);
      if (lastError.kind === 'timeout') reading?.hung();
      // another path may still open it (the process behind this one exited); a refusal will not change
      if (lastError.kind === 'vanished' || lastError.stillHung) continue;
      throw lastError;
    }
    const durationMs = performance.now() - started;
    const parts = splitParts(buf);
    const names = [SOCKET_SOURCE_NAMES.diag[4], SOCKET_SOURCE_NAMES.diag[6], ...LINUX_SYSCTLS.map((s) => s.key), ...NET_FILES.map((f) => f.name)];
    const optional = new Set(LINUX_SYSCTLS.filter((s) => s.optional).map((s) => s.key));
    const sources: RawSource[] = names.map((name, i) => {
      const part = parts[i];
      const what = i < 2 ? `sock_diag TCP dump (IPv${i === 0 ? 4 : 6}) in ${path}` : `${files[i - 2]} in ${path}`;
      if (!part) return { name, status: 'failed', error: `${what}: missing from the read`, durationMs };
      if (part.errno === 0) return { name, status: 'ok', data: part.data, durationMs };
      const code = ERRNO_NAMES[part.errno] ?? `errno ${part.errno}`;
      if (code === 'ENOENT' && optional.has(name)) return { name, status: 'unsupported', error: `${what}: not present on this system`, durationMs };
      return { name, status: code === 'EAGAIN' ? 'timeout' : 'failed', error: `${what}: ${code}`, durationMs };
    });
    sources.push({ name: 'netns', status: 'ok', data: Buffer.from(`net:[${inode}]`), durationMs: 0 });
    sources.push({ name: 'hostname', status: 'ok', data: Buffer.from(hostname()), durationMs: 0 });
    if (owners) sources.push({ name: SOCKET_SOURCE_NAMES.owners, status: 'ok', data: owners, durationMs: 0 });
    return { platform: 'linux', time, sources };
  }
  throw lastError;
}

function classify(path: string, err: unknown): NetnsReadError {
  if (err instanceof NetnsReadError) return err;
  const code = (err as NodeJS.ErrnoException | null)?.code;
  const message = err instanceof Error ? err.message : String(err);
  // ENOENT: the name or the process is gone; EINVAL from setns: the path no longer is a namespace
  if (code === 'ENOENT' || code === 'EINVAL' || code === 'ESRCH') return new NetnsReadError(path, 'vanished', message);
  // setns into another namespace needs CAP_SYS_ADMIN (its own namespace is read without it)
  if (code === 'EPERM' && message.startsWith('setns')) return new NetnsReadError(path, 'refused', `${message} (entering another network namespace needs CAP_SYS_ADMIN: run Portwatch as root with it, or --netns self)`);
  if (code === 'EPERM' || code === 'EACCES') return new NetnsReadError(path, 'refused', message);
  return new NetnsReadError(path, 'failed', message);
}

function withTimeout<T>(p: Promise<T>, ms: number, path: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new NetnsReadError(path, 'timeout', `no answer within ${ms} ms`)), ms);
  });
  p.catch(() => undefined);
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
