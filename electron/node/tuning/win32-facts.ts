// What the Windows planner needs beyond KernelSettings: the IPv4 and IPv6 dynamic ranges as netsh states
// them (start and number of ports), the excluded ranges with their administered flag, and
// TcpTimedWaitDelay as the registry holds it. Read from the raw sources of a read (live or a capture
// bundle) with the sampling backend's parsers, which read netsh by shape in any language.
import type { RawSnapshot } from '../platform/types.js';
import { WIN32_SOURCES } from '../platform/win32/commands.js';
import { parseDynamicPort, parseExcludedPortRanges, type DynamicPortRange, type ExcludedRange } from '../../common/parse/win32-netsh.js';
import { parseTcpTimedWaitDelay } from '../../common/parse/win32-registry.js';

/** Windows facts for the planner (null where not read). */
export interface Win32TuningFacts {
  ipv4: DynamicPortRange | null;
  ipv6: DynamicPortRange | null;
  /** Excluded port ranges (IPv4 TCP), null when not read. */
  excluded: ExcludedRange[] | null;
  /** TcpTimedWaitDelay seconds, 'not set', or null when unreadable. */
  timedWaitDelay: number | 'not set' | null;
}

/** The facts in one Windows read. */
export function win32FactsFromRaw(raw: RawSnapshot): Win32TuningFacts {
  const data = (name: string): Buffer | null => raw.sources.find((s) => s.name === name && s.status !== 'failed' && s.data)?.data ?? null;
  const d4 = data(WIN32_SOURCES.dynamicPortV4);
  const d6 = data(WIN32_SOURCES.dynamicPortV6);
  const ex = data(WIN32_SOURCES.excludedPorts);
  const tw = raw.sources.find((s) => s.name === WIN32_SOURCES.timedWaitDelay);
  return {
    ipv4: d4 ? parseDynamicPort(d4, WIN32_SOURCES.dynamicPortV4).value : null,
    ipv6: d6 ? parseDynamicPort(d6, WIN32_SOURCES.dynamicPortV6).value : null,
    excluded: ex ? parseExcludedPortRanges(ex, WIN32_SOURCES.excludedPorts).value : null,
    // The backend stores "reg exited 1: not set" as empty bytes; a failed read is unknown.
    timedWaitDelay: tw && (tw.status === 'ok' || tw.status === 'degraded') ? parseTcpTimedWaitDelay(tw.data ?? Buffer.alloc(0)).value : null,
  };
}
