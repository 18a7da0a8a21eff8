// Answers getConnections from one reading's columnar socket table: filter, sort and cut out one page, in
// the monitor, so that a million sockets never cross the wire. Filtering runs over the typed columns (an
// address or process test is decided once per distinct address or pid, not once per row); the sorted
// order of the last few queries is kept, so scrolling through pages of the same query costs a slice.
import { TCP_STATE, TCP_STATE_NAMES, type TcpStateName } from '../../common/tcp-state.js';
import { type Connection, type ConnectionFilter, type ConnectionPage, type ConnectionQuery, type ConnectionSortKey } from '../../common/connections.js';
import type { SocketTable } from '../platform/types.js';
import { addressSortKey } from '../engine/address.js';

/** What the list is built from: the sockets of one full reading and what names them. */
export interface SocketReading {
  /** Epoch ms of the reading. */
  time: number;
  /** The network namespace the sockets were read in ("" when unknown). */
  netns: string;
  sockets: SocketTable | null;
  processNames: ReadonlyMap<number, string>;
  /** The kernel's TIME-WAIT length in seconds (for the time left). */
  timeWaitSec: number;
}

/** Orders of recent queries kept per reading (each is 4 bytes per matching socket). */
const CACHED_ORDERS = 4;

/** One reading's sockets, queryable. */
export class ConnectionList {
  private readonly orders: { key: string; order: Uint32Array }[] = [];

  constructor(readonly reading: SocketReading) {}

  /** One page of the sockets matching the query's filter, in its sort order. */
  page(q: ConnectionQuery): ConnectionPage {
    const t = this.reading.sockets;
    if (!t) return { time: this.reading.time, total: 0, matched: 0, offset: q.offset, rows: [], unavailable: 'the socket source could not be read in the latest sample' };
    const order = this.order(t, q);
    const rows: Connection[] = [];
    const end = Math.min(order.length, q.offset + q.limit);
    for (let k = q.offset; k < end; k++) rows.push(this.row(t, order[k]!));
    return { time: this.reading.time, total: t.count, matched: order.length, offset: q.offset, rows, unavailable: null };
  }

  private order(t: SocketTable, q: ConnectionQuery): Uint32Array {
    const key = JSON.stringify([q.filter ?? {}, q.sort ?? null]);
    const hit = this.orders.find((o) => o.key === key);
    if (hit) return hit.order;
    const order = matchingRows(t, this.reading, q.filter ?? {});
    if (q.sort) sortRows(order, t, this.reading, q.sort.key, q.sort.descending === true);
    this.orders.unshift({ key, order });
    this.orders.length = Math.min(this.orders.length, CACHED_ORDERS);
    return order;
  }

  private row(t: SocketTable, i: number): Connection {
    const state = t.state[i]!;
    const pid = t.pid[i]!;
    const age = t.timeWaitAgeMs[i]!;
    const tw = state === TCP_STATE.TIME_WAIT && age >= 0;
    return {
      protocol: t.family[i] === 6 ? 'TCPv6' : 'TCP',
      localAddress: t.addrs[t.localAddr[i]!]!,
      localPort: t.localPort[i]!,
      remoteAddress: t.addrs[t.remoteAddr[i]!]!,
      remotePort: t.remotePort[i]!,
      state: stateName(state),
      pid: pid >= 0 ? pid : null,
      process: pid >= 0 ? (this.reading.processNames.get(pid) ?? null) : null,
      namespace: this.reading.netns,
      timeWaitLeftMs: tw ? Math.max(0, this.reading.timeWaitSec * 1000 - age) : null,
      ageMs: tw ? age : null,
    };
  }
}

function stateName(n: number): TcpStateName {
  return TCP_STATE_NAMES[n] ?? 'CLOSE';
}

