// Parses raw NETLINK_SOCK_DIAG TCP dumps (the bytes sock_diag.c's dumpTcp returns, byte for byte) into
// a SocketTable. Pure and total: any input gives a table and the problems met, never an exception.
//
// Layout (include/uapi/linux/netlink.h, inet_diag.h): a stream of netlink messages, each a 16-byte
// nlmsghdr {len u32, type u16, flags u16, seq u32, pid u32} in the capturing host's byte order, padded
// to 4 bytes; SOCK_DIAG_BY_FAMILY messages carry a 72-byte inet_diag_msg {family u8, state u8, timer u8,
// retrans u8, sport be16, dport be16, src[16], dst[16], if u32, cookie u64, expires u32, rqueue u32,
// wqueue u32, uid u32, inode u32} and then attributes, which we skip by the message length.
import { TCP_STATE } from '../../../common/tcp-state.js';
import { SocketTableBuilder } from '../socket-table.js';
import type { SocketTable } from '../types.js';
import { AddressInterner } from './inet-address.js';
import { ProblemLog } from './problem-log.js';

const NLMSG_HDRLEN = 16;
const NLMSG_ERROR = 2;
const NLMSG_DONE = 3;
const SOCK_DIAG_BY_FAMILY = 20;
const INET_DIAG_MSG_LEN = 72;
const AF_INET = 2;
const AF_INET6 = 10;
/** TCP_TIMEWAIT_LEN: fixed at 60 s in the Linux kernel; idiag_expires counts the rest down in ms. */
const TIME_WAIT_MS = 60_000;

/** A parsed socket table and what could not be read. */
export interface ParsedSockets {
  table: SocketTable;
  problems: string[];
}

/** Bytes with the name of the source they came from (used in problem messages). */
export interface NamedBytes {
  name: string;
  data: Uint8Array;
}

/** Parses one dump, or several (e.g. the IPv4 and the IPv6 dump), into one table. */
export function parseInetDiag(dumps: Uint8Array | readonly (Uint8Array | NamedBytes)[]): ParsedSockets {
  const list = dumps instanceof Uint8Array ? [dumps] : dumps;
  const addresses = new AddressInterner(new SocketTableBuilder(inetDiagCapacity(list.map((d) => (d instanceof Uint8Array ? d : d.data)))));
  const problems: string[] = [];
  list.forEach((d, i) => {
    const named = d instanceof Uint8Array ? { name: list.length === 1 ? 'tcp-diag' : `tcp-diag[${i}]`, data: d } : d;
    appendInetDiag(addresses, named.data, named.name, problems);
  });
  return { table: addresses.builder.build(), problems };
}

/** Rows to reserve for these dumps: an upper bound (a socket message is at least 88 bytes), so the table never regrows. */
export function inetDiagCapacity(dumps: readonly Uint8Array[]): number {
  return dumps.reduce((n, d) => n + Math.floor(d.byteLength / (NLMSG_HDRLEN + INET_DIAG_MSG_LEN)), 0);
}

/** Appends the sockets of one dump to the builder behind `addresses`; returns how many were added. */
export function appendInetDiag(addresses: AddressInterner, data: Uint8Array, source: string, problems: string[]): number {
  const log = new ProblemLog(source, problems);
  const added = walkDump(addresses, data, log);
  log.finish();
  return added;
}

/** The host byte order the dump was written in, told by the type of its first message. */
function detectLittleEndian(dv: DataView): boolean | null {
  if (dv.byteLength < NLMSG_HDRLEN) return null;
  const known = (t: number): boolean => t === SOCK_DIAG_BY_FAMILY || t === NLMSG_DONE || t === NLMSG_ERROR;
  if (known(dv.getUint16(4, true))) return true;
  if (known(dv.getUint16(4, false))) return false;
  return null;
}

