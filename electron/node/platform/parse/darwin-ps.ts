// Parses macOS `ps -axo pid=,comm=` into process names by pid (netstat names the process only from
// macOS 26 on). comm is the executable's path; the name is its last component. Pure; never throws.
import type { ParseResult } from '../source-status.js';

/** Process names by pid from `ps -axo pid=,comm=` output. */
export function parseDarwinPs(text: string, source = 'ps-processes'): ParseResult<Map<number, string>> {
  const names = new Map<number, string>();
  const problems: string[] = [];
  let bad = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (line.trim() === '') continue;
    const m = /^\s*(\d{1,10})\s+(.+?)\s*$/.exec(line);
    if (!m || Number(m[1]) > 0x7fffffff) {
      if (bad++ < 5) problems.push(`${source}: line ${i + 1}: expected "pid command", got ${JSON.stringify(line.slice(0, 60))}`);
      continue;
    }
    const path = m[2]!;
    const name = path.slice(path.lastIndexOf('/') + 1) || path;
    names.set(Number(m[1]), name);
  }
  if (bad > 5) problems.push(`${source}: and ${bad - 5} more unreadable lines`);
  if (names.size === 0 && problems.length === 0) problems.push(`${source}: no process listed`);
  return { value: names.size > 0 ? names : null, problems };
}
