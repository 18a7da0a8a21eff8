// Parses macOS `netstat -anvl -p tcp` into a SocketTable. Pure and total: malformed rows are reported
// by line number and skipped; nothing throws.
//
// The columns changed across releases, so every column is found from the header line, never by position:
//   10.14–14: Proto Recv-Q Send-Q Local Address Foreign Address (state) rhiwat shiwat pid epid state options [gencnt flags flags1 usecnt rtncnt fltrs]
//   15:       … (state) rxbytes txbytes rhiwat shiwat pid epid state options gencnt …
//   26:       … (state) rxbytes txbytes rhiwat shiwat process:pid state options gencnt …
// In the macOS 26 layout the process name may contain spaces ("Autodesk Fusion:22712"): the columns
// before it are read from the left, the columns after it from the right, and what is between is the
// name, up to the last colon.
// Addresses are "a.b.c.d.port" or "ipv6.port" (the last dot separates the port), "*" for the unspecified
// address or port ("*.*", "*.443"). Proto is tcp4, tcp6 or tcp46 (a dual-stack IPv6 socket).
// States are the BSD names (netinet/tcp_fsm.h tcpstates[]), mapped onto the Linux numbers.
import { TCP_STATE } from '../../../common/tcp-state.js';
import { SocketTableBuilder } from '../socket-table.js';
import type { SocketTable } from '../types.js';
import { ProblemLog } from './problem-log.js';

/** BSD state names (as netstat prints them) → Linux state numbers. */
export const DARWIN_STATES: Readonly<Record<string, number>> = {
  CLOSED: TCP_STATE.CLOSE,
  LISTEN: TCP_STATE.LISTEN,
  SYN_SENT: TCP_STATE.SYN_SENT,
  SYN_RCVD: TCP_STATE.SYN_RECV,
  SYN_RECEIVED: TCP_STATE.SYN_RECV,
  ESTABLISHED: TCP_STATE.ESTABLISHED,
  CLOSE_WAIT: TCP_STATE.CLOSE_WAIT,
  FIN_WAIT_1: TCP_STATE.FIN_WAIT1,
  CLOSING: TCP_STATE.CLOSING,
  LAST_ACK: TCP_STATE.LAST_ACK,
  FIN_WAIT_2: TCP_STATE.FIN_WAIT2,
  TIME_WAIT: TCP_STATE.TIME_WAIT,
};

/** What parsing one netstat output gave. */
export interface DarwinNetstatResult {
  /** Null when the output holds no header and no TCP row. */
  table: SocketTable | null;
  /** Process names printed in the macOS 26 `process:pid` column. */
  processNames: Map<number, string>;
  /** The header's column names as read (lower case), or null when there was no header. */
  columns: string[] | null;
  problems: string[];
}

/** Where the columns Portwatch needs are, found from the header. */
interface Layout {
  columns: string[];
  local: number;
  foreign: number;
  state: number;
  /** The `pid` column, or -1. */
  pid: number;
  /** The `process:pid` column, or -1. */
  processPid: number;
}

// The columns every release prints first, in this order; used when the header is missing.
const CLASSIC_COLUMNS = ['proto', 'recv-q', 'send-q', 'local address', 'foreign address', '(state)'];

function layoutOf(columns: string[]): Layout | string {
  const local = columns.indexOf('local address');
  const foreign = columns.indexOf('foreign address');
  const state = columns.indexOf('(state)');
  if (local < 0 || foreign < 0 || state < 0) return 'header lacks "Local Address", "Foreign Address" or "(state)"';
  return { columns, local, foreign, state, pid: columns.indexOf('pid'), processPid: columns.indexOf('process:pid') };
}

/** Header words, with the two two-word column names kept whole, in lower case. */
function headerColumns(line: string): string[] {
  return line
    .trim()
    .replace(/local\s+address/i, 'local\u0000address')
    .replace(/foreign\s+address/i, 'foreign\u0000address')
    .split(/\s+/)
    .map((w) => w.replace('\u0000', ' ').toLowerCase());
}

/** An endpoint "host.port": the host text (normalised) and the port, or a reason. */
export function parseDarwinEndpoint(text: string, family: 4 | 6): { addr: string; port: number } | string {
  const dot = text.lastIndexOf('.');
  if (dot <= 0 || dot === text.length - 1) return `cannot split ${JSON.stringify(text)} into address and port`;
  const host = text.slice(0, dot);
  const portText = text.slice(dot + 1);
  let port: number;
  if (portText === '*') port = 0;
  else if (/^\d{1,5}$/.test(portText) && Number(portText) <= 65535) port = Number(portText);
  else return `bad port in ${JSON.stringify(text)}`;
  if (host === '*') return { addr: family === 6 ? '::' : '0.0.0.0', port };
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(host)) {
    if (host.split('.').some((p) => Number(p) > 255)) return `bad IPv4 address in ${JSON.stringify(text)}`;
    return { addr: host, port };
  }
  if (/^[0-9a-fA-F:.]*:[0-9a-fA-F:.]*(%[\w.-]+)?$/.test(host)) return { addr: host.toLowerCase(), port };
  return `bad address in ${JSON.stringify(text)}`;
}

