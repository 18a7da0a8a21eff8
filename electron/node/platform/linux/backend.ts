// The Linux backend: I/O only. Reads the sysctl/procfs files and the socket table, each source with its
// own timeout, and hands the raw bytes on; parsing happens in snapshot.ts.
import type { Backend, RawSnapshot, Tick } from '../types.js';
import { readSource } from '../read-source.js';
import { parseCounterPairs, parseSockstat, pickCounters } from '../parse/procfs.js';
import { DEFAULT_LINUX_PATHS, fullFileSources, keptOpenTickSources, type LinuxPaths } from './file-sources.js';
import { readSocketSources } from './sockets.js';

export interface LinuxBackendOptions {
  paths?: LinuxPaths;
  /** Per-source timeout for small files. */
  fileTimeoutMs?: number;
  /** Timeout for the socket dump and the owner scan (they grow with the socket count). */
  socketTimeoutMs?: number;
  /** Join sockets to their owning processes (walks /proc/<pid>/fd; needs root for other users' processes). */
  owners?: boolean;
}

export function createLinuxBackend(opts: LinuxBackendOptions = {}): Backend {
  const paths = opts.paths ?? DEFAULT_LINUX_PATHS;
  const fileTimeoutMs = opts.fileTimeoutMs ?? 1000;
  const socketTimeoutMs = opts.socketTimeoutMs ?? 10_000;
  const owners = opts.owners ?? true;
  const kept = keptOpenTickSources(paths);
  const tickSources = kept.sources;
  return {
    platform: 'linux',
    async readAll(signal?: AbortSignal): Promise<RawSnapshot> {
      const time = Date.now();
      const [files, sockets] = await Promise.all([
        Promise.all(fullFileSources(paths).map((s) => readSource(s, fileTimeoutMs, signal))),
        readSocketSources({ owners, timeoutMs: socketTimeoutMs }),
      ]);
      return { platform: 'linux', time, sources: [...files, ...sockets] };
    },
    async readTick(signal?: AbortSignal): Promise<Tick> {
      const time = Date.now();
      const [sockstatSrc, snmpSrc] = await Promise.all(tickSources.map((s) => readSource(s, fileTimeoutMs, signal)));
      const sources = [sockstatSrc!, snmpSrc!].map((s) => ({
        name: s.name,
        status: s.status,
        durationMs: s.durationMs,
        ...(s.error ? { error: s.error } : {}),
      }));
      const sockstat = sockstatSrc!.data ? parseSockstat(sockstatSrc!.data.toString('utf8')).value : null;
      const snmp = snmpSrc!.data ? parseCounterPairs(snmpSrc!.data.toString('utf8'), 'proc-net-snmp').value : null;
      return { time, counters: pickCounters(snmp, null, sockstat), sources };
    },
    close: () => kept.close(),
  };
}
