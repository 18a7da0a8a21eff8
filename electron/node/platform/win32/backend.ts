// The Windows backend: I/O only. Runs PowerShell (connections, processes, Tcpip events), netsh (dynamic
// range, excluded ranges) and reg (TcpTimedWaitDelay), each with its own timeout, and hands the bytes on;
// parsing happens in snapshot.ts. When PowerShell cannot list connections, netstat -anoq and -ano are
// read instead (parsed by shape, in any language).
import { hostname } from 'node:os';
import { commandSource, execFileRunner, type CommandRunner } from '../command-source.js';
import { readSource, type SourceSpec } from '../read-source.js';
import type { Backend, RawSnapshot, Tick } from '../types.js';
import { systemRootOf } from '../../../common/win32-paths.js';
import { win32Commands, WIN32_SOURCES } from './commands.js';
import { WIN32_NO_COUNTER, WIN32_NO_COUNTER_REASON } from './snapshot.js';

export interface Win32BackendOptions {
  /** Runs the commands (tests inject one; the default is execFile without a shell). */
  runner?: CommandRunner;
  /** %SystemRoot% (default: from the environment, else C:\Windows). */
  systemRoot?: string;
  /** Per-command timeout for netsh and reg. */
  timeoutMs?: number;
  /** Timeout for PowerShell and netstat (PowerShell takes a while to start; the table grows with the sockets). */
  socketTimeoutMs?: number;
  /** Also read process names (Get-Process). */
  owners?: boolean;
}

export function createWin32Backend(opts: Win32BackendOptions = {}): Backend {
  const runner = opts.runner ?? execFileRunner;
  const cmd = win32Commands(opts.systemRoot ?? systemRootOf(process.env));
  const timeoutMs = opts.timeoutMs ?? 3000;
  const slowMs = opts.socketTimeoutMs ?? 15_000;
  const owners = opts.owners ?? true;
  const src = (c: Parameters<typeof commandSource>[0]): SourceSpec => commandSource(c, runner);
  return {
    platform: 'win32',
    async readAll(signal?: AbortSignal): Promise<RawSnapshot> {
      const time = Date.now();
      const slow = [src(cmd.sockets), src(cmd.events), ...(owners ? [src(cmd.processes)] : [])];
      const fast = [
        src(cmd.dynamicPortV4),
        src(cmd.dynamicPortV6),
        src(cmd.excludedPorts),
        src(cmd.timedWaitDelay),
        { name: WIN32_SOURCES.hostname, what: 'hostname', read: async () => Buffer.from(hostname()) },
      ];
      const sources = await Promise.all([...slow.map((s) => readSource(s, slowMs, signal)), ...fast.map((s) => readSource(s, timeoutMs, signal))]);
      if (sources[0]!.status !== 'ok' && !signal?.aborted) {
        sources.push(...(await Promise.all([readSource(src(cmd.netstatAnoq), slowMs, signal), readSource(src(cmd.netstatAno), slowMs, signal)])));
      }
      return { platform: 'win32', time, sources };
    },
    async readTick(): Promise<Tick> {
      return {
        time: Date.now(),
        counters: { ...WIN32_NO_COUNTER },
        sources: [{ name: 'tcp-counters', status: 'unsupported', error: WIN32_NO_COUNTER_REASON, durationMs: 0 }],
      };
    },
  };
}
