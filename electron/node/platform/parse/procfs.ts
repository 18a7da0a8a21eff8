// Pure parsers for the small Linux procfs/sysctl files. Each returns its value (or null) and the
// problems it met, naming the file and what was wrong; none of them throws, whatever the input.
import type { KernelCounters, PortRange } from '../../../common/model.js';
import { mergeRanges } from '../../../common/port-ranges.js';

/** A parse result: the value (null when nothing usable was read) and what could not be read. */
export interface Parsed<T> {
  value: T | null;
  problems: string[];
}

const PORT_MAX = 65535;

function show(text: string): string {
  const t = text.trim();
  return JSON.stringify(t.length > 40 ? `${t.slice(0, 40)}…` : t);
}

/** A whole non-negative integer (sysctl files such as tcp_tw_reuse), optionally bounded. */
export function parseSysctlInt(text: string, file: string, min = 0, max = Number.MAX_SAFE_INTEGER): Parsed<number> {
  const t = text.trim();
  if (!/^-?\d+$/.test(t)) return { value: null, problems: [`${file}: expected a whole number, got ${show(text)}`] };
  const n = Number(t);
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    return { value: null, problems: [`${file}: ${n} is outside ${min}..${max}`] };
  }
  return { value: n, problems: [] };
}

/** ip_local_port_range: two port numbers separated by white space (a tab in practice). */
export function parsePortRange(text: string, file = 'ip_local_port_range'): Parsed<PortRange> {
  const parts = text.trim().split(/\s+/);
  if (parts.length !== 2 || !parts.every((p) => /^\d+$/.test(p))) {
    return { value: null, problems: [`${file}: expected two port numbers, got ${show(text)}`] };
  }
  const low = Number(parts[0]);
  const high = Number(parts[1]);
  if (low < 1 || high > PORT_MAX || low > high) {
    return { value: null, problems: [`${file}: ${low}-${high} is not a valid port range`] };
  }
  return { value: { low, high }, problems: [] };
}

/**
 * ip_local_reserved_ports: a comma-separated list of ports and ranges ("8080,9000-9010"), empty when none.
 * Bad items are reported and skipped; the good ones are kept (sorted, overlaps merged).
 */
export function parsePortList(text: string, file = 'ip_local_reserved_ports'): Parsed<PortRange[]> {
  const problems: string[] = [];
  const ranges: PortRange[] = [];
  const t = text.trim();
  if (t === '') return { value: [], problems };
  for (const item of t.split(',')) {
    const m = /^\s*(\d+)(?:\s*-\s*(\d+))?\s*$/.exec(item);
    if (!m) {
      problems.push(`${file}: cannot read item ${show(item)}`);
      continue;
    }
    const low = Number(m[1]);
    const high = m[2] === undefined ? low : Number(m[2]);
    if (low < 0 || high > PORT_MAX || low > high) {
      problems.push(`${file}: ${show(item)} is not a valid port or range`);
      continue;
    }
    ranges.push({ low, high });
  }
  return { value: mergeRanges(ranges), problems };
}


/** Formats ranges the way the kernel writes ip_local_reserved_ports ("8080,9000-9010"). */
export function formatPortList(ranges: readonly PortRange[]): string {
  return ranges.map((r) => (r.low === r.high ? `${r.low}` : `${r.low}-${r.high}`)).join(',');
}

/** The TCP line of /proc/net/sockstat. */
export function parseSockstat(text: string, file = '/proc/net/sockstat'): Parsed<NonNullable<KernelCounters['sockstat']>> {
  const line = text.split('\n').find((l) => l.startsWith('TCP:'));
  if (!line) return { value: null, problems: [`${file}: no "TCP:" line`] };
  const fields = new Map<string, number>();
  const words = line.slice(4).trim().split(/\s+/);
  for (let i = 0; i + 1 < words.length; i += 2) {
    const n = Number(words[i + 1]);
    if (Number.isSafeInteger(n) && n >= 0) fields.set(words[i]!, n);
  }
  const get = (k: string): number | undefined => fields.get(k);
  const inuse = get('inuse');
  const orphan = get('orphan');
  const tw = get('tw');
  const alloc = get('alloc');
  if (inuse === undefined || orphan === undefined || tw === undefined || alloc === undefined) {
    return { value: null, problems: [`${file}: TCP line lacks inuse/orphan/tw/alloc: ${show(line)}`] };
  }
  return { value: { inuse, orphan, tw, alloc }, problems: [] };
}

/**
 * /proc/net/snmp and /proc/net/netstat: pairs of lines, a header ("Tcp: RtoAlgorithm ActiveOpens …")
 * followed by values ("Tcp: 1 1234 …"). Returns section → counter → value.
 */
export function parseCounterPairs(text: string, file: string): Parsed<Map<string, Map<string, number>>> {
  const problems: string[] = [];
  const out = new Map<string, Map<string, number>>();
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const head = lines[i]!;
    const vals = lines[i + 1]!;
    const hc = head.indexOf(':');
    const vc = vals.indexOf(':');
    const section = head.slice(0, hc);
    if (hc <= 0 || vc <= 0 || vals.slice(0, vc) !== section) {
      problems.push(`${file}: line ${i + 1} and ${i + 2} are not a header/value pair`);
      i -= 1; // resynchronise on the next line
      continue;
    }
    const names = head.slice(hc + 1).trim().split(/\s+/);
    const values = vals.slice(vc + 1).trim().split(/\s+/);
    if (names.length !== values.length) {
      problems.push(`${file}: section ${section} has ${names.length} names but ${values.length} values`);
    }
    const m = out.get(section) ?? new Map<string, number>();
    for (let k = 0; k < Math.min(names.length, values.length); k++) {
      const v = Number(values[k]);
      if (Number.isFinite(v)) m.set(names[k]!, v);
    }
    out.set(section, m);
  }
  if (out.size === 0 && problems.length === 0) problems.push(`${file}: no counters found`);
  return { value: out.size > 0 ? out : null, problems };
}

/** The counters Portwatch uses, from parsed snmp + netstat sections (null where absent). */
export function pickCounters(
  snmp: Map<string, Map<string, number>> | null,
  netstat: Map<string, Map<string, number>> | null,
  sockstat: KernelCounters['sockstat'],
): KernelCounters {
  const tcp = snmp?.get('Tcp');
  const ext = netstat?.get('TcpExt');
  const get = (m: Map<string, number> | undefined, k: string): number | null => m?.get(k) ?? null;
  return {
    activeOpens: get(tcp, 'ActiveOpens'),
    passiveOpens: get(tcp, 'PassiveOpens'),
    currEstab: get(tcp, 'CurrEstab'),
    timeWaitOverflow: get(ext, 'TCPTimeWaitOverflow'),
    twRecycled: get(ext, 'TWRecycled'),
    listenOverflows: get(ext, 'ListenOverflows'),
    listenDrops: get(ext, 'ListenDrops'),
    sockstat,
    portAllocationFailures: null,
  };
}

/** The identity of a network namespace from readlink(/proc/self/ns/net), e.g. "net:[4026531840]". */
export function parseNetnsLink(text: string): Parsed<string> {
  const t = text.trim();
  return /^net:\[\d+\]$/.test(t) ? { value: t, problems: [] } : { value: null, problems: [`netns: unexpected link ${show(text)}`] };
}
