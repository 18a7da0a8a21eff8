// The small Linux files Portwatch reads, each a named raw source. The names are also the file names in
// a capture bundle, so keep them stable.
import { open, readFile, readlink, type FileHandle } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { SourceSpec } from '../read-source.js';

/** Where procfs is mounted; tests point this at a prepared directory. */
export interface LinuxPaths {
  proc: string;
}

export const DEFAULT_LINUX_PATHS: LinuxPaths = { proc: '/proc' };

/** The sysctls every Linux sample reads (optional ones are absent on some kernels). */
export const LINUX_SYSCTLS: readonly { key: string; optional?: boolean }[] = [
  { key: 'net.ipv4.ip_local_port_range' },
  { key: 'net.ipv4.ip_local_reserved_ports' },
  { key: 'net.ipv4.ip_unprivileged_port_start' },
  { key: 'net.ipv4.tcp_tw_reuse' },
  { key: 'net.ipv4.tcp_tw_reuse_delay', optional: true },
  { key: 'net.ipv4.tcp_timestamps' },
  { key: 'net.ipv4.tcp_fin_timeout' },
  { key: 'net.ipv4.tcp_max_tw_buckets' },
  { key: 'net.netfilter.nf_conntrack_count', optional: true },
  { key: 'net.netfilter.nf_conntrack_max', optional: true },
];

/** The path of a sysctl key under procfs ("net.ipv4.tcp_tw_reuse" → /proc/sys/net/ipv4/tcp_tw_reuse). */
export function sysctlPath(paths: LinuxPaths, key: string): string {
  return join(paths.proc, 'sys', ...key.split('.'));
}

function fileSpec(name: string, path: string, optional = false): SourceSpec {
  return { name, what: path, optional, read: (signal) => readFile(path, { signal }) };
}

/** Sources read on every full sample (besides the sockets). */
export function fullFileSources(paths: LinuxPaths = DEFAULT_LINUX_PATHS): SourceSpec[] {
  return [
    ...LINUX_SYSCTLS.map((s) => fileSpec(s.key, sysctlPath(paths, s.key), s.optional ?? false)),
    ...tickFileSources(paths),
    fileSpec('proc-net-netstat', join(paths.proc, 'net', 'netstat')),
    {
      name: 'netns',
      what: join(paths.proc, 'self', 'ns', 'net'),
      read: async () => Buffer.from(await readlink(join(paths.proc, 'self', 'ns', 'net'))),
    },
    { name: 'hostname', what: 'hostname', read: async () => Buffer.from(hostname()) },
  ];
}

/** The O(1) sources of the cheap 1 Hz tick. */
export function tickFileSources(paths: LinuxPaths = DEFAULT_LINUX_PATHS): SourceSpec[] {
  return [
    fileSpec('proc-net-sockstat', join(paths.proc, 'net', 'sockstat')),
    fileSpec('proc-net-snmp', join(paths.proc, 'net', 'snmp')),
  ];
}

/**
 * The tick's sources read through file handles kept open: procfs regenerates a file on every read from
 * offset 0, so one positional read replaces open + stat + read + close (four thread-pool round trips
 * become one, which keeps the 1 Hz tick well under a millisecond).
 */
export function keptOpenTickSources(paths: LinuxPaths = DEFAULT_LINUX_PATHS): { sources: SourceSpec[]; close(): Promise<void> } {
  const readers = tickFileSources(paths).map((spec) => ({ spec, reader: keptOpenReader(spec.what) }));
  return {
    sources: readers.map(({ spec, reader }) => ({ ...spec, read: reader.read })),
    // Closed explicitly: a handle left to the garbage collector prints "Closing file descriptor N on
    // garbage collection" (and a future Node throws).
    close: async () => {
      await Promise.all(readers.map(({ reader }) => reader.close()));
    },
  };
}

const TICK_BUFFER = 64 * 1024;

function keptOpenReader(path: string): { read: SourceSpec['read']; close(): Promise<void> } {
  let handle: Promise<FileHandle> | null = null;
  const buf = Buffer.alloc(TICK_BUFFER);
  return {
    read: async () => {
      handle ??= open(path, 'r');
      try {
        const fh = await handle;
        const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
        return Buffer.from(buf.subarray(0, bytesRead));
      } catch (err) {
        // Forget a failed handle (file gone, namespace changed): the next tick opens it afresh.
        const failed = handle;
        handle = null;
        failed?.then((fh) => fh.close()).catch(() => undefined);
        throw err;
      }
    },
    close: async () => {
      const open = handle;
      handle = null;
      await open?.then((fh) => fh.close()).catch(() => undefined);
    },
  };
}