/** Which pids a process filter names: a name containing the text, or the pid itself when it is a number. */
function pidsMatching(names: ReadonlyMap<number, string>, text: string): Set<number> {
  const needle = text.toLowerCase();
  const pids = new Set<number>();
  for (const [pid, name] of names) if (name.toLowerCase().includes(needle)) pids.add(pid);
  if (/^\d{1,10}$/.test(text)) pids.add(Number(text));
  return pids;
}

/** One flag per interned address: does it contain the text? */
function addressesContaining(addrs: readonly string[], text: string): Uint8Array {
  const needle = text.toLowerCase();
  const hit = new Uint8Array(addrs.length);
  for (let a = 0; a < addrs.length; a++) if (addrs[a]!.toLowerCase().includes(needle)) hit[a] = 1;
  return hit;
}

/** "addr:port" or "[v6]:port" → its parts, or null. */
function parseEndpoint(text: string): { address: string; port: number } | null {
  const m = /^\[([^\]]+)\]:(\d{1,5})$/.exec(text) ?? /^([^:]+):(\d{1,5})$/.exec(text);
  if (!m) return null;
  const port = Number(m[2]);
  return port <= 65535 ? { address: m[1]!, port } : null;
}

/** A test of one row, or a verdict that holds for every row. */
type RowTest = ((i: number) => boolean) | boolean;

function textTest(t: SocketTable, reading: SocketReading, raw: string): RowTest {
  const text = raw.trim();
  if (text === '') return true;
  const addr = addressesContaining(t.addrs, text);
  const pids = pidsMatching(reading.processNames, text);
  const port = /^\d{1,5}$/.test(text) ? Number(text) : -1;
  const upper = text.toUpperCase();
  const states = new Uint8Array(TCP_STATE_NAMES.length);
  TCP_STATE_NAMES.forEach((n, k) => {
    if (n?.includes(upper)) states[k] = 1;
  });
  const nsHit = reading.netns !== '' && reading.netns.toLowerCase().includes(text.toLowerCase());
  if (nsHit) return true;
  return (i) => addr[t.localAddr[i]!] === 1 || addr[t.remoteAddr[i]!] === 1 || t.localPort[i] === port || t.remotePort[i] === port || states[t.state[i]!] === 1 || pids.has(t.pid[i]!);
}

/** The tests a filter asks for; a false among them means nothing matches. */
function rowTests(t: SocketTable, reading: SocketReading, f: ConnectionFilter): RowTest[] {
  const tests: RowTest[] = [];
  if (f.text !== undefined) tests.push(textTest(t, reading, f.text));
  if (f.namespace !== undefined) tests.push(f.namespace === reading.netns);
  if (f.address !== undefined && f.address.trim() !== '') {
    const addr = addressesContaining(t.addrs, f.address.trim());
    tests.push((i) => addr[t.localAddr[i]!] === 1 || addr[t.remoteAddr[i]!] === 1);
  }
  if (f.port !== undefined) {
    const p = f.port;
    tests.push((i) => t.localPort[i] === p || t.remotePort[i] === p);
  }
  if (f.process !== undefined && f.process.trim() !== '') {
    const pids = pidsMatching(reading.processNames, f.process.trim());
    tests.push((i) => pids.has(t.pid[i]!));
  }
  if (f.pid !== undefined) {
    const pid = f.pid;
    tests.push((i) => t.pid[i] === pid);
  }
  if (f.state !== undefined) {
    const s = TCP_STATE_NAMES.indexOf(f.state);
    tests.push((i) => t.state[i] === s);
  }
  if (f.destination !== undefined) {
    const d = parseEndpoint(f.destination.trim());
    const a = d ? t.addrs.indexOf(d.address) : -1;
    tests.push(d !== null && a >= 0 && ((i) => t.remoteAddr[i] === a && t.remotePort[i] === d.port));
  }
  if (f.localAddress !== undefined) {
    const a = t.addrs.indexOf(f.localAddress);
    tests.push(a >= 0 && ((i) => t.localAddr[i] === a));
  }
  return tests;
}

