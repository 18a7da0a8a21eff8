// Parses Windows `netstat -anoq` (the fallback when PowerShell cannot list connections) in any system
// language. Pure; never throws.
//
// netstat translates its headers and its state words ("LISTENING" is "ABHÖREN" in German) and prints
// them in the console code page, so a row is read by shape: "TCP", local "addr:port", remote
// "addr:port", the state word(s), the pid. Known spellings of the state words are mapped; a word that is
// not known is read from the row's shape instead, which is enough for capacity:
//   - remote 0.0.0.0:0 or [::]:0: a port held without a connection — LISTEN when `netstat -ano` (which
//     lists listeners but not bound-only ports) has the same row, else BOUND;
//   - a remote endpoint and pid 0: TIME-WAIT (Windows reports no owner only for those);
//   - otherwise: state 0 ("unknown"): it still occupies its port toward its destination.
import { TCP_STATE } from '../../../common/tcp-state.js';
import { SocketTableBuilder } from '../socket-table.js';
import type { SocketTable } from '../types.js';
import { ProblemLog } from './problem-log.js';
import { netshText } from '../../../common/parse/win32-netsh.js';

/** State number for sockets whose state word is unknown and whose shape does not tell (not a TCP state). */
export const UNKNOWN_STATE = 0;

// Words are compared in upper case with every run of non-ASCII bytes turned into one "?", so that
// "ABHÖREN" matches whatever code page printed the Ö (CP850 0x99, CP1252 0xD6, UTF-8 0xC3 0x96).
/** Known state words → Linux state numbers: English (netstat's own) and German (seen in real captures). */
export const WIN32_NETSTAT_WORDS: Readonly<Record<string, number>> = {
  LISTENING: TCP_STATE.LISTEN,
  LISTEN: TCP_STATE.LISTEN,
  ESTABLISHED: TCP_STATE.ESTABLISHED,
  TIME_WAIT: TCP_STATE.TIME_WAIT,
  CLOSE_WAIT: TCP_STATE.CLOSE_WAIT,
  SYN_SENT: TCP_STATE.SYN_SENT,
  SYN_RECEIVED: TCP_STATE.SYN_RECV,
  FIN_WAIT_1: TCP_STATE.FIN_WAIT1,
  FIN_WAIT_2: TCP_STATE.FIN_WAIT2,
  LAST_ACK: TCP_STATE.LAST_ACK,
  CLOSING: TCP_STATE.CLOSING,
  CLOSED: TCP_STATE.CLOSE,
  DELETE_TCB: TCP_STATE.CLOSE,
  BOUND: TCP_STATE.BOUND,
  'ABH?REN': TCP_STATE.LISTEN,
  HERGESTELLT: TCP_STATE.ESTABLISHED,
  WARTEND: TCP_STATE.TIME_WAIT,
  SCHLIESSEN_WARTEN: TCP_STATE.CLOSE_WAIT,
  SYN_GESENDET: TCP_STATE.SYN_SENT,
  FIN_WARTEN_2: TCP_STATE.FIN_WAIT2,
  SCHLIESSEND: TCP_STATE.CLOSING,
};

/** A state word in the form WIN32_NETSTAT_WORDS uses. */
export function normaliseStateWord(word: string): string {
  return word.toUpperCase().replace(/[^\x20-\x7e]+/g, '?');
}

/** "0.0.0.0:80", "[::]:135", "[fe80::1%12]:5000" → address and port, or null. */
export function parseWin32Endpoint(text: string): { addr: string; port: number; family: 4 | 6 } | null {
  let host: string;
  let portText: string;
  if (text.startsWith('[')) {
    const close = text.indexOf(']:');
    if (close < 0) return null;
    host = text.slice(1, close);
    portText = text.slice(close + 2);
  } else {
    const colon = text.lastIndexOf(':');
    if (colon <= 0) return null;
    host = text.slice(0, colon);
    portText = text.slice(colon + 1);
  }
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) return null;
  const port = Number(portText);
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(host) && host.split('.').every((p) => Number(p) <= 255)) return { addr: host, port, family: 4 };
  if (host.includes(':') && /^[0-9a-fA-F:.]+(%[\w.-]+)?$/.test(host)) return { addr: host.toLowerCase(), port, family: 6 };
  return null;
}

function isUnspecified(addr: string): boolean {
  return addr === '0.0.0.0' || addr === '::';
}

