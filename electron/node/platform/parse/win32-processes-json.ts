// Parses `Get-Process | Select-Object Id,ProcessName | ConvertTo-Json` into names by pid. Pure; never throws.
import type { ParseResult } from '../source-status.js';
import { jsonElements, wholeNumber } from './win32-json.js';

/** Process names by pid. */
export function parseWin32ProcessesJson(data: Uint8Array | string, source = 'win32-processes-json'): ParseResult<Map<number, string>> {
  const doc = jsonElements(data, source);
  if ('problem' in doc) return { value: null, problems: [doc.problem] };
  const names = new Map<number, string>();
  let bad = 0;
  for (const e of doc.elements) {
    const o = typeof e === 'object' && e !== null ? (e as Record<string, unknown>) : {};
    const pid = wholeNumber(o.Id, 0, 0x7fffffff);
    if (pid === undefined || typeof o.ProcessName !== 'string') bad++;
    else names.set(pid, o.ProcessName);
  }
  const problems = bad > 0 ? [`${source}: ${bad} element(s) without a numeric Id and a ProcessName`] : [];
  return { value: names, problems };
}
