// Parses the TCP block of macOS `netstat -s -p tcp` into the counters Portwatch uses. The lines are
// printf formats of network_cmds' netstat (inet.c tcp_stats), e.g. "\t12345 connection requests".
// macOS does not translate netstat. Pure; never throws.
import type { KernelCounters } from '../../../common/model.js';
import type { ParseResult } from '../source-status.js';

/** The counters macOS has; the rest of KernelCounters stays null (it has no such counter). */
export type DarwinTcpCounters = Pick<KernelCounters, 'activeOpens' | 'passiveOpens' | 'listenOverflows'>;

// Top-level lines (one tab) of the TCP block, matched by their words after the number.
const LINES: readonly { key: keyof DarwinTcpCounters; re: RegExp }[] = [
  { key: 'activeOpens', re: /^\t(\d+) connection requests?$/ },
  { key: 'passiveOpens', re: /^\t(\d+) connection accepts?$/ },
  { key: 'listenOverflows', re: /^\t(\d+) listen queue overflows?$/ },
];

/** activeOpens (connection requests), passiveOpens (accepts) and listen queue overflows. */
export function parseDarwinTcpStats(text: string, source = 'netstat-s-tcp'): ParseResult<DarwinTcpCounters> {
  const out: DarwinTcpCounters = { activeOpens: null, passiveOpens: null, listenOverflows: null };
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    for (const { key, re } of LINES) {
      const m = re.exec(line);
      if (m && out[key] === null) {
        const n = Number(m[1]);
        if (Number.isSafeInteger(n)) out[key] = n;
      }
    }
  }
  const missing = LINES.filter((l) => out[l.key] === null).map((l) => l.key);
  if (missing.length === LINES.length) return { value: null, problems: [`${source}: no TCP counter found (is this netstat -s -p tcp output?)`] };
  return { value: out, problems: missing.length ? [`${source}: no line for ${missing.join(', ')}`] : [] };
}