/** Where the whitespace-separated fields of one line are (reused between lines: no object per field). */
class Fields {
  count = 0;
  start = new Int32Array(64);
  end = new Int32Array(64);

  /** Splits the line; returns the number of fields (at most 64 are located; the rest are counted). */
  split(line: string): number {
    let n = 0;
    let i = 0;
    const len = line.length;
    while (i < len) {
      while (i < len && (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9)) i++;
      if (i >= len) break;
      const b = i;
      while (i < len && line.charCodeAt(i) !== 32 && line.charCodeAt(i) !== 9) i++;
      if (n < 64) {
        this.start[n] = b;
        this.end[n] = i;
      }
      n++;
    }
    this.count = n;
    return n;
  }
}

/** Parses one `netstat -anv[l] -p tcp` output (bytes or text). */
export function parseDarwinNetstat(data: Uint8Array | string, source = 'netstat-anv-tcp'): DarwinNetstatResult {
  const text = typeof data === 'string' ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8');
  const problems: string[] = [];
  const log = new ProblemLog(source, problems);
  const builder = new SocketTableBuilder(1024);
  const processNames = new Map<number, string>();
  let layout: Layout | null = null;
  let columns: string[] | null = null;
  let sawTcpRow = false;
  let warnedNoHeader = false;
  const fields = new Fields();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    const lineNo = i + 1;
    if (/^\s*proto\s/i.test(line)) {
      columns = headerColumns(line);
      const l = layoutOf(columns);
      if (typeof l === 'string') {
        log.add(`line ${lineNo}: ${l}`);
        layout = null;
      } else {
        layout = l;
        if (l.pid < 0 && l.processPid < 0) log.add(`line ${lineNo}: header has no "pid" or "process:pid" column: owners are unknown`);
      }
      continue;
    }
    if (!/^\s*tcp/i.test(line)) continue; // title, blank, "Some tcp sockets may have been deleted."
    sawTcpRow = true;
    let use = layout;
    if (!use) {
      if (!warnedNoHeader) {
        log.add(`line ${lineNo}: TCP rows before any readable header: reading the first six columns, owners unknown`);
        warnedNoHeader = true;
      }
      use = layoutOf(CLASSIC_COLUMNS) as Layout;
    }
    const why = readRow(builder, processNames, fields, line, use);
    if (why) log.add(`line ${lineNo}: ${why}`);
  }
  if (!sawTcpRow && columns === null) log.add('no netstat header and no TCP row');
  log.finish();
  return { table: sawTcpRow || columns !== null ? builder.build() : null, processNames, columns, problems };
}

/** Adds one row; returns why it could not, or null. */
function readRow(builder: SocketTableBuilder, names: Map<number, string>, f: Fields, line: string, l: Layout): string | null {
  const count = f.split(line);
  if (count > 64) return `${count} columns: too many to be a netstat row`;
  const n = l.columns.length;
  // Columns after process:pid are counted from the right, because the name may hold spaces.
  const index = (col: number): number => (l.processPid < 0 || col < l.processPid ? col : count - (n - col));
  const text = (col: number): string => {
    const k = index(col);
    return line.slice(f.start[k]!, f.end[k]!);
  };
  const needed = Math.max(l.local, l.foreign, l.state, l.pid) + 1;
  if (l.processPid < 0 ? count < needed : count < n) return `${count} columns, the header has ${n}`;
  const protoText = line.slice(f.start[0]!, f.end[0]!).toLowerCase();
  if (!/^tcp(4|6|46)?$/.test(protoText)) return `unknown protocol ${JSON.stringify(protoText)}`;
  const family: 4 | 6 = protoText === 'tcp6' || protoText === 'tcp46' ? 6 : 4;
  const stateText = text(l.state);
  const state = DARWIN_STATES[stateText.toUpperCase()];
  if (state === undefined) return `unknown TCP state ${JSON.stringify(stateText)}`;
  const local = parseDarwinEndpoint(text(l.local), family);
  if (typeof local === 'string') return `local address: ${local}`;
  const remote = parseDarwinEndpoint(text(l.foreign), family);
  if (typeof remote === 'string') return `foreign address: ${remote}`;
  let pid = -1;
  if (l.pid >= 0) {
    const t = text(l.pid);
    if (!/^\d{1,10}$/.test(t) || Number(t) > 0x7fffffff) return `bad pid ${JSON.stringify(t)}`;
    pid = Number(t);
  } else if (l.processPid >= 0) {
    const whole = line.slice(f.start[l.processPid]!, f.end[index(l.processPid)]!);
    const m = /^(.*):(\d{1,10})$/.exec(whole);
    if (!m || Number(m[2]) > 0x7fffffff) return `cannot read process:pid ${JSON.stringify(whole)}`;
    pid = Number(m[2]);
    if (m[1] && pid > 0 && !names.has(pid)) names.set(pid, m[1]);
  }
  const addrFamily: 4 | 6 = local.addr.includes(':') || remote.addr.includes(':') ? 6 : 4;
  builder.push({ family: addrFamily, state, localAddr: local.addr, localPort: local.port, remoteAddr: remote.addr, remotePort: remote.port, pid });
  return null;
}
