// Parses the Tcpip events that prove port exhaustion on Windows, as the backend reads them:
// Get-WinEvent … Id=4227,4231 | Select-Object Id, TimeCreated | ConvertTo-Json. Pure; never throws.
// 4227: "TCP/IP failed to establish an outgoing connection because the selected local endpoint was
// recently used to connect to the same remote endpoint" (TIME-WAIT reuse refused); 4231: "A request to
// allocate an ephemeral port number from the global TCP port space has failed due to all such ports
// being in use". TimeCreated is "/Date(ms)/" in Windows PowerShell 5.1, ISO 8601 in PowerShell 7; the
// backend asks for epoch milliseconds (TimeMs) so that neither matters.
import type { ParseResult } from '../source-status.js';
import { jsonElements, wholeNumber } from './win32-json.js';

/** The event ids Portwatch reads. */
export const TCPIP_EXHAUSTION_EVENTS = [4227, 4231] as const;

/** How many exhaustion events the log holds (of those read) and when the latest was. */
export interface TcpipEventCounts {
  /** Events 4227 + 4231 read. */
  total: number;
  byId: { 4227: number; 4231: number };
  /** Epoch ms of the newest event read, or null when there is none (or no time was readable). */
  latestMs: number | null;
}

/** Epoch ms from TimeMs (number), "/Date(ms)/" or an ISO 8601 text; undefined when unreadable. */
export function eventTime(o: Record<string, unknown>): number | undefined {
  const ms = wholeNumber(o.TimeMs, 0, Number.MAX_SAFE_INTEGER);
  if (ms !== undefined) return ms;
  const t = o.TimeCreated;
  if (typeof t === 'string') {
    const m = /^\/Date\((-?\d+)(?:[+-]\d{4})?\)\/$/.exec(t);
    if (m) return Number(m[1]);
    const p = Date.parse(t);
    if (Number.isFinite(p)) return p;
  }
  return undefined;
}

/** Counts events 4227 and 4231 in the JSON list (an empty list when the log has none). */
export function parseTcpipEvents(data: Uint8Array | string, source = 'win32-tcpip-events-json'): ParseResult<TcpipEventCounts> {
  const doc = jsonElements(data, source);
  if ('problem' in doc) return { value: null, problems: [doc.problem] };
  const out: TcpipEventCounts = { total: 0, byId: { 4227: 0, 4231: 0 }, latestMs: null };
  let bad = 0;
  for (const e of doc.elements) {
    const o = typeof e === 'object' && e !== null ? (e as Record<string, unknown>) : {};
    const id = wholeNumber(o.Id, 0, 65535);
    if (id !== 4227 && id !== 4231) {
      bad++;
      continue;
    }
    out.byId[id]++;
    out.total++;
    const t = eventTime(o);
    if (t !== undefined && (out.latestMs === null || t > out.latestMs)) out.latestMs = t;
  }
  return { value: out, problems: bad > 0 ? [`${source}: ${bad} element(s) are not event 4227 or 4231`] : [] };
}