interface Row {
  local: { addr: string; port: number; family: 4 | 6 };
  remote: { addr: string; port: number; family: 4 | 6 };
  word: string;
  pid: number;
}

/** A TCP row of netstat -ano[q], or a reason, or null for lines that are not TCP rows. */
function readRow(line: string): Row | string | null {
  const t = line.trim().split(/\s+/);
  if (t[0]?.toUpperCase() !== 'TCP') return null;
  if (t.length < 4) return `${t.length} fields, expected protocol, two endpoints, state and pid`;
  const pidText = t[t.length - 1]!;
  if (!/^\d{1,10}$/.test(pidText) || Number(pidText) > 0x7fffffff) return `last field ${JSON.stringify(pidText)} is not a pid (run netstat with -o)`;
  const local = parseWin32Endpoint(t[1]!);
  if (!local) return `bad local endpoint ${JSON.stringify(t[1])}`;
  const remote = parseWin32Endpoint(t[2]!);
  if (!remote) return `bad remote endpoint ${JSON.stringify(t[2])}`;
  return { local, remote, word: normaliseStateWord(t.slice(3, -1).join(' ')), pid: Number(pidText) };
}

function rowsOf(text: string): { lineNo: number; row: Row | string }[] {
  const out: { lineNo: number; row: Row | string }[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const row = readRow(lines[i]!.replace(/\r$/, ''));
    if (row !== null) out.push({ lineNo: i + 1, row });
  }
  return out;
}

/** What parsing gave. */
export interface Win32NetstatResult {
  /** Null when no TCP row was found. */
  table: SocketTable | null;
  /** State words that were not known, with how many rows carried each. */
  unknownWords: Map<string, number>;
  problems: string[];
}

/**
 * Parses `netstat -anoq` output; `ano` (the same machine's `netstat -ano`, or null) tells listeners
 * from bound-only ports when the state words are not known.
 */
export function parseWin32Netstat(anoq: Uint8Array | string, ano: Uint8Array | string | null, source = 'netstat-anoq'): Win32NetstatResult {
  const problems: string[] = [];
  const log = new ProblemLog(source, problems);
  const listeners = new Set<string>();
  if (ano !== null) {
    for (const { row } of rowsOf(netshText(ano))) {
      if (typeof row !== 'string' && isUnspecified(row.remote.addr) && row.remote.port === 0) {
        listeners.add(`${row.local.addr}|${row.local.port}|${row.pid}`);
      }
    }
  }
  const builder = new SocketTableBuilder(1024);
  const unknownWords = new Map<string, number>();
  let rows = 0;
  for (const { lineNo, row } of rowsOf(netshText(anoq))) {
    if (typeof row === 'string') {
      log.add(`line ${lineNo}: ${row}`);
      continue;
    }
    rows++;
    let state = WIN32_NETSTAT_WORDS[row.word];
    if (state === undefined) {
      unknownWords.set(row.word, (unknownWords.get(row.word) ?? 0) + 1);
      state = stateByShape(row, ano === null ? null : listeners);
    }
    builder.push({
      family: row.local.family === 6 || row.remote.family === 6 ? 6 : 4,
      state,
      localAddr: row.local.addr,
      localPort: row.local.port,
      remoteAddr: row.remote.addr,
      remotePort: row.remote.port,
      pid: row.pid,
    });
  }
  for (const [word, n] of unknownWords) {
    log.add(
      `state word ${JSON.stringify(word)} (${n} rows) not recognised: read by shape (held ports as ${ano === null ? 'LISTEN, as netstat -ano was not read' : 'LISTEN or BOUND'}, pid 0 as TIME-WAIT, others as unknown)`,
    );
  }
  if (rows === 0 && problems.length === 0) log.add('no TCP row found');
  log.finish();
  return { table: rows > 0 ? builder.build() : null, unknownWords, problems };
}

function stateByShape(row: Row, listeners: Set<string> | null): number {
  if (isUnspecified(row.remote.addr) && row.remote.port === 0) {
    if (listeners === null) return TCP_STATE.LISTEN;
    return listeners.has(`${row.local.addr}|${row.local.port}|${row.pid}`) ? TCP_STATE.LISTEN : TCP_STATE.BOUND;
  }
  return row.pid === 0 ? TCP_STATE.TIME_WAIT : UNKNOWN_STATE;
}