function walkDump(addresses: AddressInterner, data: Uint8Array, log: ProblemLog): number {
  if (data.byteLength === 0) {
    log.add('empty dump (no NLMSG_DONE)');
    return 0;
  }
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const le = detectLittleEndian(dv);
  if (le === null) {
    log.add(`not a sock_diag dump: the first ${Math.min(16, data.byteLength)} bytes are no netlink header`);
    return 0;
  }
  const builder = addresses.builder;
  const end = data.byteLength;
  let added = 0;
  let off = 0;
  let done = false;
  while (off < end) {
    if (end - off < NLMSG_HDRLEN) {
      log.add(`truncated: ${end - off} bytes at offset ${off} are less than a netlink header`);
      break;
    }
    const len = dv.getUint32(off, le);
    const type = dv.getUint16(off + 4, le);
    if (len < NLMSG_HDRLEN || len > end - off) {
      log.add(`truncated or corrupt: message at offset ${off} says it has ${len} bytes, ${end - off} are left`);
      break;
    }
    if (type === NLMSG_DONE) {
      if (len >= NLMSG_HDRLEN + 4) {
        const status = dv.getInt32(off + NLMSG_HDRLEN, le);
        if (status < 0) log.add(`the kernel ended the dump with error ${-status} (${errnoName(-status)})`);
      }
      done = true;
      break;
    }
    if (type === NLMSG_ERROR) {
      const errno = len >= NLMSG_HDRLEN + 4 ? -dv.getInt32(off + NLMSG_HDRLEN, le) : 0;
      log.add(`the kernel answered with error ${errno} (${errnoName(errno)})`);
      done = true;
      break;
    }
    if (type !== SOCK_DIAG_BY_FAMILY) {
      log.add(`unexpected netlink message type ${type} at offset ${off}, skipped`);
    } else if (len < NLMSG_HDRLEN + INET_DIAG_MSG_LEN) {
      log.add(`socket message at offset ${off} has ${len} bytes, an inet_diag_msg needs ${NLMSG_HDRLEN + INET_DIAG_MSG_LEN}`);
    } else if (pushSocket(addresses, builder, data, off + NLMSG_HDRLEN, le, log)) {
      added++;
    }
    off += (len + 3) & ~3;
  }
  if (!done) log.add('the dump ends without NLMSG_DONE: it was cut short, sockets may be missing');
  return added;
}

/** Reads one inet_diag_msg at `m`; false (with a problem) when it is not a TCP socket we can place. */
function pushSocket(
  addresses: AddressInterner,
  builder: SocketTableBuilder,
  b: Uint8Array,
  m: number,
  le: boolean,
  log: ProblemLog,
): boolean {
  const family = b[m]!;
  let state = b[m + 1]!;
  // Bound-only sockets come from the bind-hash walk asked for with TCPF_BOUND_INACTIVE, reported with
  // their real sk_state, TCP_CLOSE: a closed socket is in no hash, so CLOSE here always means BOUND.
  if (state === TCP_STATE.CLOSE) state = TCP_STATE.BOUND;
  if (state < 1 || state > TCP_STATE.BOUND) {
    log.add(`socket message at offset ${m - NLMSG_HDRLEN} has unknown TCP state ${state}, skipped`);
    return false;
  }
  // ports and addresses are in network byte order (big-endian), whatever the host
  const localPort = (b[m + 4]! << 8) | b[m + 5]!;
  const remotePort = (b[m + 6]! << 8) | b[m + 7]!;
  let local: number;
  let remote: number;
  if (family === AF_INET) {
    local = addresses.ipv4(be32(b, m + 8), 0);
    remote = addresses.ipv4(be32(b, m + 24), 1);
  } else if (family === AF_INET6) {
    local = addresses.ipv6(be32(b, m + 8), be32(b, m + 12), be32(b, m + 16), be32(b, m + 20));
    remote = addresses.ipv6(be32(b, m + 24), be32(b, m + 28), be32(b, m + 32), be32(b, m + 36));
  } else {
    log.add(`socket message at offset ${m - NLMSG_HDRLEN} has address family ${family}, neither AF_INET nor AF_INET6, skipped`);
    return false;
  }
  const inode = le ? le32(b, m + 68) >>> 0 : be32(b, m + 68) >>> 0;
  let timeWaitAgeMs = -1;
  if (state === TCP_STATE.TIME_WAIT) {
    const expiresMs = le ? le32(b, m + 52) >>> 0 : be32(b, m + 52) >>> 0;
    timeWaitAgeMs = expiresMs >= TIME_WAIT_MS ? 0 : TIME_WAIT_MS - expiresMs;
  }
  builder.pushRaw(family === AF_INET ? 4 : 6, state, local, localPort, remote, remotePort, inode, -1, timeWaitAgeMs);
  return true;
}

/** A big-endian 32-bit word at o, as a signed int (callers use >>> 0 for the unsigned value). */
function be32(b: Uint8Array, o: number): number {
  return (b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!;
}

/** A little-endian 32-bit word at o, as a signed int. */
function le32(b: Uint8Array, o: number): number {
  return b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24);
}

const ERRNO_NAMES: Record<number, string> = {
  1: 'EPERM',
  2: 'ENOENT',
  4: 'EINTR',
  12: 'ENOMEM',
  13: 'EACCES',
  16: 'EBUSY',
  22: 'EINVAL',
  93: 'EPROTONOSUPPORT',
  95: 'EOPNOTSUPP',
  97: 'EAFNOSUPPORT',
  105: 'ENOBUFS',
};

function errnoName(errno: number): string {
  return ERRNO_NAMES[errno] ?? 'unknown errno';
}
