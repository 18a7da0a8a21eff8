// Parses /proc/net/tcp and /proc/net/tcp6 (the fallback when the sock_diag addon is unavailable) into a
// SocketTable. Pure and total: malformed lines are reported by line number and skipped.
//
// A line (net/ipv4/tcp_ipv4.c get_tcp4_sock, net/ipv6/tcp_ipv6.c get_tcp6_sock):
//   "  12: 0100007F:1F90 0100007F:A1B2 06 00000000:00000000 03:00001770 00000000  0  0 0 3 ..."
//   sl, local, remote, state, tx:rx queue, timer:when, retransmits, uid, timeout, inode, ...
// Addresses are the kernel's 32-bit words printed with %08X in host byte order (so 127.0.0.1 reads
// 0100007F on the little-endian machines Portwatch runs on), ports are plain hex.
// For TIME-WAIT the timer is 3 and `when` counts the remaining time DOWN in USER_HZ clock ticks
// (100 per second): age = 60 s (TCP_TIMEWAIT_LEN) - when * 10 ms.
import { TCP_STATE } from '../../../common/tcp-state.js';
import { SocketTableBuilder } from '../socket-table.js';
import { AddressInterner } from './inet-address.js';
import type { ParsedSockets } from './inet-diag.js';
import { ProblemLog } from './problem-log.js';

const TIME_WAIT_MS = 60_000;
const MS_PER_CLOCK_TICK = 10; // USER_HZ = 100
const MIN_COLUMNS = 10;
const SPACE = 0x20;
const TAB = 0x09;
const NEWLINE = 0x0a;
const COLON = 0x3a;

/** Parses one /proc/net/tcp or /proc/net/tcp6 text (bytes or string) into a table. */
export function parseProcNetTcp(data: Uint8Array | string, source = 'proc-net-tcp'): ParsedSockets {
  const addresses = new AddressInterner(new SocketTableBuilder(1024));
  const problems: string[] = [];
  appendProcNetTcp(addresses, data, source, problems);
  return { table: addresses.builder.build(), problems };
}

/** Appends the sockets of one /proc/net/tcp[6] text to the builder behind `addresses`; returns how many. */
export function appendProcNetTcp(
  addresses: AddressInterner,
  data: Uint8Array | string,
  source: string,
  problems: string[],
): number {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
  const log = new ProblemLog(source, problems);
  const starts = new Int32Array(MIN_COLUMNS);
  const ends = new Int32Array(MIN_COLUMNS);
  let added = 0;
  let lineNo = 0;
  let pos = 0;
  const n = bytes.length;
  while (pos < n) {
    let eol = bytes.indexOf(NEWLINE, pos);
    if (eol === -1) eol = n;
    lineNo++;
    const columns = splitColumns(bytes, pos, eol, starts, ends);
    if (lineNo === 1 && columns > 0 && isHeader(bytes, starts[0]!, ends[0]!)) {
      // the header line: "  sl  local_address rem_address   st ..."
    } else if (columns === 0) {
      // blank line
    } else if (columns < MIN_COLUMNS) {
      log.add(`line ${lineNo}: ${columns} columns, expected at least ${MIN_COLUMNS}`);
    } else {
      const why = pushLine(addresses, bytes, starts, ends);
      if (why === null) added++;
      else log.add(`line ${lineNo}: ${why}`);
    }
    pos = eol + 1;
  }
  if (lineNo === 0) log.add('empty (not even the header line)');
  log.finish();
  return added;
}

/** Finds the first MIN_COLUMNS space-separated columns of bytes[from, to); returns how many there are (capped). */
function splitColumns(b: Uint8Array, from: number, to: number, starts: Int32Array, ends: Int32Array): number {
  let count = 0;
  let i = from;
  while (i < to && count < MIN_COLUMNS) {
    while (i < to && (b[i] === SPACE || b[i] === TAB)) i++;
    if (i >= to) break;
    starts[count] = i;
    while (i < to && b[i] !== SPACE && b[i] !== TAB) i++;
    ends[count] = i;
    count++;
  }
  return count;
}

function isHeader(b: Uint8Array, s: number, e: number): boolean {
  return e - s === 2 && b[s] === 0x73 /* s */ && b[s + 1] === 0x6c /* l */;
}