/** Indexes of the rows the filter keeps, in table order. */
function matchingRows(t: SocketTable, reading: SocketReading, f: ConnectionFilter): Uint32Array {
  const tests = rowTests(t, reading, f);
  if (tests.includes(false)) return new Uint32Array(0);
  const fns = tests.filter((x): x is (i: number) => boolean => typeof x === 'function');
  const out = new Uint32Array(t.count);
  let n = 0;
  for (let i = 0; i < t.count; i++) {
    let ok = true;
    for (const fn of fns) {
      if (!fn(i)) {
        ok = false;
        break;
      }
    }
    if (ok) out[n++] = i;
  }
  return out.subarray(0, n);
}

/** Ranks of values sorted by a key (equal keys share a rank). */
function ranks(values: readonly string[], keyOf: (v: string) => string): Float64Array {
  const keys = values.map(keyOf);
  const idx = values.map((_, i) => i).sort((a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : 0));
  const rank = new Float64Array(values.length);
  let r = 0;
  idx.forEach((v, k) => {
    if (k > 0 && keys[v] !== keys[idx[k - 1]!]) r++;
    rank[v] = r;
  });
  return rank;
}

/** Unknowns (no process, no timer) sort after every known value. */
const UNKNOWN = Number.MAX_SAFE_INTEGER;

/** One number per row to sort by, for a sort key. */
function sortValues(t: SocketTable, reading: SocketReading, key: ConnectionSortKey): (i: number) => number {
  switch (key) {
    case 'protocol':
      return (i) => t.family[i]!;
    case 'local':
    case 'remote': {
      const rank = ranks(t.addrs, addressSortKey);
      const addr = key === 'local' ? t.localAddr : t.remoteAddr;
      const port = key === 'local' ? t.localPort : t.remotePort;
      return (i) => rank[addr[i]!]! * 65536 + port[i]!;
    }
    case 'state': {
      // By name, as a user reads the column.
      const byName = ranks(TCP_STATE_NAMES.map((n) => n ?? ''), (n) => n);
      return (i) => byName[t.state[i]!] ?? UNKNOWN;
    }
    case 'process': {
      const pids = [...reading.processNames.keys()];
      const rank = ranks(pids.map((p) => reading.processNames.get(p)!), (n) => n.toLowerCase());
      const rankOf = new Map(pids.map((p, k) => [p, rank[k]!]));
      return (i) => {
        const r = rankOf.get(t.pid[i]!);
        return r === undefined ? UNKNOWN : r * 2 ** 23 + t.pid[i]!;
      };
    }
    case 'pid':
      return (i) => (t.pid[i]! >= 0 ? t.pid[i]! : UNKNOWN);
    case 'namespace':
      return () => 0; // one namespace per reading
    case 'timeWaitLeft':
    case 'age': {
      const len = reading.timeWaitSec * 1000;
      return (i) => {
        const age = t.timeWaitAgeMs[i]!;
        if (t.state[i] !== TCP_STATE.TIME_WAIT || age < 0) return UNKNOWN;
        return key === 'age' ? age : Math.max(0, len - age);
      };
    }
  }
}

/** Sorts row indexes in place by a key; equal keys keep table order (stable paging). */
function sortRows(order: Uint32Array, t: SocketTable, reading: SocketReading, key: ConnectionSortKey, descending: boolean): void {
  const valueOf = sortValues(t, reading, key);
  const values = new Float64Array(t.count);
  for (const i of order) values[i] = valueOf(i);
  const unknownLast = (a: number, b: number): number => (values[a] === UNKNOWN ? 1 : 0) - (values[b] === UNKNOWN ? 1 : 0);
  order.sort(descending ? (a, b) => unknownLast(a, b) || values[b]! - values[a]! || a - b : (a, b) => values[a]! - values[b]! || a - b);
}
