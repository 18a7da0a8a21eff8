// The Linux socket table: reading it (I/O, through the sock_diag addon, or /proc/net/tcp[6] when the
// addon is unavailable) and parsing what was read. Parsing picks the parser from the source names, so a
// capture bundle read back from disk parses the same way on any machine.
import { open } from 'node:fs/promises';
import { SocketTableBuilder } from '../socket-table.js';
import { readSource, type SourceSpec } from '../read-source.js';
import type { RawSource, SocketTable } from '../types.js';
import { AddressInterner } from '../parse/inet-address.js';
import { appendInetDiag, inetDiagCapacity } from '../parse/inet-diag.js';
import { appendProcNetTcp } from '../parse/proc-net-tcp.js';
import { attachOwners, parseSocketOwners } from '../parse/socket-owners.js';
import { loadSockDiag, type SockDiagLoadResult } from './native/load.js';

/** Every TCP state, 1 (ESTABLISHED) to 13 (TCP_BOUND_INACTIVE: bound-only sockets, Linux 6.5+). */
export const ALL_TCP_STATES_MASK = 0x3ffe;

/** Raw source names, one per family and method; they are also the file names in a capture bundle. */
export const SOCKET_SOURCE_NAMES = {
  diag: { 4: 'tcp-diag-inet', 6: 'tcp-diag-inet6' },
  proc: { 4: 'proc-net-tcp', 6: 'proc-net-tcp6' },
  owners: 'socket-owners',
} as const;

const FAMILIES = [4, 6] as const;
const PROC_PATHS = { 4: '/proc/net/tcp', 6: '/proc/net/tcp6' } as const;
const PROC_READ_CHUNK = 1 << 20;
// The kernel pads every /proc/net/tcp[6] line to at least 149 characters plus the newline.
const PROC_LINE_BYTES = 150;

/** How to read the socket table. */
export interface SocketReadOptions {
  /** Also scan /proc/<pid>/fd for the processes owning the sockets. */
  owners: boolean;
  /** Per-source timeout. */
  timeoutMs: number;
  /** The addon to use (tests inject an unavailable one to exercise the fallback); default: loadSockDiag(). */
  addon?: SockDiagLoadResult;
}

/** Reads the raw socket sources; never throws (each source carries its own status). */
export async function readSocketSources(opts: SocketReadOptions): Promise<RawSource[]> {
  const addon = opts.addon ?? loadSockDiag();
  const specs: SourceSpec[] = [];
  const unsupported: RawSource[] = [];
  if ('unavailable' in addon) {
    for (const family of FAMILIES) {
      unsupported.push({
        name: SOCKET_SOURCE_NAMES.diag[family],
        status: 'unsupported',
        error: `sock_diag addon unavailable (${addon.unavailable}); read ${PROC_PATHS[family]} instead`,
        durationMs: 0,
      });
      specs.push({
        name: SOCKET_SOURCE_NAMES.proc[family],
        what: PROC_PATHS[family],
        read: () => readWholeFile(PROC_PATHS[family]),
        // a kernel without IPv6 has no /proc/net/tcp6
        optional: family === 6,
      });
    }
    if (opts.owners) {
      unsupported.push({
        name: SOCKET_SOURCE_NAMES.owners,
        status: 'unsupported',
        error: `sock_diag addon unavailable (${addon.unavailable}): socket owners are not read`,
        durationMs: 0,
      });
    }
  } else {
    for (const family of FAMILIES) {
      specs.push({
        name: SOCKET_SOURCE_NAMES.diag[family],
        what: `sock_diag TCP dump (IPv${family})`,
        read: () => addon.dumpTcp(family, ALL_TCP_STATES_MASK),
      });
    }
    if (opts.owners) {
      specs.push({ name: SOCKET_SOURCE_NAMES.owners, what: '/proc/<pid>/fd scan', read: () => addon.scanSocketOwners() });
    }
  }
  const read = await Promise.all(specs.map((s) => readSource(s, opts.timeoutMs)));
  return [...unsupported, ...read];
}

/** The whole of a procfs file (seq_file: size 0 in stat, read until EOF, in large reads to keep syscalls few). */
async function readWholeFile(path: string): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(PROC_READ_CHUNK);
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      chunks.push(bytesRead === buf.length ? buf : buf.subarray(0, bytesRead));
      total += bytesRead;
    }
    return Buffer.concat(chunks, total);
  } finally {
    await fh.close();
  }
}

/** What parsing the socket sources gave. */
export interface ParsedSocketSources {
  /** IPv4 and IPv6 in one table; null when no socket source was read. */
  table: SocketTable | null;
  /** Names of the processes owning sockets in the table. */
  processNames: Map<number, string>;
  /** Parse problems, each starting with its source name. */
  problems: string[];
}

/**
 * Parses whatever socket sources are present: per family the netlink dump when it was read, else
 * /proc/net/tcp[6]; then joins the owners by inode. Sources that failed to read carry their own status.
 */
export function parseSocketSources(sources: readonly RawSource[]): ParsedSocketSources {
  const byName = new Map(sources.map((s) => [s.name, s]));
  // per family: the netlink dump when it was read, else /proc/net/tcp[6]
  const chosen = FAMILIES.map((family) => {
    const diag = byName.get(SOCKET_SOURCE_NAMES.diag[family]);
    const proc = byName.get(SOCKET_SOURCE_NAMES.proc[family]);
    if (diag?.data) return { kind: 'diag' as const, name: diag.name, data: diag.data };
    if (proc?.data) return { kind: 'proc' as const, name: proc.name, data: proc.data };
    return null;
  }).filter((c) => c !== null);
  // reserve every row up front (upper bounds), so 150,000 sockets never regrow the table
  const capacity = chosen.reduce((n, c) => n + (c.kind === 'diag' ? inetDiagCapacity([c.data]) : Math.ceil(c.data.length / PROC_LINE_BYTES)), 0);
  const addresses = new AddressInterner(new SocketTableBuilder(capacity));
  const problems: string[] = [];
  for (const c of chosen) {
    if (c.kind === 'diag') appendInetDiag(addresses, c.data, c.name, problems);
    else appendProcNetTcp(addresses, c.data, c.name, problems);
  }
  const anyRead = chosen.length > 0;
  const processNames = new Map<number, string>();
  if (!anyRead) return { table: null, processNames, problems };
  const table = addresses.builder.build();
  const ownersSource = byName.get(SOCKET_SOURCE_NAMES.owners);
  if (ownersSource?.data) {
    const { owners, problems: ownerProblems } = parseSocketOwners(ownersSource.data, ownersSource.name);
    problems.push(...ownerProblems);
    attachOwners(table, owners);
    for (let i = 0; i < table.count; i++) {
      const pid = table.pid[i]!;
      if (pid > 0 && !processNames.has(pid)) processNames.set(pid, owners.names.get(pid) ?? '');
    }
  }
  return { table, processNames, problems };
}