/** The value of the hex digits bytes[s, e), or -1 when they are not 1..8 hex digits. */
function hex(b: Uint8Array, s: number, e: number): number {
  if (e <= s || e - s > 8) return -1;
  let v = 0;
  for (let i = s; i < e; i++) {
    const c = b[i]!;
    let d: number;
    if (c >= 0x30 && c <= 0x39) d = c - 0x30;
    else if (c >= 0x41 && c <= 0x46) d = c - 0x37;
    else if (c >= 0x61 && c <= 0x66) d = c - 0x57;
    else return -1;
    v = v * 16 + d;
  }
  return v;
}

/** Like hex() but allows up to 16 digits (an unsigned long), saturating beyond 2^53. */
function hexLong(b: Uint8Array, s: number, e: number): number {
  if (e <= s || e - s > 16) return -1;
  if (e - s <= 8) return hex(b, s, e);
  const high = hex(b, s, e - 8);
  const low = hex(b, e - 8, e);
  return high < 0 || low < 0 ? -1 : Math.min(high * 2 ** 32 + low, Number.MAX_SAFE_INTEGER);
}

function decimal(b: Uint8Array, s: number, e: number): number {
  if (e <= s || e - s > 10) return -1;
  let v = 0;
  for (let i = s; i < e; i++) {
    const c = b[i]! - 0x30;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

const bswap32 = (v: number): number => (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0;

/** Interns "ADDR:PORT"; returns [address index, port] packed as index * 65536 + port, or -1. */
function endpoint(addresses: AddressInterner, b: Uint8Array, s: number, e: number, family: 4 | 6): number {
  const hexLen = family === 4 ? 8 : 32;
  if (e - s !== hexLen + 5 || b[s + hexLen] !== COLON) return -1;
  const port = hex(b, s + hexLen + 1, e);
  if (port < 0) return -1;
  let index: number;
  if (family === 4) {
    const v = hex(b, s, s + 8);
    if (v < 0) return -1;
    index = addresses.ipv4(bswap32(v));
  } else {
    const g0 = hex(b, s, s + 8);
    const g1 = hex(b, s + 8, s + 16);
    const g2 = hex(b, s + 16, s + 24);
    const g3 = hex(b, s + 24, s + 32);
    if (g0 < 0 || g1 < 0 || g2 < 0 || g3 < 0) return -1;
    index = addresses.ipv6(bswap32(g0), bswap32(g1), bswap32(g2), bswap32(g3));
  }
  return index * 65536 + port;
}

/** Parses one socket line into the builder; returns null, or why the line was skipped. */
function pushLine(addresses: AddressInterner, b: Uint8Array, starts: Int32Array, ends: Int32Array): string | null {
  // the family follows from the address width: 8 hex digits (tcp) or 32 (tcp6)
  const localLen = ends[1]! - starts[1]!;
  const family: 4 | 6 = localLen === 13 ? 4 : 6;
  const local = endpoint(addresses, b, starts[1]!, ends[1]!, family);
  if (local < 0) return 'unreadable local address';
  const remote = endpoint(addresses, b, starts[2]!, ends[2]!, family);
  if (remote < 0) return 'unreadable remote address';
  const state = hex(b, starts[3]!, ends[3]!);
  if (state < 1 || state > TCP_STATE.NEW_SYN_RECV) return `unknown TCP state ${JSON.stringify(text(b, starts[3]!, ends[3]!))}`;
  // "tr:when": timer kind, then the time left in clock ticks
  const ts = starts[5]!;
  const te = ends[5]!;
  const colon = b.indexOf(COLON, ts);
  const when = colon > ts && colon < te ? hexLong(b, colon + 1, te) : -1;
  if (when < 0) return `unreadable timer ${JSON.stringify(text(b, ts, te))}`;
  const inode = decimal(b, starts[9]!, ends[9]!);
  if (inode < 0 || inode > 0xffffffff) return `unreadable inode ${JSON.stringify(text(b, starts[9]!, ends[9]!))}`;
  const timeWaitAgeMs = state === TCP_STATE.TIME_WAIT ? Math.max(0, TIME_WAIT_MS - when * MS_PER_CLOCK_TICK) : -1;
  addresses.builder.pushRaw(
    family,
    state,
    Math.floor(local / 65536),
    local % 65536,
    Math.floor(remote / 65536),
    remote % 65536,
    inode,
    -1,
    timeWaitAgeMs,
  );
  return null;
}

function text(b: Uint8Array, s: number, e: number): string {
  return Buffer.from(b.buffer, b.byteOffset + s, Math.min(e - s, 40)).toString('latin1');
}
