// Parses `netsh int ipv4|ipv6 show dynamicport tcp` and `netsh int ipv4 show excludedportrange
// protocol=tcp`. netsh translates its labels into the system language (and prints them in the console
// code page), so both parsers read numbers by shape and ignore the words. Pure; never throws.
import type { PortRange } from '../model.js';
import { mergeRanges } from '../port-ranges.js';
import { bytesAsLatin1, type ParseResult } from '../parse-result.js';

/** The dynamic port range as netsh states it: a start and a number of ports. */
export interface DynamicPortRange {
  start: number;
  count: number;
  range: PortRange;
}

/** Decodes netsh's bytes without assuming a code page: every byte stays one character (digits are ASCII everywhere). */
export function netshText(data: Uint8Array | string): string {
  return bytesAsLatin1(data);
}

/**
 * "Start Port      : 49152" / "Number of Ports : 16384" in any language: the first two lines that end
 * in a colon and a number are the start and the count, in that order (netsh prints them so everywhere).
 */
export function parseDynamicPort(data: Uint8Array | string, source: string): ParseResult<DynamicPortRange> {
  const numbers: number[] = [];
  for (const line of netshText(data).split('\n')) {
    const m = /[:\uff1a]\s*(\d{1,6})\s*$/.exec(line.replace(/\r$/, ''));
    if (m) numbers.push(Number(m[1]));
  }
  if (numbers.length < 2) return { value: null, problems: [`${source}: expected two "label : number" lines (start, number of ports), found ${numbers.length}`] };
  const [start, count] = numbers as [number, number];
  if (start < 1 || count < 1 || start + count - 1 > 65535) {
    return { value: null, problems: [`${source}: start ${start} with ${count} ports is not a range of ports`] };
  }
  const problems = numbers.length > 2 ? [`${source}: ${numbers.length} numbers found; the first two were read as start and count`] : [];
  return { value: { start, count, range: { low: start, high: start + count - 1 } }, problems };
}

/** One excluded range; `administered` marks those an administrator added ("*"), the others come from Hyper-V, WSL, WinNAT… */
export interface ExcludedRange extends PortRange {
  administered: boolean;
}

/** The excluded port ranges: lines of two numbers (start, end), "*" after the administered ones. */
export function parseExcludedPortRanges(data: Uint8Array | string, source: string): ParseResult<ExcludedRange[]> {
  const out: ExcludedRange[] = [];
  const problems: string[] = [];
  let sawTable = false;
  for (const raw of netshText(data).split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (/^\s*-{3,}\s+-{3,}\s*$/.test(line)) sawTable = true; // "----------    --------" under the header
    const m = /^\s*(\d{1,6})\s+(\d{1,6})\s*(\*)?\s*$/.exec(line);
    if (!m) continue;
    const low = Number(m[1]);
    const high = Number(m[2]);
    if (low > high || high > 65535) {
      problems.push(`${source}: ${low} ${high} is not a port range`);
      continue;
    }
    out.push({ low, high, administered: m[3] === '*' });
  }
  if (!sawTable && out.length === 0) return { value: null, problems: [...problems, `${source}: no table of port ranges found`] };
  return { value: out.sort((a, b) => a.low - b.low || a.high - b.high), problems };
}

/** The excluded ranges as KernelSettings.reservedPorts (merged, without the administered flag). */
export function excludedAsReserved(ranges: readonly ExcludedRange[]): PortRange[] {
  return mergeRanges(ranges.map((r) => ({ low: r.low, high: r.high })));
}
