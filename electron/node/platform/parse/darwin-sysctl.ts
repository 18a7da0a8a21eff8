// Parses macOS `sysctl name…` output ("net.inet.ip.portrange.first: 49152", one key a line) and turns
// the port range and TCP MSL keys into KernelSettings values. Pure; never throws.
import type { PortRange } from '../../../common/model.js';
import type { ParseResult } from '../source-status.js';

/** sysctl keys Portwatch reads on macOS. */
export const DARWIN_SYSCTL = {
  first: 'net.inet.ip.portrange.first',
  last: 'net.inet.ip.portrange.last',
  hifirst: 'net.inet.ip.portrange.hifirst',
  hilast: 'net.inet.ip.portrange.hilast',
  msl: 'net.inet.tcp.msl',
} as const;

/** macOS's default MSL (ms); TIME-WAIT lasts twice this. */
export const DARWIN_DEFAULT_MSL_MS = 15_000;

/** Integer values by key, from `sysctl` output; lines that are not "key: integer" are reported. */
export function parseSysctlValues(text: string, source: string): ParseResult<Map<string, number>> {
  const values = new Map<string, number>();
  const problems: string[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const m = /^([A-Za-z0-9_.-]+)\s*[:=]\s*(-?\d+)$/.exec(line);
    if (!m) {
      problems.push(`${source}: line ${i + 1}: expected "key: number", got ${JSON.stringify(line.slice(0, 60))}`);
      continue;
    }
    const n = Number(m[2]);
    if (!Number.isSafeInteger(n)) {
      problems.push(`${source}: line ${i + 1}: ${m[2]} is not a usable integer`);
      continue;
    }
    values.set(m[1]!, n);
  }
  if (values.size === 0 && problems.length === 0) problems.push(`${source}: empty output`);
  return { value: values.size > 0 ? values : null, problems };
}

/** The ephemeral range plain connect() uses (portrange.first/last), as the kernel applies it. */
export function darwinPortRange(values: ReadonlyMap<string, number>, source: string): ParseResult<PortRange> {
  const first = values.get(DARWIN_SYSCTL.first);
  const last = values.get(DARWIN_SYSCTL.last);
  if (first === undefined || last === undefined) {
    return { value: null, problems: [`${source}: ${first === undefined ? DARWIN_SYSCTL.first : DARWIN_SYSCTL.last} missing`] };
  }
  const problems: string[] = [];
  const inPorts = (p: number): boolean => p >= 1 && p <= 65535;
  if (!inPorts(first) || !inPorts(last)) return { value: null, problems: [`${source}: ${first}–${last} is not a pair of ports`] };
  if (first > last) {
    // The kernel does not check first ≤ last; in_pcbbind then counts down from first to last.
    problems.push(`${source}: portrange.first ${first} is above portrange.last ${last}: the kernel then allocates from ${last} to ${first}`);
  }
  return { value: { low: Math.min(first, last), high: Math.max(first, last) }, problems };
}

/** TIME-WAIT length on macOS: 2 × net.inet.tcp.msl, and where that figure comes from. */
export function darwinTimeWait(values: ReadonlyMap<string, number> | null): { timeWaitSec: number; timeWaitSource: string; problem: string | null } {
  const msl = values?.get(DARWIN_SYSCTL.msl);
  if (msl === undefined || msl <= 0) {
    return {
      timeWaitSec: (2 * DARWIN_DEFAULT_MSL_MS) / 1000,
      timeWaitSource: `net.inet.tcp.msl unreadable: the macOS default 2 × ${DARWIN_DEFAULT_MSL_MS} ms assumed`,
      problem: msl === undefined ? null : `net.inet.tcp.msl is ${msl}, not a duration`,
    };
  }
  return { timeWaitSec: (2 * msl) / 1000, timeWaitSource: `2 × net.inet.tcp.msl (${msl} ms)`, problem: null };
}
