// Parses `Get-NetTCPConnection | Select-Object LocalAddress,LocalPort,RemoteAddress,RemotePort,State,
// OwningProcess | ConvertTo-Json` into a SocketTable: locale-independent, with the owning process, and
// with BOUND ports (which plain netstat does not list). Pure; never throws.
//
// ConvertTo-Json writes State (an enum) as its number; PowerShell 7 with -EnumsAsStrings, or a hand-made
// capture, writes its name. Values of MSFT_NetTCPConnection.State (root/StandardCimv2): 1..12 as in
// MIB_TCP_STATE (MS-RRASM 2.2.1.1.11), and 100 for Bound — Microsoft's cmdlet help lists "Bound" among
// the values without its number; 100 is what the provider returns, as public parsers of this output
// map it (see test/fixtures/win32/README.md).
import { TCP_STATE } from '../../../common/tcp-state.js';
import { SocketTableBuilder } from '../socket-table.js';
import type { SocketTable } from '../types.js';
import { ProblemLog } from './problem-log.js';
import { jsonElements, wholeNumber } from './win32-json.js';

/** MSFT_NetTCPConnection.State numbers → Linux state numbers. */
export const WIN32_STATE_NUMBERS: Readonly<Record<number, number>> = {
  1: TCP_STATE.CLOSE, // Closed
  2: TCP_STATE.LISTEN,
  3: TCP_STATE.SYN_SENT,
  4: TCP_STATE.SYN_RECV,
  5: TCP_STATE.ESTABLISHED,
  6: TCP_STATE.FIN_WAIT1,
  7: TCP_STATE.FIN_WAIT2,
  8: TCP_STATE.CLOSE_WAIT,
  9: TCP_STATE.CLOSING,
  10: TCP_STATE.LAST_ACK,
  11: TCP_STATE.TIME_WAIT,
  12: TCP_STATE.CLOSE, // DeleteTCB: the connection's control block is being deleted
  100: TCP_STATE.BOUND,
};

/** MSFT_NetTCPConnection.State names (as the enum spells them) → Linux state numbers. */
export const WIN32_STATE_NAMES: Readonly<Record<string, number>> = {
  closed: TCP_STATE.CLOSE,
  listen: TCP_STATE.LISTEN,
  synsent: TCP_STATE.SYN_SENT,
  synreceived: TCP_STATE.SYN_RECV,
  established: TCP_STATE.ESTABLISHED,
  finwait1: TCP_STATE.FIN_WAIT1,
  finwait2: TCP_STATE.FIN_WAIT2,
  closewait: TCP_STATE.CLOSE_WAIT,
  closing: TCP_STATE.CLOSING,
  lastack: TCP_STATE.LAST_ACK,
  timewait: TCP_STATE.TIME_WAIT,
  deletetcb: TCP_STATE.CLOSE,
  bound: TCP_STATE.BOUND,
};

/** Normalises an address as Windows prints it: IPv6 in lower case; IPv4 as is. Null when it is not an address. */
export function win32Address(v: unknown): { addr: string; family: 4 | 6 } | null {
  if (typeof v !== 'string') return null;
  const a = v.trim();
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(a) && a.split('.').every((p) => Number(p) <= 255)) return { addr: a, family: 4 };
  if (a.includes(':') && /^[0-9a-fA-F:.]+(%[\w.-]+)?$/.test(a)) return { addr: a.toLowerCase(), family: 6 };
  return null;
}

function stateOf(v: unknown): number | undefined {
  if (typeof v === 'number') return WIN32_STATE_NUMBERS[v];
  if (typeof v === 'string') {
    const n = wholeNumber(v, 0, 255);
    return n !== undefined ? WIN32_STATE_NUMBERS[n] : WIN32_STATE_NAMES[v.trim().toLowerCase()];
  }
  return undefined;
}

/** What parsing the Get-NetTCPConnection JSON gave. */
export interface Win32TcpResult {
  /** Null when the output could not be read at all. */
  table: SocketTable | null;
  problems: string[];
}

/** Parses the JSON list of connections. */
export function parseWin32TcpJson(data: Uint8Array | string, source = 'win32-tcp-json'): Win32TcpResult {
  const problems: string[] = [];
  const doc = jsonElements(data, source);
  if ('problem' in doc) return { table: null, problems: [doc.problem] };
  const log = new ProblemLog(source, problems);
  const builder = new SocketTableBuilder(Math.max(16, doc.elements.length));
  doc.elements.forEach((e, i) => {
    const why = pushConnection(builder, e);
    if (why) log.add(`element ${i}: ${why}`);
  });
  log.finish();
  return { table: builder.build(), problems };
}

function pushConnection(builder: SocketTableBuilder, e: unknown): string | null {
  if (typeof e !== 'object' || e === null || Array.isArray(e)) return 'not an object';
  const o = e as Record<string, unknown>;
  const local = win32Address(o.LocalAddress);
  if (!local) return `bad LocalAddress ${JSON.stringify(o.LocalAddress)}`;
  const remote = win32Address(o.RemoteAddress);
  if (!remote) return `bad RemoteAddress ${JSON.stringify(o.RemoteAddress)}`;
  const localPort = wholeNumber(o.LocalPort, 0, 65535);
  if (localPort === undefined) return `bad LocalPort ${JSON.stringify(o.LocalPort)}`;
  const remotePort = wholeNumber(o.RemotePort, 0, 65535);
  if (remotePort === undefined) return `bad RemotePort ${JSON.stringify(o.RemotePort)}`;
  const state = stateOf(o.State);
  if (state === undefined) return `unknown State ${JSON.stringify(o.State)}`;
  const pid = o.OwningProcess === undefined || o.OwningProcess === null ? -1 : wholeNumber(o.OwningProcess, 0, 0x7fffffff);
  if (pid === undefined) return `bad OwningProcess ${JSON.stringify(o.OwningProcess)}`;
  builder.push({
    family: local.family === 6 || remote.family === 6 ? 6 : 4,
    state,
    localAddr: local.addr,
    localPort,
    remoteAddr: remote.addr,
    remotePort,
    pid,
  });
  return null;
}
