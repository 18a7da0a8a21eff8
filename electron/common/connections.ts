// Every socket, one by one, like TCPView: the getConnections method's query and answer. The sockets stay in
// the monitor and travel only on demand, a page at a time, filtered and sorted there (a million rows never
// cross the wire, and never ride along with a sample).
import { ALL_TCP_STATES, type TcpStateName } from './tcp-state.js';
import { arr, bool, nullable, num, obj, oneOf, optional, str, type Schema } from './schema.js';

/** The most rows one page carries (the list asks for about a screenful; an export walks the pages). */
export const MAX_CONNECTION_PAGE = 5000;

/** The columns the list can be sorted by. */
export const CONNECTION_SORT_KEYS = ['protocol', 'local', 'remote', 'state', 'process', 'pid', 'namespace', 'timeWaitLeft', 'age'] as const;
export type ConnectionSortKey = (typeof CONNECTION_SORT_KEYS)[number];

/** Which sockets to list: every given field must match (absent fields match everything). */
export interface ConnectionFilter {
  /** Free text as typed in the search box: matches an address (part of it), a port (whole), a process name (part) or pid, or a state name. */
  text?: string;
  /** Part of the local or the remote address. */
  address?: string;
  /** The local or the remote port. */
  port?: number;
  /** Part of the owning process's name, or its pid written as a number. */
  process?: string;
  /** The owning process's id exactly. */
  pid?: number;
  state?: TcpStateName;
  /** The remote end exactly, "10.0.0.2:443" or "[::1]:443" (as the destinations table writes it). */
  destination?: string;
  /** The local address exactly (a destination is also per source address). */
  localAddress?: string;
  /** The network namespace exactly, as the destinations table names it. */
  namespace?: string;
}

/** Parameters of getConnections. */
export interface ConnectionQuery {
  filter?: ConnectionFilter;
  sort?: { key: ConnectionSortKey; descending?: boolean };
  /** The first matching row to return (0-based, in sort order). */
  offset: number;
  /** How many rows at most, 1..MAX_CONNECTION_PAGE. */
  limit: number;
}

/** One socket. */
export interface Connection {
  protocol: 'TCP' | 'TCPv6';
  localAddress: string;
  localPort: number;
  remoteAddress: string;
  remotePort: number;
  state: TcpStateName;
  /** Owning process, null when not known (TIME-WAIT sockets belong to no process). */
  pid: number | null;
  process: string | null;
  /** The network namespace the socket lives in ("" when unknown). */
  namespace: string;
  /** For TIME-WAIT: milliseconds until the kernel frees it; null otherwise or when unknown. */
  timeWaitLeftMs: number | null;
  /** Milliseconds the socket has been in its state, where the platform tells (TIME-WAIT on Linux); else null. */
  ageMs: number | null;
}

/** One page of the list. */
export interface ConnectionPage {
  /** Epoch ms of the reading the rows come from; null before the first reading. */
  time: number | null;
  /** Every socket of that reading. */
  total: number;
  /** Sockets matching the filter. */
  matched: number;
  offset: number;
  rows: Connection[];
  /** Why there is no list (a source that cannot list sockets one by one), else null. */
  unavailable: string | null;
}

const port = num({ min: 0, max: 65535, integer: true });
const filterText = str({ maxLength: 200 });

export const connectionQuerySchema: Schema<ConnectionQuery> = obj<ConnectionQuery>({
  filter: optional(
    obj<ConnectionFilter>({
      text: optional(filterText),
      address: optional(filterText),
      port: optional(port),
      process: optional(filterText),
      pid: optional(num({ min: 0, max: 2 ** 31 - 1, integer: true })),
      state: optional(oneOf(...ALL_TCP_STATES)),
      destination: optional(filterText),
      localAddress: optional(filterText),
      namespace: optional(filterText),
    }),
  ),
  sort: optional(obj<{ key: ConnectionSortKey; descending?: boolean }>({ key: oneOf(...CONNECTION_SORT_KEYS), descending: optional(bool) })),
  offset: num({ min: 0, max: 2 ** 31 - 1, integer: true }),
  limit: num({ min: 1, max: MAX_CONNECTION_PAGE, integer: true }),
});

const lenient = { strict: false } as const;
const nNum = nullable(num({ min: 0 }));

const connectionSchema: Schema<Connection> = obj<Connection>(
  {
    protocol: oneOf('TCP', 'TCPv6'),
    localAddress: str({ maxLength: 100 }),
    localPort: port,
    remoteAddress: str({ maxLength: 100 }),
    remotePort: port,
    state: oneOf(...ALL_TCP_STATES),
    pid: nullable(num({ min: 0, integer: true })),
    process: nullable(str({ maxLength: 1000 })),
    namespace: str({ maxLength: 1000 }),
    timeWaitLeftMs: nNum,
    ageMs: nNum,
  },
  lenient,
);

export const connectionPageSchema: Schema<ConnectionPage> = obj<ConnectionPage>(
  {
    time: nullable(num({ min: 0 })),
    total: num({ min: 0, integer: true }),
    matched: num({ min: 0, integer: true }),
    offset: num({ min: 0, integer: true }),
    rows: arr(connectionSchema, { maxLength: MAX_CONNECTION_PAGE }),
    unavailable: nullable(str({ maxLength: 1000 })),
  },
  lenient,
);
