// The macOS backend: I/O only. Runs netstat, sysctl and ps (each with its own timeout) and hands the
// bytes on; parsing happens in snapshot.ts, so a capture bundle made on a Mac parses anywhere.
import { hostname } from 'node:os';
import type { SourceStatus } from '../../../common/model.js';
import { commandSource, describeCommand, execFileRunner, type CommandRunner } from '../command-source.js';
import { parseDarwinTcpStats } from '../parse/darwin-netstat-stats.js';
import { readSource, type SourceSpec } from '../read-source.js';
import type { Backend, RawSnapshot, RawSource, Tick } from '../types.js';
import { DARWIN_SOURCES, NETSTAT_SOCKETS, NETSTAT_SOCKETS_WITHOUT_L, NETSTAT_TCP_STATS, PS_PROCESSES, SYSCTL_NET_INET } from './commands.js';
import { DARWIN_NO_COUNTER } from './snapshot.js';

export interface DarwinBackendOptions {
  /** Runs the commands (tests inject one; the default is execFile without a shell). */
  runner?: CommandRunner;
  /** Per-command timeout for the small commands. */
  timeoutMs?: number;
  /** Timeout for the socket table (it grows with the socket count). */
  socketTimeoutMs?: number;
  /** Also read process names (ps). */
  owners?: boolean;
}

/** The socket table source: netstat -anvl, and -anv when this netstat refuses -l. */
function socketsSource(runner: CommandRunner): SourceSpec {
  const withL = commandSource(NETSTAT_SOCKETS, runner);
  const withoutL = commandSource(NETSTAT_SOCKETS_WITHOUT_L, runner);
  return {
    name: NETSTAT_SOCKETS.name,
    what: describeCommand(NETSTAT_SOCKETS),
    read: async (signal) => {
      try {
        return await withL.read(signal);
      } catch (err) {
        if (signal.aborted || !(err instanceof Error) || !err.message.startsWith('exited with status')) throw err;
        return withoutL.read(signal);
      }
    },
  };
}

function status(s: RawSource): SourceStatus {
  return { name: s.name, status: s.status, durationMs: s.durationMs, ...(s.error ? { error: s.error } : {}) };
}

export function createDarwinBackend(opts: DarwinBackendOptions = {}): Backend {
  const runner = opts.runner ?? execFileRunner;
  const timeoutMs = opts.timeoutMs ?? 2000;
  const socketTimeoutMs = opts.socketTimeoutMs ?? 10_000;
  const owners = opts.owners ?? true;
  return {
    platform: 'darwin',
    async readAll(signal?: AbortSignal): Promise<RawSnapshot> {
      const time = Date.now();
      const small: SourceSpec[] = [
        commandSource(SYSCTL_NET_INET, runner),
        commandSource(NETSTAT_TCP_STATS, runner),
        { name: DARWIN_SOURCES.hostname, what: 'hostname', read: async () => Buffer.from(hostname()) },
      ];
      if (owners) small.push(commandSource(PS_PROCESSES, runner));
      const sources = await Promise.all([
        readSource(socketsSource(runner), socketTimeoutMs, signal),
        ...small.map((s) => readSource(s, timeoutMs, signal)),
      ]);
      return { platform: 'darwin', time, sources };
    },
    async readTick(signal?: AbortSignal): Promise<Tick> {
      const time = Date.now();
      const src = await readSource(commandSource(NETSTAT_TCP_STATS, runner), timeoutMs, signal);
      const parsed = src.data ? parseDarwinTcpStats(src.data.toString('utf8'), src.name) : null;
      const st = status(src);
      if (parsed && parsed.problems.length > 0) {
        st.status = parsed.value ? 'degraded' : 'failed';
        st.error = parsed.problems.join('; ');
      }
      return { time, counters: { ...DARWIN_NO_COUNTER, ...(parsed?.value ?? {}) }, sources: [st] };
    },
  };
}
